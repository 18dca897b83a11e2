/** What a ladder needs, as the engine (or a share link, or an example) hands it over. */
import type { ConnectionReport } from '../model/report';

import type { LadderPacket } from '../model/ladder-packet';

export type { LadderPacket };

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
