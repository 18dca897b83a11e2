/** What the pcap/pcapng framers hand each frame to: the FrameDissector, or a test's recorder. */
export interface FrameTarget {
  /**
   * Capture time (µs since the epoch) and record offset of the frame the next dissect() call hands over, set by the
   * framer just before that call. Properties rather than arguments: a number that is no small integer (every capture
   * time, offsets past 1 GiB) passed to a call that is not inlined is boxed, a heap object per packet (30 MB of
   * garbage on the 1 GB bench capture).
   */
  timeUs: number;
  recordOffset: number;
  /** The frame is b[off, end); it was wireLength bytes on the wire. */
  dissect(linkType: number, b: Uint8Array, off: number, end: number, wireLength: number, frameNumber: number): void;
}
