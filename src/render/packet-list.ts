/**
 * The packet list beside a ladder (Wireshark's packet pane): which entry sits at each row (packets in capture order,
 * the firewall's events between them where the ladder places them) and what each cell says, written as the
 * ladder writes it (times in its time column's unit, relative seq/ack, the scaled window). Pure: the UI asks the
 * worker for the packets of the rows in view only.
 */
import type { ConnectionReport } from '../model/report';
import type { LadderPacket } from '../model/ladder-packet';
import { ACK, flagNames } from '../model/segment';
import { placeFirewallEvents, type EventKind } from './ladder-events';
import { formatOffsetPrecise, type OffsetUnit } from './format';

/** A firewall event in the list: after packet `after` (index within the connection; -1 before the first). */
export interface ListMark {
  kind: EventKind;
  timeUs: number;
  text: string;
  detail: string;
  after: number;
}

/**
 * The connection's firewall events placed as the ladder places them (render/ladder-events.ts, on the ladder's
 * packets): an event that matches a packet goes right after it; one that matches none goes where its time falls,
 * which `placeTime` (the index of the last packet at or before a time; the worker knows the whole connection)
 * answers. Sorted by place, then time.
 */
export function listMarks(conn: ConnectionReport, packets: readonly LadderPacket[], unmatchedAt: readonly number[]): ListMark[] {
  const { marks } = placeFirewallEvents(conn, packets);
  let u = 0;
  const out = marks.map((m) => ({
    kind: m.kind, timeUs: m.timeUs, text: m.text, detail: m.detail,
    after: m.after >= 0 ? packets[m.after].index : (unmatchedAt[u++] ?? -1),
  }));
  return out.sort((a, b) => a.after - b.after || a.timeUs - b.timeUs);
}

/** Times of the events that match no packet, in the order listMarks takes their places. */
export function unmatchedTimes(conn: ConnectionReport, packets: readonly LadderPacket[]): number[] {
  return placeFirewallEvents(conn, packets).marks.filter((m) => m.after < 0).map((m) => m.timeUs);
}

/** Index of the last of `packets` (capture order) at or before `us`, as a packet index; -1 before them all. */
export function lastAtOrBefore(packets: readonly LadderPacket[], us: number): number {
  let lo = 0;
  let hi = packets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (packets[mid].timeUs <= us) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? -1 : packets[lo - 1].index;
}

export type ListEntry = { type: 'packet'; index: number } | { type: 'mark'; mark: number };

/** Row `v` of a list of `total` packets with `marks` (sorted by listMarks) between them. */
export function entryAt(v: number, marks: readonly ListMark[]): ListEntry {
  let before = 0;
  for (let j = 0; j < marks.length; j++) {
    // Mark j sits after packet marks[j].after, below the j marks before it.
    const at = marks[j].after + 1 + j;
    if (at === v) return { type: 'mark', mark: j };
    if (at > v) break;
    before++;
  }
  return { type: 'packet', index: v - before };
}

/** The row of packet `index`. */
export function rowOfPacket(index: number, marks: readonly ListMark[]): number {
  let before = 0;
  for (const m of marks) if (m.after < index) before++;
  return index + before;
}

/** The row of mark `j`. */
export function rowOfMark(j: number, marks: readonly ListMark[]): number {
  return marks[j].after + 1 + j;
}

export interface PacketCells {
  time: string;
  direction: string;
  flags: string;
  seq: string;
  ack: string;
  len: string;
  win: string;
  anomalies: string;
}

/**
 * A packet's cells: the time as the ladder's time column writes it (offset from `alignUs` in `unit`; `timeUs` is the
 * packet's place on the ladder's axis: with two capture points, when the point on its sender's side saw it), the direction
 * with the lanes' names, the window as Wireshark shows it (scaled; "raw" when the scale is unknown).
 */
export function packetCells(p: LadderPacket, alignUs: number, unit: OffsetUnit, names: { client: string; server: string }, timeUs = p.timeUs): PacketCells {
  return {
    time: formatOffsetPrecise(timeUs - alignUs, unit),
    direction: p.fromClient ? `${names.client} → ${names.server}` : `${names.server} → ${names.client}`,
    flags: flagNames(p.flags),
    seq: String(p.relSeq),
    ack: p.flags & ACK ? String(p.relAck) : '',
    len: String(p.payloadLength),
    win: p.windowShift === undefined ? `${p.window} raw` : String(p.window * 2 ** p.windowShift),
    anomalies: p.anomalies.map((a) => a.replace(/-/g, ' ')).join(', '),
  };
}

/** The time cell of a firewall event. */
export function markTime(m: ListMark, alignUs: number, unit: OffsetUnit): string {
  return formatOffsetPrecise(m.timeUs - alignUs, unit);
}

/**
 * A hex dump as Wireshark's bytes pane writes it: offset, `perLine` bytes in hex (a wider gap after each 8), and the
 * same bytes as ASCII ('.' for anything not printable).
 */
export function hexLines(bytes: Uint8Array, perLine = 16): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += perLine) {
    let hex = '';
    let text = '';
    for (let k = 0; k < perLine; k++) {
      const at = off + k;
      const sep = k === 0 ? '' : k % 8 === 0 ? '  ' : ' ';
      if (at < bytes.length) {
        const b = bytes[at];
        hex += sep + b.toString(16).padStart(2, '0');
        text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += sep + '  ';
    }
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hex}  ${text}`);
  }
  return lines;
}
