/**
 * What a share link carries: enough to redraw the selected ladders exactly, with no file loaded.
 * Versioned: a link made by a newer Teardown still opens as far as this version understands it.
 */
import type { ConnectionReport } from '../model/report';

export const SHARE_VERSION = 1;

/** One packet of a shared ladder, relative to the ladder's first shared packet. */
export interface SharedPacket {
  /** Microseconds after `t0Us`. */
  t: number;
  /** 1 = sent by the client, 0 = by the server. */
  c: 0 | 1;
  /** TCP flags bits. */
  f: number;
  /** Relative sequence and acknowledgement numbers, payload length, raw window. */
  s: number;
  a: number;
  l: number;
  w: number;
  /** Anomaly names on this packet (empty when none). */
  x: string[];
  /** Capture points that saw it: 0 single point, 1 first only, 2 second only, 3 both. */
  v: number;
  /** Shift of the window in effect (LadderPacket.windowShift); absent when unknown. In a link: v's bits 2 and up, + 1. */
  ws?: number;
  /** Index of this packet in the whole connection (so states/anomalies indices still line up). */
  i: number;
  /**
   * Two capture points: how each saw it (VantageFacts.points order), its time there (µs after `t0Us`) and its raw
   * seq and ack; null where that point did not see it. Absent for one point (and in links of older versions).
   */
  pv?: [SharedPointView | null, SharedPointView | null];
}

/** [time µs after t0Us, raw seq, raw ack] of a packet at one capture point. */
export type SharedPointView = [number, number, number];

export interface SharedLadder {
  connection: ConnectionReport;
  t0Us: number;
  packets: SharedPacket[];
  /** Set when the link carries only the close: how many packets the connection had in all. */
  totalPackets: number;
}

export type TimeMode = 'proportional' | 'compressed' | 'even';

export interface ShareView {
  timeMode: TimeMode;
  focus: 'close' | 'whole';
  labels: { flags: boolean; seq: boolean; length: boolean; window: boolean };
}

export interface ShareState {
  version: number;
  view: ShareView;
  ladders: SharedLadder[];
}

export const DEFAULT_VIEW: ShareView = {
  timeMode: 'proportional',
  focus: 'close',
  labels: { flags: true, seq: true, length: true, window: false },
};
