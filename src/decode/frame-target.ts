/** What the pcap/pcapng framers hand each frame to: the FrameDissector, or a test's recorder. */
export interface FrameTarget {
  /** The frame is b[off, end); it was wireLength bytes on the wire; its record starts at recordOffset. */
  dissect(
    linkType: number, timeUs: number, b: Uint8Array, off: number, end: number, wireLength: number, recordOffset: number, frameNumber: number,
  ): void;
}
