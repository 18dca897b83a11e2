/**
 * Where a close starts, and which packets a "close" view holds: the one answer the explorer's ladders, the shared
 * page, the share link, the text ladder (`analyze --explain`), the lessons' "your connection" and the engine's
 * bounded ladder window all use, so the close a link carries is the close on screen.
 *
 * The close starts at the first packet carrying FIN or RST. The view holds CLOSE_LEAD packets before it and
 * CLOSE_SPAN packets from it on; a connection with neither flag shows its last CLOSE_LEAD + NO_CLOSE_TAIL packets
 * (where a capture that ended mid-connection stops).
 */
import { FIN, RST } from './segment';

/** Packets shown before the first FIN/RST. */
export const CLOSE_LEAD = 4;
/** Packets shown from the first FIN/RST on (it included). */
export const CLOSE_SPAN = 40;
/** Without FIN or RST: packets shown beyond CLOSE_LEAD, at the end of the connection. */
const NO_CLOSE_TAIL = 4;

/** Index of the first packet carrying FIN or RST (flags of packet k from `flagsAt`), -1 when none. */
export function closeStart(flagsAt: (k: number) => number, count: number): number {
  for (let k = 0; k < count; k++) if ((flagsAt(k) & (FIN | RST)) !== 0) return k;
  return -1;
}

/** closeStart over a list of packets. */
export function closeStartOf(packets: readonly { flags: number }[]): number {
  return closeStart((k) => packets[k].flags, packets.length);
}

export interface CloseView {
  /** Index of the first FIN/RST, -1 when none. */
  start: number;
  /** The packets the close view holds: [from, to). */
  from: number;
  to: number;
}

/** The close view of `count` packets whose flags `flagsAt` gives. */
export function closeView(flagsAt: (k: number) => number, count: number): CloseView {
  const start = closeStart(flagsAt, count);
  if (start < 0) return { start, from: Math.max(0, count - CLOSE_LEAD - NO_CLOSE_TAIL), to: count };
  return { start, from: Math.max(0, start - CLOSE_LEAD), to: Math.min(count, start + CLOSE_SPAN) };
}

/** closeView over a list of packets. */
export function closeViewOf(packets: readonly { flags: number }[]): CloseView {
  return closeView((k) => packets[k].flags, packets.length);
}
