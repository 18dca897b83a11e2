/**
 * The syslog decoder's fast path: the messages that make up most of a real ASA/FTD log, read straight into the
 * firewall store's record (model/firewall-record.ts) in one pass over the line's characters, with no string per
 * field: addresses as numbers interned by value, interfaces, reasons and rules by a hash of their characters,
 * ports, connection ids, byte counts and durations as numbers. Messages (Cisco syslog guide, formats.md §1.3-§1.9):
 *   302013/302015 Built {inbound|outbound} {TCP|UDP} connection ID for IF:A/P (A/P) to IF:A/P (A/P)
 *   302014/302016 Teardown {TCP|UDP} connection ID for IF:A/P to IF:A/P duration H:MM:SS bytes N[ reason][ from IF]
 *   106015 Deny TCP (no connection) from A/P to A/P flags F... on interface IF
 *   106023 Deny {tcp|udp} src IF:A/P dst IF:A/P by access-group "ACL" ...
 *   106100 access-list ACL {permitted|est-allowed} ...; 305011/305012 {Built|Teardown} ... translation ...: checked
 *   only (the store keeps neither, only their time counts).
 * Each reader takes only the plainest shape (IPv4 in canonical form, no user or identity groups, nothing after the
 * last field but what the general reader would read the same way) and returns false for anything else; the line
 * then goes to the general readers (syslog-messages.ts), which stay the definition: the store gets the same record
 * either way (analysis/firewall/record-of.ts; tests/unit/syslog-fast.test.ts checks it on generated lines).
 */
import { DENY_CAUSE } from '../../model/deny-causes';
import { DENY_ROW_KIND } from '../../model/firewall';
import { REC_BUILT, REC_PACKET, REC_SKIP, REC_TEARDOWN, type FirewallRecord } from '../../model/firewall-record';
import { DIR_INBOUND, DIR_NONE, DIR_OUTBOUND, NONE, PROTO_TCP, PROTO_UDP } from '../../model/firewall-store';
import type { Names } from '../../model/names';
import { readFlagWords } from './syslog-fields';
import { createEndpointScan, scanDigits, scanDuration, scanEndpoint, TokenIds, type EndpointScan } from './syslog-fast-scan';
import { createCursor } from './text-scan';

/** Message ids the fast path reads (others always take the general readers). */
export const FAST_IDS: ReadonlySet<number> = new Set([302013, 302014, 302015, 302016, 106015, 106023, 106100, 305011, 305012]);

const CAUSE_NO_CONNECTION = DENY_CAUSE['no-connection'];
const CAUSE_ACCESS_RULE = DENY_CAUSE['access-rule'];

export interface SyslogFastPath {
  readonly tokens: TokenIds;
  /** Fills r's message facts (not its line, device or time) from the body at s[a..]; false: not a shape it reads. */
  parse(id: number, s: string, a: number, r: FirewallRecord): boolean;
}

export function createSyslogFastPath(names: Names): SyslogFastPath {
  const tokens = new TokenIds(names);
  const at = createCursor();
  const src = createEndpointScan();
  const dst = createEndpointScan();

  /** The endpoint scanned into `e` as the record's src or dst side (interned in the order record-of.ts interns). */
  function side(r: FirewallRecord, isSrc: boolean, s: string, e: EndpointScan, full: boolean): void {
    const iface = full ? tokens.id(s, e.ifaceStart, e.ifaceEnd) : NONE;
    const addr = names.ipv4Id(e.addr, s, e.addrStart, e.addrEnd);
    const mapped = !full || e.mapped < 0 ? NONE : e.mapped === e.addr ? addr : names.ipv4Id(e.mapped, s, e.mappedStart, e.mappedEnd);
    const mappedPort = !full || e.mapped < 0 ? -1 : e.mappedPort;
    if (isSrc) {
      r.hasSrc = true; r.srcIface = iface; r.srcAddr = addr; r.srcPort = e.port; r.srcMapped = mapped; r.srcMappedPort = mappedPort;
    } else {
      r.hasDst = true; r.dstIface = iface; r.dstAddr = addr; r.dstPort = e.port; r.dstMapped = mapped; r.dstMappedPort = mappedPort;
    }
  }

  /** `{TCP|UDP} connection ID {for|from} ` at s[p..]: sets proto and connId, returns where the first endpoint starts. */
  function head(s: string, p: number, r: FirewallRecord): number {
    if (s.startsWith('TCP connection ', p)) r.proto = PROTO_TCP;
    else if (s.startsWith('UDP connection ', p)) r.proto = PROTO_UDP;
    else return -1;
    p += 15;
    // A plain decimal without a leading zero (record-of.ts keeps any other ID as text).
    if (s.charCodeAt(p) === 48 && s.charCodeAt(p + 1) >= 48 && s.charCodeAt(p + 1) <= 57) return -1;
    const id = scanDigits(s, p, at);
    if (id < 0) return -1;
    r.connId = id;
    p = at.end;
    if (s.startsWith(' for ', p)) return p + 5;
    if (s.startsWith(' from ', p)) return p + 6;
    return -1;
  }

  function built(s: string, a: number, r: FirewallRecord): boolean {
    if (!s.startsWith('Built ', a)) return false;
    let p = a + 6;
    r.direction = DIR_NONE;
    if (s.startsWith('inbound ', p)) {
      r.direction = DIR_INBOUND;
      p += 8;
    } else if (s.startsWith('outbound ', p)) {
      r.direction = DIR_OUTBOUND;
      p += 9;
    }
    p = head(s, p, r);
    if (p < 0) return false;
    p = scanEndpoint(s, p, true, true, src, at);
    if (p < 0 || !s.startsWith(' to ', p)) return false;
    p = scanEndpoint(s, p + 4, true, true, dst, at);
    if (p !== s.length) return false;
    r.kind = REC_BUILT;
    r.initiator = 0;
    r.hasIcmp = false;
    r.icmpType = -1;
    r.icmpCode = -1;
    side(r, true, s, src, true);
    side(r, false, s, dst, true);
    return true;
  }

  function teardown(s: string, a: number, r: FirewallRecord): boolean {
    if (!s.startsWith('Teardown ', a)) return false;
    let p = head(s, a + 9, r);
    if (p < 0) return false;
    p = scanEndpoint(s, p, true, false, src, at);
    if (p < 0 || !s.startsWith(' to ', p)) return false;
    p = scanEndpoint(s, p + 4, true, false, dst, at);
    if (p < 0 || !s.startsWith(' duration ', p)) return false;
    const dur = scanDuration(s, p + 10, at);
    if (dur < 0 || !s.startsWith(' bytes ', at.end)) return false;
    const bytes = scanDigits(s, at.end + 7, at);
    if (bytes < 0) return false;
    // The tail `[reason][ from IFACE]`, split as syslog-connections.ts readTeardownTail splits it. Printable ASCII
    // only (then its String.trim is the space trim here), and no trailing `(user)` group.
    let t = at.end;
    let b = s.length;
    for (let i = t; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126) return false;
    }
    while (t < b && s.charCodeAt(t) === 32) t++;
    while (b > t && s.charCodeAt(b - 1) === 32) b--;
    if (b > t && s.charCodeAt(b - 1) === 41) return false;
    r.kind = REC_TEARDOWN;
    r.direction = DIR_NONE;
    r.initiator = 0;
    r.hasIcmp = false;
    r.icmpType = -1;
    r.icmpCode = -1;
    r.bytes = bytes;
    r.durationS = dur;
    side(r, true, s, src, true);
    side(r, false, s, dst, true);
    let reason = NONE;
    let from = NONE;
    if (t < b) {
      let f = s.indexOf(' from ', t);
      if (f < 0 || f + 6 > b) f = s.startsWith('from ', t) ? t - 1 : -1;
      let e = b;
      if (f >= t - 1) {
        from = trimmedToken(s, f + 6, b);
        e = f < t ? t : f;
      }
      if (e > t) reason = trimmedToken(s, t, e);
    }
    r.reason = reason;
    r.from = from;
    return true;
  }

  /** The name in s[a, b) without its spaces at either end; NONE when nothing is left (String.trim() || null). */
  function trimmedToken(s: string, a: number, b: number): number {
    while (a < b && s.charCodeAt(a) === 32) a++;
    while (b > a && s.charCodeAt(b - 1) === 32) b--;
    return a < b ? tokens.id(s, a, b) : NONE;
  }

  function packetRow(r: FirewallRecord, s: string, proto: number, cause: number, iface: number, acl: number, flags: number): void {
    r.kind = REC_PACKET;
    r.rowKind = DENY_ROW_KIND.deny;
    r.proto = proto;
    r.cause = cause;
    r.noConnectionTcp = cause === CAUSE_NO_CONNECTION && proto === PROTO_TCP;
    r.keyed = proto === PROTO_TCP;
    r.tcpFlags = flags;
    r.iface = iface;
    r.acl = acl;
    r.hasIcmp = false;
    r.icmpType = -1;
    r.icmpCode = -1;
    side(r, true, s, src, false);
    side(r, false, s, dst, false);
  }

  /** 106015 Deny TCP (no connection) from A/P to A/P flags F  on interface IF (syslog-denies.ts denyFlags). */
  function denyNoConnection(s: string, a: number, r: FirewallRecord): boolean {
    if (!s.startsWith('Deny TCP (no connection) from ', a)) return false;
    let p = scanEndpoint(s, a + 30, false, false, src, at);
    if (p < 0 || !s.startsWith(' to ', p)) return false;
    p = scanEndpoint(s, p + 4, false, false, dst, at);
    if (p < 0 || !s.startsWith(' flags ', p)) return false;
    let on = s.indexOf(' on interface ', p);
    if (on < 0) on = s.length;
    const flags = readFlagWords(s, p + 7, on);
    let iface: number;
    const on2 = s.indexOf('on interface ', p);
    if (on2 >= 0) {
      let b = s.length;
      while (b > on2 && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 46)) b--;
      iface = tokens.id(s, b > on2 + 13 ? on2 + 13 : b, b);
    } else iface = tokens.id(s, 0, 0);
    packetRow(r, s, PROTO_TCP, CAUSE_NO_CONNECTION, iface, NONE, flags);
    return true;
  }

  /** 106023 Deny {tcp|udp} src IF:A/P dst IF:A/P by access-group "ACL" ... (syslog-denies.ts denyAcl). */
  function denyAccessGroup(s: string, a: number, r: FirewallRecord): boolean {
    if (!s.startsWith('Deny ', a)) return false;
    let proto: number;
    const w = a + 5;
    if (s.startsWith('tcp src ', w) || s.startsWith('TCP src ', w)) proto = PROTO_TCP;
    else if (s.startsWith('udp src ', w) || s.startsWith('UDP src ', w)) proto = PROTO_UDP;
    else return false;
    let p = scanEndpoint(s, w + 8, true, false, src, at);
    if (p < 0 || !s.startsWith(' dst ', p)) return false;
    p = scanEndpoint(s, p + 5, true, false, dst, at);
    if (p < 0 || !s.startsWith(' by access-group "', p)) return false;
    const q2 = s.indexOf('"', p + 18);
    if (q2 < 0) return false;
    const iface = tokens.id(s, src.ifaceStart, src.ifaceEnd);
    const acl = tokens.id(s, p + 18, q2);
    packetRow(r, s, proto, CAUSE_ACCESS_RULE, iface, acl, -1);
    return true;
  }

  /** 106100 with a permit (syslog-denies.ts aclLog): checked, kept as its time only. A deny takes the general path. */
  function aclPermit(s: string, a: number): boolean {
    if (!s.startsWith('access-list ', a)) return false;
    const nameEnd = wordEnd(s, a + 12);
    const actEnd = wordEnd(s, nameEnd + 1);
    if (actEnd - nameEnd - 1 === 6 && s.startsWith('denied', nameEnd + 1)) return false;
    const protoEnd = wordEnd(s, actEnd + 1);
    const arrow = s.indexOf(' -> ', protoEnd);
    if (arrow < 0) return false;
    let end = s.indexOf(' hit-cnt', arrow);
    if (end < 0) end = s.length;
    const s1 = s.indexOf('/', protoEnd + 1);
    const s2 = s.indexOf('/', arrow + 4);
    return s1 >= 0 && s1 < arrow && s2 >= 0 && s2 < end;
  }

  /** 305011/305012 {Built|Teardown} {dynamic|static} PROTO translation from IF:A/P to IF:A/P[ duration T]: checked only. */
  function xlate(s: string, a: number, isBuilt: boolean): boolean {
    if (!s.startsWith(isBuilt ? 'Built ' : 'Teardown ', a)) return false;
    const tr = s.indexOf(' translation from ', a);
    if (tr < 0) return false;
    let p = scanEndpoint(s, tr + 18, true, false, src, at);
    if (p < 0 || !s.startsWith(' to ', p)) return false;
    p = scanEndpoint(s, p + 4, true, false, dst, at);
    if (p === s.length) return true;
    return p >= 0 && s.startsWith(' duration ', p) && scanDuration(s, p + 10, at) >= 0 && at.end === s.length;
  }

  return {
    tokens,
    parse(id: number, s: string, a: number, r: FirewallRecord): boolean {
      r.repeat = 1;
      r.connId = NaN;
      switch (id) {
        case 302013:
        case 302015:
          return built(s, a, r);
        case 302014:
        case 302016:
          return teardown(s, a, r);
        case 106015:
          return denyNoConnection(s, a, r);
        case 106023:
          return denyAccessGroup(s, a, r);
        case 106100:
          r.kind = REC_SKIP;
          return aclPermit(s, a);
        case 305011:
        case 305012:
          r.kind = REC_SKIP;
          return xlate(s, a, id === 305011);
        default:
          return false;
      }
    },
  };
}

function wordEnd(s: string, a: number): number {
  const sp = s.indexOf(' ', a);
  return sp < 0 ? s.length : sp;
}
