/** A packet as one capture point saw it: its time on that point's own clock (µs), its raw seq and ack there. */
export interface PointSeen {
  timeUs: number;
  seq: number;
  ack: number;
}

/** One packet of a connection's timeline, as ladders, share links and lessons use it. */
export interface LadderPacket {
  /** Index of this packet in the whole connection (CloseFacts.states/anomalies use it). */
  index: number;
  /** Capture time, µs since the epoch. */
  timeUs: number;
  fromClient: boolean;
  flags: number;
  /** Sequence/ack numbers relative to each side's first (SYN = 0, else first seen = 1). */
  relSeq: number;
  relAck: number;
  payloadLength: number;
  /** The window field as sent (16 bits, unscaled). */
  window: number;
  /**
   * Left shift of `window` in effect (the sender's window-scale option, 0 when unscaled or a SYN); absent when
   * unknown (the handshake was not captured): then only the raw field can be shown (render/arrow-text.ts).
   */
  windowShift?: number;
  anomalies: string[];
  /** 0 single capture point, 1 first point only, 2 second point only, 3 both. */
  seenAt?: number;
  /** Two capture points merged: how each saw the packet, in VantageFacts.points order; null where it was not seen. */
  points?: [PointSeen | null, PointSeen | null];
  /** Frame number in its input and the input's name, for "frame 33749 of inside.txt". */
  frame?: number;
  file?: string;
  /** TLS records this packet completes, as Wireshark's Info column names them ("Client Hello", "Alert close_notify"). */
  tls?: string;
}
