/**
 * A parsed filter expression (model/filter/parse.ts) compiled once into a predicate over the flow table's columns:
 * per-address and per-reason facts are decided once per pooled string, not per row, so a query over a million rows
 * is one pass of typed-array reads. Connection-level semantics: a packet field's test matches a connection when any
 * of its packets matches (ip.src: the client's address when the client sent a packet, the server's when the server
 * did; a connection known only from a firewall log counts its client as the sender).
 */
import { CLOSE_KINDS, KIND_STYLE, kindCode } from '../close-kinds';
import { TEARDOWN_REASONS } from '../teardown-reasons';
import type { FlowColumns } from '../flow-columns';
import type { Expr, Test, Value } from './parse';
import { ipv4Number, ipv6Number } from './values';

/** The flow-table columns a filter reads. */
export type FilterColumns = Pick<
  FlowColumns,
  | 'count'
  | 'clientIp'
  | 'clientPort'
  | 'serverIp'
  | 'serverPort'
  | 'durationUs'
  | 'packets'
  | 'bytes'
  | 'kind'
  | 'initiator'
  | 'anomalies'
  | 'anomalyBits'
  | 'tcpFlags'
  | 'reason'
  | 'reasonKind'
  | 'marks'
  | 'tcpStream'
  | 'proto'
  | 'message'
  | 'strings'
>;

/** Per column set: each pooled string as an IPv4 number (NaN otherwise) and as an IPv6 number (null otherwise). */
export interface FilterCache {
  v4?: Float64Array;
  v6?: (bigint | null)[];
}

/** The flow table's marks bits (model/flow-table.ts MARK_*), repeated here for the same reason. */
const MARK = { firewall: 1, dropped: 2, logOnly: 4, denied: 8, twoPoints: 16 } as const;
const PROTO = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const;

export type Predicate = (row: number) => boolean;

export function compileFilter(e: Expr, c: FilterColumns, cache: FilterCache = {}): Predicate {
  switch (e.t) {
    case 'or': {
      const a = compileFilter(e.a, c, cache);
      const b = compileFilter(e.b, c, cache);
      return (r) => a(r) || b(r);
    }
    case 'and': {
      const a = compileFilter(e.a, c, cache);
      const b = compileFilter(e.b, c, cache);
      return (r) => a(r) && b(r);
    }
    case 'not': {
      const x = compileFilter(e.x, c, cache);
      return (r) => !x(r);
    }
    case 'test':
      // Wireshark's `a != b` is `!(a == b)`: for a two-valued field (ip.addr), neither value equals b.
      if (e.op === '!=') {
        const eq = compileTest({ ...e, op: '==' }, c, cache);
        return (r) => !eq(r);
      }
      return compileTest(e, c, cache);
  }
}

/** Whether the client / the server of row r sent a packet (tcpFlags bytes: set by client, server; clear by client, server). */
function senders(c: FilterColumns): { client: Predicate; server: Predicate } {
  const f = c.tcpFlags;
  return {
    client: (r) => (f[r] & 0x00ff00ff) !== 0 || c.packets[r] === 0,
    server: (r) => (f[r] & 0xff00ff00) !== 0,
  };
}

function compileTest(e: Test, c: FilterColumns, cache: FilterCache): Predicate {
  const info = e.info;
  if (info.anomalies !== undefined) return boolTest(e, (r) => (c.anomalyBits[r] & info.anomalies!) !== 0);
  if (info.flag !== undefined) {
    const bit = info.flag;
    const set = bit | (bit << 8);
    const clear = set << 16;
    // Bare or == 1: some packet has the flag; == 0: some packet has it clear.
    const want = e.op === 'exists' || e.values[0].kind !== 'number' || e.values[0].range.lo === 1 ? set : clear;
    return (r) => (c.tcpFlags[r] & want) !== 0;
  }
  const sent = senders(c);
  switch (e.field) {
    case 'tcp': case 'udp': case 'icmp': case 'icmpv6': {
      const p = PROTO[e.field];
      return boolTest(e, (r) => c.proto[r] === p);
    }
    case 'ip': case 'ipv6': {
      const want = e.field === 'ipv6';
      const family = Uint8Array.from(c.strings, (s) => (s !== '' && s.includes(':') === want ? 1 : 0));
      return boolTest(e, (r) => family[c.clientIp[r]] === 1);
    }
    case 'ip.addr': case 'ip.src': case 'ip.dst': case 'ipv6.addr': case 'ipv6.src': case 'ipv6.dst': {
      const ok = addressMatches(e, c, cache);
      const src = e.field.endsWith('.src');
      const dst = e.field.endsWith('.dst');
      if (!src && !dst) return (r) => ok[c.clientIp[r]] === 1 || ok[c.serverIp[r]] === 1;
      // The source of a packet from the client is the client; of one from the server, the server.
      const [fromClient, fromServer] = src ? [c.clientIp, c.serverIp] : [c.serverIp, c.clientIp];
      return (r) => (sent.client(r) && ok[fromClient[r]] === 1) || (sent.server(r) && ok[fromServer[r]] === 1);
    }
    case 'tcp.port': case 'tcp.srcport': case 'tcp.dstport': case 'udp.port': case 'udp.srcport': case 'udp.dstport': {
      const m = numberMatcher(e);
      const p = e.field.startsWith('tcp') ? PROTO.tcp : PROTO.udp;
      const src = e.field.endsWith('srcport');
      const dst = e.field.endsWith('dstport');
      if (!src && !dst) return (r) => c.proto[r] === p && (m(c.clientPort[r]) || m(c.serverPort[r]));
      const [fromClient, fromServer] = src ? [c.clientPort, c.serverPort] : [c.serverPort, c.clientPort];
      return (r) => c.proto[r] === p && ((sent.client(r) && m(fromClient[r])) || (sent.server(r) && m(fromServer[r])));
    }
    case 'ip.proto': return numberTest(e, (r) => c.proto[r]);
    case 'tcp.stream': return numberTest(e, (r) => (c.tcpStream[r] < 0 ? NaN : c.tcpStream[r]));
    case 'teardown.anomalies': return numberTest(e, (r) => c.anomalies[r]);
    case 'teardown.packets': return numberTest(e, (r) => c.packets[r]);
    case 'teardown.bytes': return numberTest(e, (r) => c.bytes[r]);
    case 'teardown.duration': return numberTest(e, (r) => c.durationUs[r] / 1e6);
    case 'teardown.message': return numberTest(e, (r) => c.message[r] || NaN);
    case 'teardown.firewall': return boolTest(e, (r) => (c.marks[r] & MARK.firewall) !== 0);
    case 'teardown.denied': return boolTest(e, (r) => (c.marks[r] & MARK.denied) !== 0);
    case 'teardown.log_only': return boolTest(e, (r) => (c.marks[r] & MARK.logOnly) !== 0);
    case 'teardown.dropped': return boolTest(e, (r) => (c.marks[r] & MARK.dropped) !== 0);
    case 'teardown.two_points': return boolTest(e, (r) => (c.marks[r] & MARK.twoPoints) !== 0);
    case 'teardown.close': {
      const names = [...CLOSE_KINDS.map((k) => [k, KIND_STYLE[k].label] as const), ['none', 'none'] as const];
      const code = (k: string) => (k === 'none' ? 255 : kindCode(k as (typeof CLOSE_KINDS)[number]));
      const ok = new Uint8Array(256);
      const match = textMatcher(e);
      for (const [k, label] of names) ok[code(k)] = match([k, label]) ? 1 : 0;
      return (r) => ok[c.kind[r] < CLOSE_KINDS.length ? c.kind[r] : 255] === 1;
    }
    case 'teardown.initiator': {
      const match = textMatcher(e);
      const ok = ['none', 'client', 'server'].map((s) => match([s]));
      return (r) => ok[c.initiator[r]] === true;
    }
    case 'teardown.reason_kind': {
      // Per reason code; a row without a teardown (255) has no kind.
      const match = textMatcher(e);
      const ok = new Uint8Array(256);
      TEARDOWN_REASONS.forEach((k, code) => (ok[code] = match([k.name]) ? 1 : 0));
      return (r) => ok[c.reasonKind[r]] === 1;
    }
    case 'teardown.reason': {
      const ok = new Uint8Array(c.strings.length);
      const match = textMatcher(e);
      for (let i = 1; i < ok.length; i++) ok[i] = match([c.strings[i]]) ? 1 : 0;
      return (r) => ok[c.reason[r]] === 1;
    }
  }
  throw new Error(`no rule for field ${e.field}`); // fields.ts and this switch disagree: a unit test covers every field
}

/** A bool field: bare or == 1 tests it, == 0 its absence (!= was turned into == by the caller). */
function boolTest(e: Test, p: Predicate): Predicate {
  if (e.op === 'exists' || (e.values[0].kind === 'number' && e.values[0].range.lo === 1)) return p;
  return (r) => !p(r);
}

/** A number field holding one value per row (NaN: none; such a row matches only `exists` as false). */
function numberTest(e: Test, get: (r: number) => number): Predicate {
  if (e.op === 'exists') return (r) => !Number.isNaN(get(r));
  const m = numberMatcher(e);
  return (r) => m(get(r));
}

function numberMatcher(e: Test): (x: number) => boolean {
  if (e.op === 'exists') return (x) => !Number.isNaN(x);
  const ranges = e.values.map((v) => (v.kind === 'number' ? v.range : { lo: NaN, hi: NaN }));
  const { lo, hi } = ranges[0];
  switch (e.op) {
    case '==': return (x) => x >= lo && x <= hi;
    case '>': return (x) => x > lo;
    case '<': return (x) => x < lo;
    case '>=': return (x) => x >= lo;
    case '<=': return (x) => x <= lo;
    default: {
      const los = Float64Array.from(ranges, (g) => g.lo);
      const his = Float64Array.from(ranges, (g) => g.hi);
      return (x) => {
        for (let i = 0; i < los.length; i++) if (x >= los[i] && x <= his[i]) return true;
        return false;
      };
    }
  }
}

/** Per pooled string, whether it is an address the test matches (1) or not (0). */
function addressMatches(e: Test, c: FilterColumns, cache: FilterCache): Uint8Array {
  const ok = new Uint8Array(c.strings.length);
  if (e.info.type === 'ipv4') {
    const v4 = (cache.v4 ??= Float64Array.from(c.strings, (s) => ipv4Number(s)));
    const m = rangeMatcher<number>(e.op, e.values.map((v) => (v.kind === 'ipv4' ? v.range : { lo: NaN, hi: NaN })));
    for (let i = 0; i < ok.length; i++) ok[i] = !Number.isNaN(v4[i]) && m(v4[i]) ? 1 : 0;
  } else {
    const v6 = (cache.v6 ??= c.strings.map((s) => ipv6Number(s)));
    const m = rangeMatcher<bigint>(e.op, e.values.map((v) => (v.kind === 'ipv6' ? v.range : { lo: -1n, hi: -1n })));
    for (let i = 0; i < ok.length; i++) ok[i] = v6[i] !== null && m(v6[i]!) ? 1 : 0;
  }
  return ok;
}

function rangeMatcher<T extends number | bigint>(op: Test['op'], ranges: { lo: T; hi: T }[]): (x: T) => boolean {
  const { lo, hi } = ranges[0] ?? { lo: 0, hi: 0 };
  switch (op) {
    case 'exists': return () => true;
    case '==': return (x) => x >= lo && x <= hi;
    case '>': return (x) => x > lo;
    case '<': return (x) => x < lo;
    case '>=': return (x) => x >= lo;
    case '<=': return (x) => x <= lo;
    default: return (x) => ranges.some((g) => x >= g.lo && x <= g.hi);
  }
}

/**
 * A text test on a value's names: == and in compare whole (case-insensitive for close kinds), contains any part.
 * Made once per test, then called once per pooled string.
 */
function textMatcher(e: Test): (names: readonly string[]) => boolean {
  if (e.op === 'exists') return (names) => names[0] !== '' && names[0] !== 'none';
  const fold = e.field !== 'teardown.reason';
  const wanted = e.values.map((v) => (v.kind === 'text' ? v.text : '')).map((w) => (fold || e.op === 'contains' ? w.toLowerCase() : w));
  if (e.op === 'contains') return (names) => names.some((n) => n.toLowerCase().includes(wanted[0]));
  const set = new Set(wanted);
  return (names) => names.some((n) => set.has(fold ? n.toLowerCase() : n));
}
