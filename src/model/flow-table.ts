/**
 * The flow table as columns (one entry per connection, row = index in report.connections) and the
 * sort/filter query over it. Built and queried in the worker; the UI receives typed arrays
 * (cheap to transfer, no object per row) and reads only the rows it shows.
 */
import type { CloseKind } from './report';
import { kindCode } from './close-kinds';
import { kindCountMap } from './flow-window';
import { PROTO_TCP, protoCode } from './firewall-store';
import { classifySearch, type SearchText } from './filter/classify';
import type { FlowColumns } from './flow-columns';
import { compileFilter, type FilterCache, type Predicate } from './filter/compile';
import { freeTextMatcher } from './filter/free-text';
import { MARK_SYSLOG_ONLY, NO_REASON_KIND } from './flow-columns';

export { MARK_FIREWALL, MARK_DROPPED, MARK_SYSLOG_ONLY, MARK_DENIED, MARK_TWO_POINTS, NO_REASON_KIND } from './flow-columns';

export type { FlowColumns } from './flow-columns';
export { endpointText } from './flow-columns';

export type FlowColumn =
  | 'client' | 'server' | 'start' | 'duration' | 'packets' | 'bytes' | 'kind' | 'initiator' | 'anomalies' | 'reason' | 'stream';

export type InitiatorFilter = 'any' | 'client' | 'server' | 'none';

export interface FlowQuery {
  sort: FlowColumn;
  desc: boolean;
  /** Empty = every kind. */
  kinds: CloseKind[];
  initiator: InitiatorFilter;
  /** "10.0.0.1", "10.0.0.1:443", ":443" or "443": matches client or server. */
  address: string;
  /**
   * The search box: a filter expression (model/filter/: `tcp.port == 443 and tcp.flags.reset == 1`) or, when the
   * text is no expression, a case-insensitive substring over endpoints, kind, reason (model/filter/classify.ts).
   * An expression with a mistake filters nothing.
   */
  text: string;
  /** Time range (µs since the epoch, inclusive): rows whose start..end overlaps it; null = open. */
  fromUs: number | null;
  toUs: number | null;
  /** Firewall 106015 deny classes (bit per model/firewall-triage.ts DENY_CLASSES index): rows with a deny of one; 0 = any row. */
  denyClasses: number;
  /** IP protocol numbers (PROTO_*) of the rows to keep; empty or absent = every protocol. */
  protocols?: number[];
  /** Firewall message ids (302013, 302015, 430002, ...) of the rows' connection lines to keep; empty or absent = any. */
  messages?: number[];
  /**
   * Teardown reason codes (FlowColumns.reasonKind: model/teardown-reasons.ts, NO_REASON_KIND for none) of the rows
   * known only from a firewall log to keep (the log-end summary's bars: model/log-ends.ts); empty or absent = any.
   * Rows with packets have a close kind instead (kinds) and are left out while this is set.
   */
  reasonKinds?: number[];
}

export const DEFAULT_QUERY: FlowQuery = {
  sort: 'start', desc: false, kinds: [], initiator: 'any', address: '', text: '', fromUs: null, toUs: null, denyClasses: 0,
};

/**
 * Empty columns for n rows, and the interning of strings into their pool ('' is 0). `packetless`: no row will have
 * packets (every row is a log-only connection), so packets, bytes, initiator, anomalies, anomalyBits and tcpFlags
 * stay 0: they are views of one zeroed buffer (17 bytes a row fewer) and must never be written. `room`: columns of such
 * a table with room for n rows or more (a log's rows as it was read: engine/live-query.ts), whose memory these take
 * (the table of a big log is tens of MB): every row must be filled again; their strings are not kept.
 * `internNew`: intern() of a string the caller knows is not pooled yet and is not '' (each of a log's distinct names,
 * asked once: engine/firewall-records.ts logConnRow), without a look-up: u5m.log's table pools 135,851 strings, and
 * their Map was about a quarter of the table's making. intern() puts them in its Map only if asked afterwards.
 */
export function createFlowColumns(n: number, packetless = false, room?: FlowColumns): { c: FlowColumns; intern: (s: string) => number; internNew: (s: string) => number } {
  const pool = new Map<string, number>([['', 0]]);
  const strings: string[] = [''];
  /** strings[0, mapped) are in `pool`; the rest came by internNew. */
  let mapped = 1;
  const intern = (s: string) => {
    for (; mapped < strings.length; mapped++) pool.set(strings[mapped], mapped);
    let i = pool.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      pool.set(s, i);
      mapped++;
    }
    return i;
  };
  const internNew = (s: string) => strings.push(s) - 1;
  if (packetless && room && room.clientIp.length >= n) {
    const { c, intern: own, internNew: ownNew } = createFlowColumns(0, true);
    const taken = Object.fromEntries(Object.entries(room).map(([k, v]) => [k, ArrayBuffer.isView(v) ? (v as Uint8Array).subarray(0, n) : v]));
    Object.assign(c, taken, { count: n, strings: c.strings });
    c.reasonKind.fill(NO_REASON_KIND);
    c.tcpStream.fill(-1);
    return { c, intern: own, internNew: ownNew };
  }
  const zero = packetless ? new ArrayBuffer(n * 8) : null;
  const u32 = () => (zero ? new Uint32Array(zero, 0, n) : new Uint32Array(n));
  const c: FlowColumns = {
    count: n,
    clientIp: new Uint32Array(n), clientPort: new Uint16Array(n),
    serverIp: new Uint32Array(n), serverPort: new Uint16Array(n),
    startUs: new Float64Array(n), durationUs: new Float64Array(n),
    packets: u32(), bytes: zero ? new Float64Array(zero, 0, n) : new Float64Array(n),
    kind: new Uint8Array(n), initiator: zero ? new Uint8Array(zero, 0, n) : new Uint8Array(n), anomalies: u32(),
    anomalyBits: u32(), tcpFlags: u32(),
    reason: new Uint32Array(n), reasonKind: new Uint8Array(n).fill(NO_REASON_KIND), marks: new Uint8Array(n), tcpStream: new Int32Array(n).fill(-1),
    proto: new Uint8Array(n).fill(PROTO_TCP), message: new Uint32Array(n), strings,
  };
  return { c, intern, internNew };
}

/** The transferable buffers of the columns (for postMessage transfer lists). */
export function flowBuffers(c: FlowColumns): ArrayBuffer[] {
  return [
    c.clientIp, c.clientPort, c.serverIp, c.serverPort, c.startUs, c.durationUs, c.packets, c.bytes,
    c.kind, c.initiator, c.anomalies, c.anomalyBits, c.tcpFlags, c.reason, c.reasonKind, c.marks, c.tcpStream, c.proto, c.message,
  ].map((a) => a.buffer as ArrayBuffer);
}


/** Numeric order of IPv4/IPv6 text (falls back to string order). */
function ipOrderKeys(strings: string[]): Float64Array {
  const idx = strings.map((_, i) => i);
  const key = (s: string): [number, string] => {
    const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
    if (v4) return [0, String(((+v4[1] * 256 + +v4[2]) * 256 + +v4[3]) * 256 + +v4[4]).padStart(10, '0')];
    if (s.includes(':')) return [1, expandV6(s)];
    return [2, s];
  };
  const keys = strings.map(key);
  idx.sort((a, b) => keys[a][0] - keys[b][0] || (keys[a][1] < keys[b][1] ? -1 : keys[a][1] > keys[b][1] ? 1 : 0));
  const rank = new Float64Array(strings.length);
  idx.forEach((s, r) => (rank[s] = r));
  return rank;
}

function expandV6(s: string): string {
  const [head, tail = ''] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const mid = s.includes('::') ? Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...mid, ...t].map((g) => g.padStart(4, '0')).join(':');
}

/** Caches per column set (the rank of each pooled address, pooled addresses parsed, the last search compiled). */
export interface FlowQueryCache {
  ipRank?: Float64Array;
  filter?: FilterCache;
  /** The last search text and what it compiled to. */
  search?: { raw: string; s: SearchText; pred: Predicate | null };
  /** The matching rows of the last query before they are cut to size (one buffer reused: a query per key typed). */
  scratch?: Uint32Array;
}

/** The search box's text as a filter: compiled once per text, kept while the text stays. */
function searchOf(c: FlowColumns, raw: string, cache: FlowQueryCache): { s: SearchText; pred: Predicate | null } {
  if (cache.search?.raw !== raw) {
    const s = classifySearch(raw);
    const pred = s.mode === 'expression' ? compileFilter(s.expr, c, (cache.filter ??= {})) : null;
    cache.search = { raw, s, pred };
  }
  return cache.search;
}

function parseAddress(q: string): { ip: string | null; port: number | null } | null {
  const s = q.trim();
  if (!s) return null;
  if (/^:?\d{1,5}$/.test(s)) return { ip: null, port: Number(s.replace(':', '')) };
  const br = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (br) return { ip: br[1].toLowerCase(), port: Number(br[2]) };
  const v4p = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(s);
  if (v4p) return { ip: v4p[1], port: Number(v4p[2]) };
  return { ip: s.toLowerCase(), port: null };
}

/**
 * Rows matching the query's filters, in the query's order. `rowClasses`: per row, the deny-class bits of its
 * firewall denies (analysis/firewall/triage.ts rowDenyClasses), needed when the query filters on them.
 */
export function queryFlows(c: FlowColumns, q: FlowQuery, cache: FlowQueryCache = {}, rowClasses?: Uint8Array): Uint32Array {
  const keep = flowRowTest(c, q, cache, rowClasses);
  const out = cache.scratch?.length === c.count ? cache.scratch : (cache.scratch = new Uint32Array(c.count));
  let n = 0;
  for (let i = 0; i < c.count; i++) if (keep(i)) out[n++] = i;
  return sortFlowRows(out.slice(0, n), flowRowOrder(c, q, cache));
}

/** The query's filters as a test of one row (queryFlows keeps the rows it passes). */
export function flowRowTest(c: FlowColumns, q: FlowQuery, cache: FlowQueryCache = {}, rowClasses?: Uint8Array): (i: number) => boolean {
  const kinds = q.kinds.length ? new Set(q.kinds.map((k) => kindCode(k))) : null;
  const ini = q.initiator === 'any' ? -1 : q.initiator === 'client' ? 1 : q.initiator === 'server' ? 2 : 0;
  const addr = parseAddress(q.address);
  // Address filter on pooled strings: decide once per pooled address, not per row.
  let ipOk: Uint8Array | null = null;
  if (addr?.ip) {
    ipOk = new Uint8Array(c.strings.length);
    const want = addr.ip;
    const prefix = want.endsWith('.') || want.endsWith(':') || want.endsWith('*');
    const w = want.replace(/\*$/, '');
    c.strings.forEach((s, i) => {
      const t = s.toLowerCase();
      ipOk![i] = (prefix ? t.startsWith(w) : t === w) ? 1 : 0;
    });
  }
  const search = searchOf(c, q.text, cache);
  const text = search.s.mode === 'text' ? search.s.text : '';
  const pred = search.pred;
  const textOk = text ? freeTextMatcher(c, text) : null;
  const from = q.fromUs ?? -Infinity;
  const to = q.toUs ?? Infinity;
  const timed = q.fromUs != null || q.toUs != null;
  const classes = q.denyClasses ?? 0;
  const protos = q.protocols?.length ? new Set(q.protocols) : null;
  const messages = q.messages?.length ? new Set(q.messages) : null;
  const reasons = q.reasonKinds?.length ? new Set(q.reasonKinds) : null;
  return (i) => {
    if (kinds && !kinds.has(c.kind[i])) return false;
    if (timed && (c.startUs[i] > to || c.startUs[i] + c.durationUs[i] < from)) return false;
    if (classes && !((rowClasses?.[i] ?? 0) & classes)) return false;
    if (ini >= 0 && c.initiator[i] !== ini) return false;
    if (protos && !protos.has(c.proto[i])) return false;
    if (messages && !messages.has(c.message[i])) return false;
    if (reasons && !((c.marks[i] & MARK_SYSLOG_ONLY) && reasons.has(c.reasonKind[i]))) return false;
    if (addr) {
      const cOk = (!ipOk || ipOk[c.clientIp[i]]) && (addr.port === null || c.clientPort[i] === addr.port);
      const sOk = (!ipOk || ipOk[c.serverIp[i]]) && (addr.port === null || c.serverPort[i] === addr.port);
      if (!cOk && !sOk) return false;
    }
    if (textOk && !textOk(i)) return false;
    return !pred || pred(i);
  };
}

/**
 * The query's order of two rows, a total one: ties fall back to start time then row, so the order is stable (and the
 * same whichever rows are sorted: a log's table while it loads merges the rows that came into those it had).
 */
export function flowRowOrder(c: FlowColumns, q: FlowQuery, cache: FlowQueryCache = {}): (a: number, b: number) => number {
  const key = sortKey(c, q.sort, cache);
  const dir = q.desc ? -1 : 1;
  return (a, b) => (key(a) - key(b)) * dir || c.startUs[a] - c.startUs[b] || a - b;
}

/** `rows` sorted in place by `cmp` (typed-array sort with a comparator). */
export function sortFlowRows(rows: Uint32Array, cmp: (a: number, b: number) => number): Uint32Array {
  // Rows often come in order already (a log sorted by time, the table's default order): one pass finds out and skips
  // the sort.
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = cmp(rows[i - 1], rows[i]) <= 0;
  return sorted ? rows : rows.sort(cmp);
}

function sortKey(c: FlowColumns, col: FlowColumn, cache: FlowQueryCache): (row: number) => number {
  switch (col) {
    case 'client':
    case 'server': {
      const rank = (cache.ipRank ??= ipOrderKeys(c.strings));
      return col === 'client'
        ? (r) => rank[c.clientIp[r]] * 65536 + c.clientPort[r]
        : (r) => rank[c.serverIp[r]] * 65536 + c.serverPort[r];
    }
    case 'start': return (r) => c.startUs[r];
    case 'duration': return (r) => c.durationUs[r];
    case 'packets': return (r) => c.packets[r];
    case 'bytes': return (r) => c.bytes[r];
    case 'kind': return (r) => c.kind[r];
    case 'initiator': return (r) => c.initiator[r];
    case 'anomalies': return (r) => c.anomalies[r];
    case 'stream': return (r) => (c.tcpStream[r] < 0 ? Number.MAX_SAFE_INTEGER : c.tcpStream[r]);
    case 'reason': {
      const rank = (cache.ipRank ??= ipOrderKeys(c.strings));
      return (r) => (c.reason[r] === 0 ? Number.MAX_SAFE_INTEGER : rank[c.reason[r]]);
    }
  }
}

/** Connections per close kind (for the summary chart). */
export function countKinds(c: FlowColumns): Map<CloseKind | null, number> {
  // Counted per code in a typed array: a million rows in a few ms (a Map update per row took 100).
  const perCode = new Uint32Array(256);
  const kinds = c.kind;
  for (let i = 0; i < c.count; i++) perCode[kinds[i]]++;
  return kindCountMap(perCode);
}
