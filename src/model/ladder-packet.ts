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
  window: number;
  anomalies: string[];
  /** 0 single capture point, 1 first point only, 2 second point only, 3 both. */
  seenAt?: number;
  /** Frame number in its input and the input's name, for "frame 33749 of inside.txt". */
  frame?: number;
  file?: string;
  /** TLS records this packet completes, as Wireshark's Info column names them ("Client Hello", "Alert close_notify"). */
  tls?: string;
}
