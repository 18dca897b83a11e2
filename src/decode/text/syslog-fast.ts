/**
 * The syslog decoder's fast path: the messages that make up most of a real ASA/FTD log, read from the line's bytes
 * straight into the firewall store's record (model/firewall-record.ts) in one pass, with no string per field:
 * addresses as numbers interned by value, interfaces, reasons and rules by a hash of their bytes, ports,
 * connection ids, byte counts and durations as numbers. Messages (Cisco syslog guide, formats.md §1.3-§1.9):
 *   302013/302015 Built {inbound|outbound} {TCP|UDP} connection ID for IF:A/P (A/P) to IF:A/P (A/P)
 *   302014/302016 Teardown {TCP|UDP} connection ID for IF:A/P to IF:A/P duration H:MM:SS bytes N[ reason][ from IF]
 *   106015 Deny TCP (no connection) from A/P to A/P flags F... on interface IF
 *   106023 Deny {tcp|udp} src IF:A/P dst IF:A/P by access-group "ACL" ...
 *   106100 access-list ACL {permitted|est-allowed} ...; 305011/305012 {Built|Teardown} ... translation ...: checked
 *   only (the store keeps neither, only their time counts).
 * Each reader takes only the plainest shape (IPv4 in canonical form, no user or identity groups, nothing after the
 * last field but what the general reader would read the same way) and returns false for anything else; the line
 * then goes, as text, to the general readers (syslog-messages.ts), which stay the definition: the store gets the
 * same record either way (analysis/firewall/record-of.ts; tests/unit/syslog-fast.test.ts checks it on generated lines).
 */
import { DENY_CAUSE } from '../../model/deny-causes';
import { DENY_ROW_KIND } from '../../model/firewall';
import { REC_BUILT, REC_PACKET, REC_SKIP, REC_TEARDOWN, isNoConnectionTcpCode, type FirewallRecord } from '../../model/firewall-record';
import { DIR_INBOUND, DIR_NONE, DIR_OUTBOUND, NONE, PROTO_TCP, PROTO_UDP } from '../../model/firewall-store';
import type { Names } from '../../model/names';
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../../model/segment';
import { createEndpointScan, find, literal as lit, printable, scanDigits, scanDuration, scanEndpoint, startsAt, TokenIds, type EndpointScan } from './syslog-fast-scan';
import { createCursor } from './text-scan';
import { teardownReasonCode, teardownReasonSpelling } from './syslog-teardown-reasons';

/** Message ids the fast path reads (others always take the general readers). */
export const FAST_IDS: ReadonlySet<number> = new Set([302013, 302014, 302015, 302016, 106015, 106023, 106100, 305011, 305012]);

const CAUSE_NO_CONNECTION = DENY_CAUSE['no-connection'];
const CAUSE_ACCESS_RULE = DENY_CAUSE['access-rule'];

const BUILT = lit('Built ');
const TEARDOWN = lit('Teardown ');
const INBOUND = lit('inbound ');
const OUTBOUND = lit('outbound ');
const TCP_CONN = lit('TCP connection ');
const UDP_CONN = lit('UDP connection ');
const FOR = lit(' for ');
const FROM = lit(' from ');
const FROM0 = lit('from ');
const TO = lit(' to ');
const DURATION = lit(' duration ');
const BYTES = lit(' bytes ');
const DENY_NO_CONN = lit('Deny TCP (no connection) from ');
const FLAGS = lit(' flags ');
const ON_IFACE = lit(' on interface ');
const ON_IFACE0 = lit('on interface ');
const DENY = lit('Deny ');
const TCP_SRC = lit('tcp src ');
const TCP_SRC_UP = lit('TCP src ');
const UDP_SRC = lit('udp src ');
const UDP_SRC_UP = lit('UDP src ');
const DST = lit(' dst ');
const BY_GROUP = lit(' by access-group "');
const ACCESS_LIST = lit('access-list ');
const DENIED = lit('denied');
const ARROW = lit(' -> ');
const HIT_CNT = lit(' hit-cnt');
const TRANSLATION = lit(' translation from ');

/** Bit of an upper- or lower-case TCP flag word at b[i, i+3) (syslog-fields.ts flagWord), 0 when none. */
function flagWord(b: Uint8Array, i: number): number {
  const x = b[i] & 0xdf;
  const y = b[i + 1] & 0xdf;
  const z = b[i + 2] & 0xdf;
  if (x === 83 && y === 89 && z === 78) return SYN;
  if (x === 65 && y === 67 && z === 75) return ACK;
  if (x === 70 && y === 73 && z === 78) return FIN;
  if (x === 82 && y === 83 && z === 84) return RST;
  if (x === 80 && y === 83 && z === 72) return PSH;
  if (x === 85 && y === 82 && z === 71) return URG;
  if (x === 69 && y === 67 && z === 69) return ECE;
  if (x === 67 && y === 87 && z === 82) return CWR;
  return 0;
}

/** Space-separated TCP flag words in b[a, e) as a bit set, -1 when none (syslog-fields.ts readFlagWords). */
function flagWords(b: Uint8Array, a: number, e: number): number {
  let flags = 0;
  let seen = false;
  let i = a;
  while (i < e) {
    while (i < e && b[i] === 32) i++;
    let j = i;
    while (j < e && b[j] !== 32) j++;
    if (j - i === 3) {
      const bit = flagWord(b, i);
      if (bit) {
        flags |= bit;
        seen = true;
      }
    }
    i = j;
  }
  return seen ? flags : -1;
}

export interface SyslogFastPath {
  /** Fills r's message facts (not its line, device or time) from the body at b[a, end); false: not a shape it reads. */
  parse(id: number, b: Uint8Array, a: number, end: number, r: FirewallRecord): boolean;
}

/** `codes`: records give their addresses as IPv4 values (FirewallRecord.addrCodes), not interned here. */
export function createSyslogFastPath(names: Names, codes = false): SyslogFastPath {
  const tokens = new TokenIds(names);
  const at = createCursor();
  const src = createEndpointScan();
  const dst = createEndpointScan();
  /** By the names id of a reason text: its normalised code and Cisco's spelling's id (syslog-teardown-reasons.ts), once per distinct text. */
  const reasons = new Map<number, { code: number; spelling: number }>();

  /** The endpoint scanned into `e` as the record's src or dst side (interned in the order record-of.ts interns). */
  function side(r: FirewallRecord, isSrc: boolean, b: Uint8Array, e: EndpointScan, full: boolean): void {
    const iface = full ? tokens.id(b, e.ifaceStart, e.ifaceEnd) : NONE;
    const addr = codes ? e.addr : names.ipv4Id(e.addr, b, e.addrStart, e.addrEnd);
    const mapped = !full || e.mapped < 0 ? NONE : codes ? e.mapped : e.mapped === e.addr ? addr : names.ipv4Id(e.mapped, b, e.mappedStart, e.mappedEnd);
    const mappedPort = !full || e.mapped < 0 ? -1 : e.mappedPort;
    if (isSrc) {
      r.hasSrc = true; r.srcIface = iface; r.srcAddr = addr; r.srcPort = e.port; r.srcMapped = mapped; r.srcMappedPort = mappedPort;
    } else {
      r.hasDst = true; r.dstIface = iface; r.dstAddr = addr; r.dstPort = e.port; r.dstMapped = mapped; r.dstMappedPort = mappedPort;
    }
  }

  /** `{TCP|UDP} connection ID {for|from} ` at b[p..]: sets proto and connId, returns where the first endpoint starts. */
  function head(b: Uint8Array, p: number, end: number, r: FirewallRecord): number {
    if (startsAt(b, p, end, TCP_CONN)) r.proto = PROTO_TCP;
    else if (startsAt(b, p, end, UDP_CONN)) r.proto = PROTO_UDP;
    else return -1;
    p += 15;
    // A plain decimal without a leading zero (record-of.ts keeps any other ID as text).
    if (b[p] === 48 && p + 1 < end && b[p + 1] >= 48 && b[p + 1] <= 57) return -1;
    const id = scanDigits(b, p, end, at);
    if (id < 0) return -1;
    r.connId = id;
    p = at.end;
    if (startsAt(b, p, end, FOR)) return p + 5;
    if (startsAt(b, p, end, FROM)) return p + 6;
    return -1;
  }

  function connFacts(r: FirewallRecord, kind: number): void {
    r.kind = kind;
    r.initiator = 0;
    r.hasIcmp = false;
    r.icmpType = -1;
    r.icmpCode = -1;
  }

  function built(b: Uint8Array, a: number, end: number, r: FirewallRecord): boolean {
    if (!startsAt(b, a, end, BUILT)) return false;
    let p = a + 6;
    r.direction = DIR_NONE;
    if (startsAt(b, p, end, INBOUND)) {
      r.direction = DIR_INBOUND;
      p += 8;
    } else if (startsAt(b, p, end, OUTBOUND)) {
      r.direction = DIR_OUTBOUND;
      p += 9;
    }
    p = head(b, p, end, r);
    if (p < 0) return false;
    p = scanEndpoint(b, p, end, true, true, src, at);
    if (p < 0 || !startsAt(b, p, end, TO)) return false;
    p = scanEndpoint(b, p + 4, end, true, true, dst, at);
    if (p !== end) return false;
    connFacts(r, REC_BUILT);
    side(r, true, b, src, true);
    side(r, false, b, dst, true);
    return true;
  }

  function teardown(b: Uint8Array, a: number, end: number, r: FirewallRecord): boolean {
    if (!startsAt(b, a, end, TEARDOWN)) return false;
    let p = head(b, a + 9, end, r);
    if (p < 0) return false;
    p = scanEndpoint(b, p, end, true, false, src, at);
    if (p < 0 || !startsAt(b, p, end, TO)) return false;
    p = scanEndpoint(b, p + 4, end, true, false, dst, at);
    if (p < 0 || !startsAt(b, p, end, DURATION)) return false;
    const dur = scanDuration(b, p + 10, end, at);
    if (dur < 0 || !startsAt(b, at.end, end, BYTES)) return false;
    const bytes = scanDigits(b, at.end + 7, end, at);
    if (bytes < 0) return false;
    // The tail `[reason][ from IFACE]`, split as syslog-connections.ts readTeardownTail splits it. Printable ASCII
    // only (then its String.trim is the space trim here), and no trailing `(user)` group.
    let t = at.end;
    let e = end;
    if (!printable(b, t, e)) return false;
    while (t < e && b[t] === 32) t++;
    while (e > t && b[e - 1] === 32) e--;
    if (e > t && b[e - 1] === 41) return false;
    connFacts(r, REC_TEARDOWN);
    r.direction = DIR_NONE;
    r.bytes = bytes;
    r.durationS = dur;
    side(r, true, b, src, true);
    side(r, false, b, dst, true);
    let reason = NONE;
    let from = NONE;
    if (t < e) {
      let f = find(b, t, end, FROM);
      if (f < 0 || f + 6 > e) f = startsAt(b, t, end, FROM0) ? t - 1 : -1;
      let re = e;
      if (f >= t - 1) {
        from = trimmedToken(b, f + 6, e);
        re = f < t ? t : f;
      }
      if (re > t) reason = trimmedToken(b, t, re);
    }
    r.reason = reason;
    r.from = from;
    let known = reasons.get(reason);
    if (known === undefined) {
      const text = reason === NONE ? null : names.list[reason];
      reasons.set(reason, (known = { code: teardownReasonCode(text), spelling: names.idFew(teardownReasonSpelling(text)) }));
    }
    r.reasonCode = known.code;
    r.reasonSpelling = known.spelling;
    return true;
  }

  /** The name in b[a, e) without its spaces at either end; NONE when nothing is left (String.trim() || null). */
  function trimmedToken(b: Uint8Array, a: number, e: number): number {
    while (a < e && b[a] === 32) a++;
    while (e > a && b[e - 1] === 32) e--;
    return a < e ? tokens.id(b, a, e) : NONE;
  }

  function packetRow(r: FirewallRecord, b: Uint8Array, proto: number, cause: number, iface: number, acl: number, flags: number): void {
    r.kind = REC_PACKET;
    r.rowKind = DENY_ROW_KIND.deny;
    r.proto = proto;
    r.cause = cause;
    r.noConnectionTcp = isNoConnectionTcpCode(cause, proto);
    r.keyed = proto === PROTO_TCP;
    r.tcpFlags = flags;
    r.iface = iface;
    r.acl = acl;
    r.hasIcmp = false;
    r.icmpType = -1;
    r.icmpCode = -1;
    side(r, true, b, src, false);
    side(r, false, b, dst, false);
  }

  /** 106015 Deny TCP (no connection) from A/P to A/P flags F  on interface IF (syslog-denies.ts denyFlags). */
  function denyNoConnection(b: Uint8Array, a: number, end: number, r: FirewallRecord): boolean {
    if (!startsAt(b, a, end, DENY_NO_CONN)) return false;
    let p = scanEndpoint(b, a + 30, end, false, false, src, at);
    if (p < 0 || !startsAt(b, p, end, TO)) return false;
    p = scanEndpoint(b, p + 4, end, false, false, dst, at);
    if (p < 0 || !startsAt(b, p, end, FLAGS)) return false;
    if (!printable(b, p, end)) return false;
    // The first `on interface ` (on2), and the first ` on interface ` (on): the one before on2 when a space is there
    // (none can start earlier), else one after it.
    const on2 = find(b, p, end, ON_IFACE0);
    let on = on2 < 0 ? -1 : on2 > p && b[on2 - 1] === 32 ? on2 - 1 : find(b, on2, end, ON_IFACE);
    if (on < 0) on = end;
    const flags = flagWords(b, p + 7, on);
    let iface: number;
    if (on2 >= 0) {
      let e = end;
      while (e > on2 && (b[e - 1] === 32 || b[e - 1] === 46)) e--;
      iface = tokens.id(b, e > on2 + 13 ? on2 + 13 : e, e);
    } else iface = tokens.id(b, p, p);
    packetRow(r, b, PROTO_TCP, CAUSE_NO_CONNECTION, iface, NONE, flags);
    return true;
  }

  /** 106023 Deny {tcp|udp} src IF:A/P dst IF:A/P by access-group "ACL" ... (syslog-denies.ts denyAcl). */
  function denyAccessGroup(b: Uint8Array, a: number, end: number, r: FirewallRecord): boolean {
    if (!startsAt(b, a, end, DENY)) return false;
    let proto: number;
    const w = a + 5;
    if (startsAt(b, w, end, TCP_SRC) || startsAt(b, w, end, TCP_SRC_UP)) proto = PROTO_TCP;
    else if (startsAt(b, w, end, UDP_SRC) || startsAt(b, w, end, UDP_SRC_UP)) proto = PROTO_UDP;
    else return false;
    let p = scanEndpoint(b, w + 8, end, true, false, src, at);
    if (p < 0 || !startsAt(b, p, end, DST)) return false;
    p = scanEndpoint(b, p + 5, end, true, false, dst, at);
    if (p < 0 || !startsAt(b, p, end, BY_GROUP)) return false;
    let q2 = p + 18;
    while (q2 < end && b[q2] !== 34) q2++;
    if (q2 >= end) return false;
    if (!printable(b, p + 18, q2)) return false;
    const iface = tokens.id(b, src.ifaceStart, src.ifaceEnd);
    const acl = tokens.id(b, p + 18, q2);
    packetRow(r, b, proto, CAUSE_ACCESS_RULE, iface, acl, -1);
    return true;
  }

  /** The end of the word at b[a..] (the next space, else the line's end; syslog-connections.ts wordEnd). */
  function wordEnd(b: Uint8Array, a: number, end: number): number {
    if (a >= end) return end;
    while (a < end && b[a] !== 32) a++;
    return a;
  }

  /** 106100 with a permit (syslog-denies.ts aclLog): checked, kept as its time only. A deny takes the general path. */
  function aclPermit(b: Uint8Array, a: number, end: number): boolean {
    if (!startsAt(b, a, end, ACCESS_LIST)) return false;
    const nameEnd = wordEnd(b, a + 12, end);
    const actEnd = wordEnd(b, nameEnd + 1, end);
    if (actEnd - nameEnd - 1 === 6 && startsAt(b, nameEnd + 1, end, DENIED)) return false;
    const protoEnd = wordEnd(b, actEnd + 1, end);
    const arrow = find(b, protoEnd, end, ARROW);
    if (arrow < 0) return false;
    let e = find(b, arrow, end, HIT_CNT);
    if (e < 0) e = end;
    let s1 = protoEnd + 1;
    while (s1 < arrow && b[s1] !== 47) s1++;
    let s2 = arrow + 4;
    while (s2 < e && b[s2] !== 47) s2++;
    return s1 < arrow && s2 < e;
  }

  /** 305011/305012 {Built|Teardown} {dynamic|static} PROTO translation from IF:A/P to IF:A/P[ duration T]: checked only. */
  function xlate(b: Uint8Array, a: number, end: number, isBuilt: boolean): boolean {
    if (!startsAt(b, a, end, isBuilt ? BUILT : TEARDOWN)) return false;
    const tr = find(b, a, end, TRANSLATION);
    if (tr < 0) return false;
    let p = scanEndpoint(b, tr + 18, end, true, false, src, at);
    if (p < 0 || !startsAt(b, p, end, TO)) return false;
    p = scanEndpoint(b, p + 4, end, true, false, dst, at);
    if (p === end) return true;
    return p >= 0 && startsAt(b, p, end, DURATION) && scanDuration(b, p + 10, end, at) >= 0 && at.end === end;
  }

  return {
    parse(id: number, b: Uint8Array, a: number, end: number, r: FirewallRecord): boolean {
      r.repeat = 1;
      r.connId = NaN;
      r.addrCodes = codes;
      switch (id) {
        case 302013:
        case 302015:
          return built(b, a, end, r);
        case 302014:
        case 302016:
          return teardown(b, a, end, r);
        case 106015:
          return denyNoConnection(b, a, end, r);
        case 106023:
          return denyAccessGroup(b, a, end, r);
        case 106100:
          r.kind = REC_SKIP;
          return aclPermit(b, a, end);
        case 305011:
        case 305012:
          r.kind = REC_SKIP;
          return xlate(b, a, end, id === 305011);
        default:
          return false;
      }
    },
  };
}
