/** What a ladder needs, as the engine (or a share link, or an example) hands it over. */
import type { ConnectionReport } from '../model/report';

/** One packet of a connection's timeline. Same shape as share's LadderPacketLike. */
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
}

export interface LadderData {
  connection: ConnectionReport;
  /** The whole connection, or a window of it (see `totalPackets`). */
  packets: LadderPacket[];
  /** Packets in the whole connection. */
  totalPackets: number;
  /** Where it came from, shown in the ladder title: "" for the loaded capture, else e.g. "built-in example". */
  origin: string;
}

export type TimeMode = 'proportional' | 'compressed' | 'even';
export type FocusMode = 'close' | 'whole';

export interface LabelToggles {
  flags: boolean;
  seq: boolean;
  length: boolean;
  window: boolean;
  delta: boolean;
}

export const DEFAULT_LABELS: LabelToggles = { flags: true, seq: true, length: true, window: false, delta: true };
