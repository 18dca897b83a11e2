/**
 * The triage view's "hosts with the most late and idle-timeout denies": the counters per server endpoint and per
 * client address, a connection to open for each, and the top few. Servers are counted in slots: only the servers of
 * teardowns a deny joined can have such a deny, a small part of a big log's endpoints (the counters were 20 bytes
 * per endpoint, kept between views).
 */
import type { TriageInput } from '../../model/firewall-triage';
import { lowerBound } from '../../lib/lower-bound';

const TOP = 8;

export interface TriageHost {
  host: string;
  late: number;
  idle: number;
  /** A flow-table row of a connection of this host with such a deny (an RST one first), -1 when none. */
  row: number;
}

/** The server endpoints (name ids, ascending) of the teardowns a deny joined (`denied`). */
export function deniedServers(input: TriageInput, denied: Uint8Array): Uint32Array {
  const td = input.teardowns;
  let n = 0;
  for (let k = 0; k < td.count; k++) if (denied[k]) n++;
  const ids = new Uint32Array(n);
  n = 0;
  for (let k = 0; k < td.count; k++) if (denied[k]) ids[n++] = td.serverId[k];
  ids.sort();
  let u = 0;
  for (let k = 0; k < n; k++) if (k === 0 || ids[k] !== ids[u - 1]) ids[u++] = ids[k];
  return ids.slice(0, u);
}

/** Slot of server `id` in `servers` (deniedServers; it is there). */
export const serverSlot = (servers: Uint32Array, id: number): number => lowerBound(servers, id);

/** No row yet; rows are stored as -(row + 2) until an RST one is found. */
export const NO_ROW = -1;

export function pickRow(rows: Int32Array, i: number, row: number, rst: boolean): void {
  const v = rows[i];
  if (v >= 0) return; // an RST one already
  if (rst) rows[i] = row;
  else if (v === NO_ROW) rows[i] = -(row + 2);
}

export const rowOf = (v: number): number => (v >= 0 ? v : v === NO_ROW ? -1 : -v - 2);

/** The TOP hosts by late + idle denies (ties: the lower index first). */
export function topHosts(late: Float64Array, idle: Float64Array, name: (i: number) => string, rows: Int32Array): TriageHost[] {
  const idx: number[] = [];
  for (let i = 0; i < late.length; i++) if (late[i] + idle[i] > 0) idx.push(i);
  idx.sort((a, b) => late[b] + idle[b] - (late[a] + idle[a]) || a - b);
  return idx.slice(0, TOP).map((i) => ({ host: name(i), late: late[i], idle: idle[i], row: rowOf(rows[i]) }));
}
