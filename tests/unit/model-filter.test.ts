// Filter expressions of the flow table's search box (model/filter/): syntax, messages naming the column, the
// decision between expression and free text, and (property tests) every generated expression selecting the same
// rows as a plain reading of its meaning over connections given as packet lists.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifySearch } from '../../src/model/filter/classify';
import { parseFilter } from '../../src/model/filter/parse';
import { FIELDS } from '../../src/model/filter/fields';
import { compileFilter } from '../../src/model/filter/compile';
import { ANOMALY_NAMES, A_FAST_RETRANSMISSION, A_RETRANSMISSION, A_ZERO_WINDOW } from '../../src/model/anomalies';
import { createFlowColumns, queryFlows, DEFAULT_QUERY, MARK_FIREWALL, MARK_SYSLOG_ONLY, type FlowColumns } from '../../src/model/flow-table';
import { CLOSE_KINDS } from '../../src/model/close-kinds';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { logOnlyFlowRows } from '../../src/engine/firewall-records';
import { createTextSource } from '../../src/lib/byte-source';
import { captureText, connectionLines } from './capture-lines';

const error = (text: string) => {
  const s = classifySearch(text);
  return s.mode === 'error' ? `${s.message} [${s.col}]` : s.mode;
};

describe('filter syntax', () => {
  it('reads the forms a Wireshark user types', () => {
    for (const t of [
      'tcp.port == 443', 'tcp.port eq 443', 'tcp.srcport==443', 'tcp.dstport ne 80', 'ip.addr == 10.0.0.1', 'ip.src == 10.0.0.0/8',
      'ipv6.addr == 2001:db8::1', 'ipv6.dst == 2001:db8::/32', 'tcp.stream eq 5', 'tcp.analysis.retransmission', 'tcp.analysis.zero_window',
      'tcp.flags.reset == 1', 'tcp.flags.fin == 1', 'tcp.flags.syn', 'tcp.port in {443 8443}', 'tcp.port in {443, 8443, 9000..9100}',
      'tcp.port >= 1024 && tcp.port <= 2048', 'not tcp.flags.reset == 1', '!(ip.addr == 10.0.0.1) || tcp.port gt 1000',
      'teardown.close == fin-then-rst', 'teardown.close == "fin-then-rst"', 'teardown.reason contains "FIN"', 'tcp', 'udp.port == 53',
      'teardown.firewall and teardown.denied', '((tcp.port == 1))', 'ip.addr in {10.0.0.1 10.0.0.0/24}', 'TCP.PORT == 0x1bb',
    ]) expect(classifySearch(t).mode, t).toBe('expression');
  });

  it('says what is wrong and where, never throws', () => {
    expect(error('ip.addr == ')).toBe("expected a value after '==' at column 12 [12]");
    expect(error('tcp.port == 443 and')).toBe("expected a field after 'and' at column 20 [20]");
    expect(error('tcp.port == 443 and tcp.prot == 1')).toBe("unknown field 'tcp.prot' at column 21 [21]");
    expect(error('tcp.port == http')).toBe("'http' at column 13 is not a number (tcp.port) [13]");
    expect(error('ip.addr == 10.0.0.300')).toMatch(/^'10\.0\.0\.300' at column 12 is not an IPv4 address or network/);
    expect(error('ip.addr == 10.0.0.1/33')).toMatch(/column 12 is not an IPv4/);
    expect(error('(tcp.port == 1')).toBe("expected ')' for the '(' at column 1, found the end at column 15 [15]");
    expect(error('tcp.port == 1)')).toBe("unexpected a ')' without its '(' at column 14: expected 'and', 'or' or the end [14]");
    expect(error('tcp.port = 1')).toBe("a single '=' at column 10: compare with '==' [10]");
    expect(error('tcp.port 443')).toBe("expected an operator ('==', '!=', '>', 'in' ...) after tcp.port, found '443' at column 10 [10]");
    expect(error('teardown.close == closed')).toMatch(/^'closed' at column 19 is not one of clean, fin-then-rst, reset, refused, half-closed, unanswered, open, none/);
    expect(error('teardown.close > clean')).toMatch(/'>' does not apply to the text field teardown.close/);
    expect(error('tcp.flags.syn == 2')).toMatch(/'2' at column 18 is not 1 or 0/);
    expect(error('tcp.port in {}')).toMatch(/expected a value after '\{' at column 14/);
    expect(error('tcp.port in {1, 2')).toMatch(/expected '\}' for the '\{' at column 13/);
    expect(error('teardown.reason contains "x')).toMatch(/unterminated string .* at column 26/);
    expect(error('tcp.port contains 1')).toMatch(/'contains' applies to text fields, not to tcp.port/);
  });

  it('takes text that is no expression as free text (the rule in the README)', () => {
    for (const t of ['10.0.0.1', '443', 'FIN then RST', 'reset', '[2001:db8::1]:443', 'TCP Reset-O', 'Idle Timeout']) {
      expect(classifySearch(t), t).toEqual({ mode: 'text', text: t.toLowerCase() });
    }
    // Looks like an expression (an operator character, or a field / protocol prefix first): a mistake to show.
    for (const t of ['tcp.port', 'tcp.portt == 1', 'reset == 1', 'ip.addr 10.0.0.1', 'a && b']) {
      const s = classifySearch(t);
      expect(s.mode === 'error' || s.mode === 'expression', t).toBe(true);
    }
    expect(classifySearch('   ')).toEqual({ mode: 'none' });
  });

  it('every field has a rule, and every anomaly of model/anomalies.ts a field', () => {
    const c = createFlowColumns(1).c;
    for (const f of Object.keys(FIELDS)) expect(() => compileFilter(parseFilter(f), c)).not.toThrow();
    const tested = Object.values(FIELDS).reduce((m, f) => m | (f.anomalies ?? 0), 0);
    for (const [bit, name] of ANOMALY_NAMES) expect(tested & bit, name).toBe(bit);
  });

  it('never throws on any text, and an error column lies within the text', () => {
    const alphabet = fc.constantFrom(...'tcp.ortaddrsflg0123456789 =!<>&|(){},"/:-_ineqotacmx'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 })), (t) => {
        const s = classifySearch(t);
        if (s.mode === 'error') {
          expect(s.col).toBeGreaterThanOrEqual(1);
          expect(s.col).toBeLessThanOrEqual(t.length + 1);
          expect(s.message).toContain(`column ${s.col}`);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- Connections as packet lists, and a plain reading of each expression over them ----

interface Pkt { fromClient: boolean; flags: number }
interface Conn {
  client: string; server: string; cport: number; sport: number; stream: number; kind: number; packets: Pkt[]; anomalies: number;
}

type Ast =
  | { t: 'and' | 'or'; a: Ast; b: Ast }
  | { t: 'not'; x: Ast }
  | { t: 'cmp'; field: string; op: string; values: string[] }
  | { t: 'bare'; field: string };

const V4 = ['10.0.0.1', '10.0.0.2', '10.1.2.3', '192.168.1.9'];
const V6 = ['2001:db8::1', '2001:db8::2', 'fe80::1'];
const PORTS = [22, 80, 443, 8443, 40000];
const FLAG_BITS: Record<string, number> = { 'tcp.flags.fin': 1, 'tcp.flags.syn': 2, 'tcp.flags.reset': 4, 'tcp.flags.ack': 16 };

const connArb: fc.Arbitrary<Conn> = fc.record({
  v6: fc.boolean(),
  ci: fc.nat(3), si: fc.nat(3),
  cport: fc.constantFrom(...PORTS), sport: fc.constantFrom(...PORTS),
  stream: fc.integer({ min: -1, max: 5 }), kind: fc.integer({ min: 0, max: CLOSE_KINDS.length - 1 }),
  packets: fc.array(fc.record({ fromClient: fc.boolean(), flags: fc.integer({ min: 0, max: 31 }) }), { minLength: 1, maxLength: 5 }),
  anomalies: fc.constantFrom(0, A_RETRANSMISSION, A_FAST_RETRANSMISSION, A_ZERO_WINDOW, A_RETRANSMISSION | A_ZERO_WINDOW),
}).map((r) => ({
  client: r.v6 ? V6[r.ci % 3] : V4[r.ci], server: r.v6 ? V6[r.si % 3] : V4[r.si], cport: r.cport, sport: r.sport,
  stream: r.stream, kind: r.kind, packets: r.packets, anomalies: r.anomalies,
}));

const cmpArb: fc.Arbitrary<Ast> = fc.oneof(
  fc.record({ field: fc.constantFrom('ip.addr', 'ip.src', 'ip.dst'), op: fc.constantFrom('==', '!=', '>', '<='), v: fc.constantFrom(...V4, '10.0.0.0/8', '10.0.0.0/30') })
    .filter((r) => !(r.v.includes('/') && (r.op === '>' || r.op === '<=')))
    .map((r): Ast => ({ t: 'cmp', field: r.field, op: r.op, values: [r.v] })),
  fc.record({ field: fc.constantFrom('ipv6.addr', 'ipv6.src'), op: fc.constantFrom('==', '!='), v: fc.constantFrom(...V6, '2001:db8::/32') })
    .map((r): Ast => ({ t: 'cmp', field: r.field, op: r.op, values: [r.v] })),
  fc.record({ field: fc.constantFrom('tcp.port', 'tcp.srcport', 'tcp.dstport', 'tcp.stream'), op: fc.constantFrom('==', '!=', '>', '<', '>=', '<='), v: fc.constantFrom(0, 1, 3, ...PORTS) })
    .map((r): Ast => ({ t: 'cmp', field: r.field, op: r.op, values: [String(r.v)] })),
  fc.record({ field: fc.constantFrom('tcp.port', 'tcp.srcport'), vs: fc.subarray([...PORTS.map(String), '400..500', '8000..9000'], { minLength: 1 }) })
    .map((r): Ast => ({ t: 'cmp', field: r.field, op: 'in', values: r.vs })),
  fc.record({ field: fc.constantFrom(...Object.keys(FLAG_BITS)), op: fc.constantFrom('==', '!='), v: fc.constantFrom('0', '1') })
    .map((r): Ast => ({ t: 'cmp', field: r.field, op: r.op, values: [r.v] })),
  fc.constantFrom(...Object.keys(FLAG_BITS), 'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.zero_window', 'ip', 'ipv6', 'tcp.stream')
    .map((field): Ast => ({ t: 'bare', field })),
  fc.record({ op: fc.constantFrom('==', '!='), k: fc.constantFrom(...CLOSE_KINDS) }).map((r): Ast => ({ t: 'cmp', field: 'teardown.close', op: r.op, values: [r.k] })),
);

const astArb: fc.Arbitrary<Ast> = fc.letrec<{ e: Ast }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cmpArb,
    fc.record({ t: fc.constantFrom('and' as const, 'or' as const), a: tie('e'), b: tie('e') }),
    fc.record({ t: fc.constant('not' as const), x: tie('e') }),
  ),
})).e;

/** The expression as text, in one of the spellings Wireshark accepts (fully parenthesised: precedence aside). */
function print(e: Ast, style: number): string {
  const pick = (a: string, b: string) => (style & 1 ? a : b);
  switch (e.t) {
    case 'and': return `(${print(e.a, style >> 1)} ${pick('and', '&&')} ${print(e.b, style >> 2)})`;
    case 'or': return `(${print(e.a, style >> 1)} ${pick('or', '||')} ${print(e.b, style >> 2)})`;
    case 'not': return `${pick('not ', '!')}(${print(e.x, style >> 1)})`;
    case 'bare': return e.field;
    case 'cmp': {
      if (e.op === 'in') return `${e.field} in {${e.values.join(style & 2 ? ', ' : ' ')}}`;
      const words: Record<string, string> = { '==': 'eq', '!=': 'ne', '>': 'gt', '<': 'lt', '>=': 'ge', '<=': 'le' };
      return `${e.field} ${style & 4 ? words[e.op] : e.op} ${e.values[0]}`;
    }
  }
}

const v4n = (s: string) => s.split('.').reduce((n, x) => n * 256 + Number(x), 0);
function v6n(s: string): bigint {
  const [h, t = ''] = s.split('::');
  const hs = h ? h.split(':') : [];
  const ts = t ? t.split(':') : [];
  const all = [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Whether value x (an address or a number as text) satisfies `op v`. */
function holds(x: string | number, op: string, v: string): boolean {
  if (typeof x === 'number') {
    if (v.includes('..')) {
      const [lo, hi] = v.split('..').map(Number);
      return x >= lo && x <= hi;
    }
    const n = Number(v);
    return op === '==' || op === 'in' ? x === n : op === '>' ? x > n : op === '<' ? x < n : op === '>=' ? x >= n : x <= n;
  }
  const six = x.includes(':');
  if (six !== v.includes(':')) return false;
  const [addr, bits] = v.split('/');
  if (six) {
    const a = v6n(x);
    const b = v6n(addr);
    if (bits) return a >> BigInt(128 - Number(bits)) === b >> BigInt(128 - Number(bits));
    return op === '==' ? a === b : op === '>' ? a > b : op === '<=' ? a <= b : a === b;
  }
  const a = v4n(x);
  const b = v4n(addr);
  if (bits) return Math.floor(a / 2 ** (32 - Number(bits))) === Math.floor(b / 2 ** (32 - Number(bits)));
  return op === '==' ? a === b : op === '>' ? a > b : op === '<=' ? a <= b : a === b;
}

/** A plain reading: a packet field matches when some packet's value does; != is "not ==" of the connection. */
function meaning(e: Ast, c: Conn): boolean {
  switch (e.t) {
    case 'and': return meaning(e.a, c) && meaning(e.b, c);
    case 'or': return meaning(e.a, c) || meaning(e.b, c);
    case 'not': return !meaning(e.x, c);
    case 'bare':
      if (e.field in FLAG_BITS) return c.packets.some((p) => (p.flags & FLAG_BITS[e.field]) !== 0);
      if (e.field === 'ip') return !c.client.includes(':');
      if (e.field === 'ipv6') return c.client.includes(':');
      if (e.field === 'tcp.stream') return c.stream >= 0;
      if (e.field === 'tcp.analysis.retransmission') return (c.anomalies & (A_RETRANSMISSION | A_FAST_RETRANSMISSION)) !== 0;
      if (e.field === 'tcp.analysis.fast_retransmission') return (c.anomalies & A_FAST_RETRANSMISSION) !== 0;
      return (c.anomalies & A_ZERO_WINDOW) !== 0;
    case 'cmp': {
      if (e.op === '!=') return !meaning({ ...e, op: '==' }, c);
      const any = (xs: (string | number)[]) => xs.some((x) => e.values.some((v) => holds(x, e.op, v)));
      const perPacket = (f: (p: Pkt) => (string | number)[]) => c.packets.some((p) => any(f(p)));
      const src = (p: Pkt) => (p.fromClient ? c.client : c.server);
      const dst = (p: Pkt) => (p.fromClient ? c.server : c.client);
      const sp = (p: Pkt) => (p.fromClient ? c.cport : c.sport);
      const dp = (p: Pkt) => (p.fromClient ? c.sport : c.cport);
      const v4 = (s: string) => (s.includes(':') ? [] : [s]);
      const v6 = (s: string) => (s.includes(':') ? [s] : []);
      switch (e.field) {
        case 'ip.addr': return perPacket((p) => [...v4(src(p)), ...v4(dst(p))]);
        case 'ip.src': return perPacket((p) => v4(src(p)));
        case 'ip.dst': return perPacket((p) => v4(dst(p)));
        case 'ipv6.addr': return perPacket((p) => [...v6(src(p)), ...v6(dst(p))]);
        case 'ipv6.src': return perPacket((p) => v6(src(p)));
        case 'tcp.port': return perPacket((p) => [sp(p), dp(p)]);
        case 'tcp.srcport': return perPacket((p) => [sp(p)]);
        case 'tcp.dstport': return perPacket((p) => [dp(p)]);
        case 'tcp.stream': return c.stream >= 0 && any([c.stream]);
        case 'teardown.close': return CLOSE_KINDS[c.kind] === e.values[0];
        default: return perPacket((p) => [(p.flags & FLAG_BITS[e.field]) !== 0 ? 1 : 0]);
      }
    }
  }
}

/** The flow columns of the connections, as the worker fills them. */
function columns(conns: Conn[]): FlowColumns {
  const { c, intern } = createFlowColumns(conns.length);
  conns.forEach((x, i) => {
    c.clientIp[i] = intern(x.client);
    c.serverIp[i] = intern(x.server);
    c.clientPort[i] = x.cport;
    c.serverPort[i] = x.sport;
    c.tcpStream[i] = x.stream;
    c.kind[i] = x.kind;
    c.packets[i] = x.packets.length;
    c.anomalyBits[i] = x.anomalies;
    let set = 0;
    let clear = 0;
    for (const p of x.packets) {
      const shift = p.fromClient ? 0 : 8;
      set |= p.flags << shift;
      clear |= (~p.flags & 0xff) << shift;
    }
    c.tcpFlags[i] = (set | (clear << 16)) >>> 0;
  });
  return c;
}

describe('filter meaning (property tests)', () => {
  it('selects exactly the connections the expression means, in every spelling', () => {
    fc.assert(
      fc.property(fc.array(connArb, { minLength: 1, maxLength: 30 }), astArb, fc.nat(255), (conns, e, style) => {
        const c = columns(conns);
        const text = print(e, style);
        const want = conns.flatMap((x, i) => (meaning(e, x) ? [i] : []));
        const got = [...queryFlows(c, { ...DEFAULT_QUERY, sort: 'start', text })].sort((a, b) => a - b);
        expect(got, text).toEqual(want);
      }),
      { numRuns: 1500 },
    );
  });

  it('and binds tighter than or; not tighter than both', () => {
    fc.assert(
      fc.property(fc.array(connArb, { minLength: 1, maxLength: 20 }), cmpArb, cmpArb, cmpArb, (conns, a, b, d) => {
        const c = columns(conns);
        const rows = (text: string) => [...queryFlows(c, { ...DEFAULT_QUERY, text })].sort((x, y) => x - y);
        const [pa, pb, pd] = [a, b, d].map((x) => print(x, 0));
        expect(rows(`${pa} or ${pb} and ${pd}`)).toEqual(rows(`(${pa}) or ((${pb}) and (${pd}))`));
        expect(rows(`not ${pa} and ${pb}`)).toEqual(rows(`(not (${pa})) and (${pb})`));
      }),
      { numRuns: 300 },
    );
  });
});

describe('connections known only from a firewall log', () => {
  it('count the client as the sender, have no flags, and match teardown fields', () => {
    const { c, intern } = createFlowColumns(2);
    c.clientIp[0] = intern('10.0.0.1'); c.serverIp[0] = intern('8.8.8.8'); c.clientPort[0] = 5353; c.serverPort[0] = 53;
    c.proto[0] = 17; c.marks[0] = MARK_FIREWALL | MARK_SYSLOG_ONLY; c.kind[0] = 255; c.reason[0] = intern('Idle Timeout'); c.message[0] = 302016;
    c.clientIp[1] = intern('10.0.0.2'); c.serverIp[1] = intern('10.0.0.9'); c.clientPort[1] = 4000; c.serverPort[1] = 443;
    c.marks[1] = MARK_FIREWALL | MARK_SYSLOG_ONLY; c.kind[1] = 255; c.reason[1] = intern('TCP FINs'); c.message[1] = 302014;
    const rows = (text: string) => [...queryFlows(c, { ...DEFAULT_QUERY, text })];
    expect(rows('ip.src == 10.0.0.1')).toEqual([0]);
    expect(rows('ip.dst == 10.0.0.1')).toEqual([]);
    expect(rows('udp.dstport == 53')).toEqual([0]);
    expect(rows('tcp.port == 53')).toEqual([]);
    expect(rows('udp')).toEqual([0]);
    expect(rows('tcp && tcp.dstport == 443')).toEqual([1]);
    expect(rows('tcp.flags.syn')).toEqual([]);
    expect(rows('teardown.log_only and teardown.reason contains "fin"')).toEqual([1]);
    expect(rows('teardown.reason == "Idle Timeout"')).toEqual([0]);
    expect(rows('teardown.message in {302014 302016}')).toEqual([0, 1]);
    expect(rows('teardown.close == none')).toEqual([0, 1]);
    expect(rows('teardown.initiator == none')).toEqual([0, 1]);
    // A mistake filters nothing; free text still searches.
    expect(rows('tcp.port ==')).toEqual([0, 1]);
    expect(rows('idle')).toEqual([0]);
  });
});

describe('teardown.reason_kind: the normalised reason, any vendor', () => {
  it("matches the reason kind each decoder gave, captured or log-only, and nothing for a row without a teardown", async () => {
    const H = '<166>Jun 20 2018 12:00:';
    const asa = [
      `${H}00 fw1 : %ASA-6-302013: Built inbound TCP connection 1 for outside:198.51.100.9/1000 (198.51.100.9/1000) to inside:10.0.0.5/443 (10.0.0.5/443)`,
      `${H}10 fw1 : %ASA-6-302014: Teardown TCP connection 1 for outside:198.51.100.9/1000 to inside:10.0.0.5/443 duration 0:00:10 bytes 999 TCP FINs`,
      `${H}10 fw1 : %ASA-6-302014: Teardown TCP connection 2 for outside:198.51.100.9/1001 to inside:10.0.0.5/443 duration 0:00:10 bytes 999 TCP Reset-O`,
      `${H}20 fw1 : %ASA-6-302013: Built inbound TCP connection 3 for outside:198.51.100.9/1002 (198.51.100.9/1002) to inside:10.0.0.5/443 (10.0.0.5/443)`,
    ];
    const fgt = (port: number, action: string) =>
      `date=2018-06-20 time=12:00:30 devname="fg" devid="FG1" tz="+0000" logid="0000000013" type="traffic" subtype="forward" srcip=198.51.100.7 srcport=${port} srcintf="wan1" dstip=10.0.0.6 dstport=22 dstintf="lan" sessionid=${port} proto=6 action="${action}" policyid=1 duration=5 sentbyte=1 rcvdbyte=1`;
    const capture = captureText(connectionLines({ client: '198.51.100.9.1000', server: '10.0.0.5.443', startSec: 43201, endSec: 43209.5, close: 'clean' }));
    const s = await analyzeSources([
      createTextSource('asa.log', `${asa.join('\n')}\n`), createTextSource('fgt.log', `${fgt(2000, 'close')}\n${fgt(2001, 'timeout')}\n`),
      createTextSource('cap.txt', capture),
    ], { year: 2018 });
    const c = flowColumnsOf(s.reports, logOnlyFlowRows(s));
    const name = (r: number) => `${c.strings[c.clientIp[r]]}/${c.clientPort[r]}${c.marks[r] & MARK_SYSLOG_ONLY ? ' log' : ''}`;
    const rows = (text: string) => [...queryFlows(c, { ...DEFAULT_QUERY, text })].map(name).sort();
    expect(rows('teardown.reason_kind == fins')).toEqual(['198.51.100.7/2000 log', '198.51.100.9/1000']);
    expect(rows('teardown.reason_kind == reset-outside')).toEqual(['198.51.100.9/1001 log']);
    expect(rows('teardown.reason_kind in {idle-timeout reset-outside}')).toEqual(['198.51.100.7/2001 log', '198.51.100.9/1001 log']);
    expect(rows('teardown.reason_kind contains "timeout"')).toEqual(['198.51.100.7/2001 log']);
    expect(rows('teardown.reason_kind')).toHaveLength(4);
    expect(rows('teardown.firewall and not teardown.reason_kind')).toEqual(['198.51.100.9/1002 log']);
    expect(rows('teardown.reason_kind == none')).toEqual([]);
    expect(error('teardown.reason_kind == fin')).toMatch(/one of none, other, other-reset, other-fin, fins, /);
  });
});
