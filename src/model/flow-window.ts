/**
 * What the page holds of the loaded flow table. The columns stay in the worker (a log of millions of connections
 * makes them tens of MB, and a second copy on the page doubled that); the page gets an overview at load (row count,
 * rows per close kind, protocols) and asks for the rows it draws, a window at a time (EngineApi.flowRows).
 */
import type { CloseKind } from './report';
import { kindFromCode } from './close-kinds';
import { PROTO_TCP } from './firewall-store';
import { MARK_SYSLOG_ONLY } from './flow-columns';
import type { FlowColumns } from './flow-columns';

export interface FlowOverview {
  /** Rows of the loaded table. */
  count: number;
  /** Rows per close-kind code (FlowColumns.kind: CLOSE_KINDS index, 255 unknown); 256 entries. */
  kindCounts: Uint32Array;
  /** The protocols of the rows (IP numbers, TCP first), for the protocol filter; [] when every row is TCP. */
  protocols: number[];
  /**
   * Rows known only from a firewall log (MARK_SYSLOG_ONLY: no packets, close kind unknown) per teardown reason code
   * (FlowColumns.reasonKind; NO_REASON_KIND: no Teardown yet); 256 entries. What the log says of their end
   * (model/log-ends.ts), for the summary.
   */
  logEnds: Uint32Array;
}

/** The most rows one flowRows call answers (a screen of rows is a few dozen). */
export const MAX_WINDOW_ROWS = 10_000;

export function flowOverview(c: FlowColumns): FlowOverview {
  const kindCounts = new Uint32Array(256);
  const logEnds = new Uint32Array(256);
  const seen = new Uint8Array(256);
  for (let i = 0; i < c.count; i++) {
    kindCounts[c.kind[i]]++;
    seen[c.proto[i]] = 1;
    if (c.marks[i] & MARK_SYSLOG_ONLY) logEnds[c.reasonKind[i]]++;
  }
  return { count: c.count, kindCounts, protocols: protocolsSeen(seen), logEnds };
}

/** The protocols marked in `seen` (per IP number), TCP first; [] when TCP alone. */
export function protocolsSeen(seen: Uint8Array): number[] {
  const list = [...seen.keys()].filter((p) => seen[p]);
  return list.length > 1 || (list.length === 1 && list[0] !== PROTO_TCP) ? list.sort((a, b) => (a === PROTO_TCP ? -1 : b === PROTO_TCP ? 1 : a - b)) : [];
}

/** Connections per close kind from the per-code counts (for the summary chart). */
export function kindCountMap(kindCounts: Uint32Array): Map<CloseKind | null, number> {
  const m = new Map<CloseKind | null, number>();
  for (let code = 0; code < 256; code++) {
    if (!kindCounts[code]) continue;
    const k = kindFromCode(code);
    m.set(k, (m.get(k) ?? 0) + kindCounts[code]);
  }
  return m;
}

/**
 * The columns of `rows` (at most MAX_WINDOW_ROWS of them): entry k is row rows[k] of `c`, with its own string pool
 * holding only the strings these rows use. A row past the end of `c` comes back empty (kind unknown).
 */
export function flowWindow(c: FlowColumns, rows: ArrayLike<number>): FlowColumns {
  const n = Math.min(rows.length, MAX_WINDOW_ROWS);
  const strings: string[] = [''];
  const pool = new Map<number, number>([[0, 0]]);
  const own = (s: number) => {
    let i = pool.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(c.strings[s]);
      pool.set(s, i);
    }
    return i;
  };
  const w: FlowColumns = {
    count: n,
    clientIp: new Uint32Array(n), clientPort: new Uint16Array(n),
    serverIp: new Uint32Array(n), serverPort: new Uint16Array(n),
    startUs: new Float64Array(n), durationUs: new Float64Array(n),
    packets: new Uint32Array(n), bytes: new Float64Array(n),
    kind: new Uint8Array(n).fill(255), initiator: new Uint8Array(n), anomalies: new Uint32Array(n),
    anomalyBits: new Uint32Array(n), tcpFlags: new Uint32Array(n),
    reason: new Uint32Array(n), reasonKind: new Uint8Array(n).fill(255), marks: new Uint8Array(n), tcpStream: new Int32Array(n).fill(-1),
    proto: new Uint8Array(n).fill(PROTO_TCP), message: new Uint32Array(n), strings,
  };
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    if (!(r >= 0 && r < c.count)) continue;
    w.clientIp[k] = own(c.clientIp[r]);
    w.clientPort[k] = c.clientPort[r];
    w.serverIp[k] = own(c.serverIp[r]);
    w.serverPort[k] = c.serverPort[r];
    w.startUs[k] = c.startUs[r];
    w.durationUs[k] = c.durationUs[r];
    w.packets[k] = c.packets[r];
    w.bytes[k] = c.bytes[r];
    w.kind[k] = c.kind[r];
    w.initiator[k] = c.initiator[r];
    w.anomalies[k] = c.anomalies[r];
    w.anomalyBits[k] = c.anomalyBits[r];
    w.tcpFlags[k] = c.tcpFlags[r];
    w.reason[k] = own(c.reason[r]);
    w.reasonKind[k] = c.reasonKind[r];
    w.marks[k] = c.marks[r];
    w.tcpStream[k] = c.tcpStream[r];
    w.proto[k] = c.proto[r];
    w.message[k] = c.message[r];
  }
  return w;
}
