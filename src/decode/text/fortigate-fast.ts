/**
 * The FortiGate decoder's fast path: a traffic log line read from its bytes (fortigate-bytes.ts) straight into the
 * firewall store's records (model/firewall-record.ts), with no string per field and no event object: addresses
 * interned by value, device, interfaces, policies and actions by a hash of their bytes, numbers read in place.
 * It takes the common shapes only (a traffic log with a decimal `logid`, an `eventtime`, both addresses, a plain
 * `sessionid` for a session's end log, a `proto` below 256) and gives back anything else untouched (false) before it
 * has counted or stored a thing: session-start logs, lines timed by `date`/`time` alone, odd values. The text reader
 * (fortigate.ts) stays the definition; the store gets the same records either way, interned in the same order
 * (analysis/firewall/record-of.ts; tests/unit/fortigate-fast.test.ts holds the two together).
 */
import { DENY_CAUSE } from '../../model/deny-causes';
import { DENY_ROW_KIND } from '../../model/firewall';
import { FirewallRecord, REC_BUILT, REC_PACKET, REC_TEARDOWN, type FirewallRecordSink } from '../../model/firewall-record';
import { DIR_NONE, NONE, PROTO_TCP, protoCode } from '../../model/firewall-store';
import { TEARDOWN_REASON } from '../../model/teardown-reasons';
import { KeyValueBytes } from './fortigate-bytes';
import { F, INVALID, KEYS, NO_SESSION, ONGOING, protocolOf, reasonOf } from './fortigate-keys';
import type { LineTime } from './fortigate-time';
import { asciiText, lit, scanIpv4, TokenIds } from './syslog-fast-scan';
import { createCursor } from './text-scan';

/** What the fast path shares with the text reader of the same input (fortigate.ts createFortigateLineDecoder). */
export interface FortigateShared {
  /** Lines per `logid` text. */
  counts: Map<string, number>;
  /** Sessions whose start log was read (`device/sessionid`), until their end log. */
  started: Set<string>;
  /** Lines with a `logid`, and events given to the store. */
  tagged: number;
  events: number;
}

const TRAFFIC = lit('traffic');
const DENY = lit('deny');
const START = lit('start');
const DNS = lit('dns');
const IP_CONN = lit('ip-conn');
const NO_SESSION_BYTES = lit(NO_SESSION);
const CAUSE_NO_CONNECTION = DENY_CAUSE['no-connection'];

/** The line b[start, end) read into the store (true), or left to the text reader (false, nothing done). */
export type FortigateLineBytes = (b: Uint8Array, start: number, end: number, lineNo: number) => boolean;

export function createFortigateFastPath(input: number, records: FirewallRecordSink, shared: FortigateShared): FortigateLineBytes {
  const names = records.names;
  const kv = new KeyValueBytes(KEYS);
  const tokens = new TokenIds(names);
  const at = createCursor();
  const rec = new FirewallRecord();
  rec.input = input;
  const when: LineTime = { timeUs: NaN, precisionUs: 1e6 };
  /** Store protocol code by `proto` number (protoCode of the event's protocol text), -1 until asked. */
  const protoCodes = new Int16Array(256).fill(-1);
  /** Normalised reason code by the names id of an `action`. */
  const reasonCodes = new Map<number, number>();
  /** The last few `logid` texts and their bytes (a log has a handful of ids). */
  const idBytes: Uint8Array[] = [];
  const idTexts: string[] = [];
  let emptyId = -1;

  function idText(a: number, e: number, b: Uint8Array): string {
    outer: for (let k = 0; k < idBytes.length; k++) {
      const t = idBytes[k];
      if (t.length !== e - a) continue;
      for (let j = 0; j < t.length; j++) if (t[j] !== b[a + j]) continue outer;
      return idTexts[k];
    }
    const text = asciiText(b, a, e);
    const slot = idBytes.length < 16 ? idBytes.length : (a + e) & 15;
    idBytes[slot] = b.slice(a, e);
    idTexts[slot] = text;
    return text;
  }

  /** Names id of key k's value (NONE when absent); `orEmpty`: '' interned when absent. */
  function token(k: number, orEmpty = false): number {
    if (kv.start[k] >= 0) return tokens.id(kv.b, kv.start[k], kv.end[k]);
    if (!orEmpty) return NONE;
    return emptyId >= 0 ? emptyId : (emptyId = names.id(''));
  }

  /** Names id of an address value (names.id of its text: canonical IPv4 by value). */
  function address(k: number): number {
    const a = kv.start[k];
    const e = kv.end[k];
    const b = kv.b;
    const v = scanIpv4(b, a, at);
    return v >= 0 && at.end === e ? names.ipv4Id(v, b, a, e) : tokens.id(b, a, e);
  }

  /**
   * One side of a session into r (record-of.ts side): interface, address, port, and with NAT on either side its
   * mapped address and port (the translated ones when logged, else its own).
   */
  function side(r: FirewallRecord, src: boolean, iface: number, ip: number, port: number, natIp: number, natPort: number, nat: boolean): void {
    const ifaceId = token(iface);
    const addr = address(ip);
    const mapped = !nat ? NONE : kv.has(natIp) ? address(natIp) : addr;
    const mappedPort = !nat ? -1 : kv.has(natIp) && natPort >= 0 ? natPort : port;
    if (src) {
      r.hasSrc = true; r.srcIface = ifaceId; r.srcAddr = addr; r.srcPort = port; r.srcMapped = mapped; r.srcMappedPort = mappedPort;
    } else {
      r.hasDst = true; r.dstIface = ifaceId; r.dstAddr = addr; r.dstPort = port; r.dstMapped = mapped; r.dstMappedPort = mappedPort;
    }
  }

  function count(): void {
    const id = idText(kv.start[F.logid], kv.end[F.logid], kv.b);
    shared.counts.set(id, (shared.counts.get(id) ?? 0) + 1);
    shared.tagged++;
  }

  function put(b: Uint8Array, start: number, end: number): void {
    shared.events++;
    if (records.wantsText) records.addRecord(rec, asciiText(b, start, end), kv.bodyAt - start);
    else records.addRecord(rec);
  }

  return (b, start, end, lineNo) => {
    kv.read(b, start, end);
    if (!kv.has(F.logid)) return true; // not a FortiGate log: counted by the caller as a line without one
    const logid = kv.uint(F.logid);
    if (logid < 0 || (b[kv.start[F.logid]] === 48 && (b[kv.start[F.logid] + 1] | 32) === 120)) return false;
    const message = logid % 1e6;
    const action = F.action;
    if (!kv.is(F.type, TRAFFIC) || ONGOING.has(message) || kv.end[action] - kv.start[action] <= 0 || kv.is(action, DNS) || kv.is(action, IP_CONN)) {
      count();
      return true;
    }
    const isDeny = kv.is(action, DENY);
    if (kv.is(action, START) || !kv.eventTime(F.eventtime, when) || !kv.has(F.srcip) || !kv.has(F.dstip)) return false;
    const proto = kv.uint(F.proto);
    if (proto < 0 || proto > 255) return false;
    const icmp = proto === 1 || proto === 58;
    const sport = kv.uint(icmp ? F.icmpid : F.srcport);
    const dport = kv.uint(icmp ? F.icmpid : F.dstport);
    const hasIcmp = icmp && kv.has(F.icmptype);
    const icmpType = hasIcmp ? kv.uint(F.icmptype) : -1;
    const icmpCode = hasIcmp ? kv.uint(F.icmpcode) : -1;
    const policy = kv.uint(F.policyid);
    const connId = isDeny ? 0 : kv.plainDecimal(F.sessionid);
    const transPort = kv.uint(F.transport);
    const tranPort = kv.uint(F.tranport);
    const duration = kv.uint(F.duration);
    const sent = kv.uint(F.sentbyte);
    const rcvd = kv.uint(F.rcvdbyte);
    // -2: a hex value too long to read the text reader's way.
    if (connId < 0 || sport === -2 || dport === -2 || icmpType === -2 || icmpCode === -2 || policy === -2 || transPort === -2 || tranPort === -2 ||
      duration === -2 || sent === -2 || rcvd === -2) return false;
    let pc = protoCodes[proto];
    if (pc < 0) pc = protoCodes[proto] = protoCode(protocolOf(proto));

    count();
    // Interned in record-of.ts's order: message id, device, then (a deny) interface and rule, addresses; (a
    // session) each side's interface, address and mapped address, then (after the Built is stored) the action.
    const r = rec;
    r.line = lineNo;
    r.repeat = 1;
    r.unkeptConnection = false;
    r.messageId = tokens.id(b, kv.start[F.logid], kv.end[F.logid]);
    r.device = token(kv.has(F.devname) ? F.devname : F.devid, true);
    r.hasIcmp = hasIcmp;
    r.icmpType = icmpType;
    r.icmpCode = hasIcmp ? Math.max(0, icmpCode) : -1;
    r.timeUs = when.timeUs;
    r.precisionUs = when.precisionUs;
    if (isDeny) {
      r.kind = REC_PACKET;
      r.rowKind = DENY_ROW_KIND.deny;
      const cause = kv.is(F.msg, NO_SESSION_BYTES) ? 'no-connection' : message === INVALID ? 'other' : policy === 0 ? 'security-policy' : 'access-rule';
      r.cause = DENY_CAUSE[cause];
      r.noConnectionTcp = r.cause === CAUSE_NO_CONNECTION && proto === PROTO_TCP;
      r.keyed = proto === PROTO_TCP && sport >= 0 && dport >= 0;
      r.proto = pc;
      r.tcpFlags = -1;
      r.iface = token(F.srcintf, true);
      r.acl = token(kv.has(F.policyname) ? F.policyname : F.policyid);
      r.hasSrc = true; r.srcIface = NONE; r.srcAddr = address(F.srcip); r.srcPort = sport; r.srcMapped = NONE; r.srcMappedPort = -1;
      r.hasDst = true; r.dstIface = NONE; r.dstAddr = address(F.dstip); r.dstPort = dport; r.dstMapped = NONE; r.dstMappedPort = -1;
      put(b, start, end);
      return true;
    }
    const nat = kv.has(F.transip) || kv.has(F.tranip);
    r.connId = connId;
    r.proto = pc;
    r.direction = DIR_NONE;
    r.initiator = 1;
    side(r, true, F.srcintf, F.srcip, sport, F.transip, transPort, nat);
    side(r, false, F.dstintf, F.dstip, dport, F.tranip, tranPort, nat);
    const end0 = when.timeUs;
    const prec0 = when.precisionUs;
    const device = names.list[r.device];
    if (!(shared.started.size > 0 && shared.started.delete(`${device}/${connId}`)) && duration >= 0) {
      // The Built at the log time minus `duration`, stamped as the whole second it falls in (fortigate.ts).
      r.kind = REC_BUILT;
      r.timeUs = Math.floor((end0 - duration * 1e6) / 1e6) * 1e6;
      r.precisionUs = 1e6;
      put(b, start, end);
    }
    r.kind = REC_TEARDOWN;
    const reason = token(action);
    r.timeUs = end0;
    r.precisionUs = prec0;
    r.reason = reason;
    let code = reasonCodes.get(reason);
    if (code === undefined) reasonCodes.set(reason, (code = TEARDOWN_REASON[reasonOf(names.list[reason])]));
    r.reasonCode = code;
    r.from = NONE;
    r.reasonSpelling = NONE; // the action as written is its spelling
    r.bytes = sent >= 0 && rcvd >= 0 ? sent + rcvd : -1;
    r.durationS = duration;
    put(b, start, end);
    return true;
  };
}
