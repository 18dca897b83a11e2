/**
 * ASA/FTD packet and housekeeping messages: denies 106001/106006/106007/106014/106015/106023, ACL logs 106100,
 * local-host 609001/609002, xlates 305011/305012, to-the-box 710002/710003, normalizer 419001/419002 and ICMP
 * 313001/313004/313005 (formats.md §1.7-§1.13, Cisco syslog guide). Sample (anonymised):
 *   Deny TCP (no connection) from 10.20.30.15/443 to 198.51.100.77/55132 flags RST  on interface INSIDE
 * 106010 (deny inbound by security level), 106016/106021/106022 (anti-spoofing) are read too.
 * Not handled: 106011 (no xlate) and VPN messages (counted only).
 */
import type { FirewallEvent } from '../../model/firewall';
import { createCursor, hasIfacePrefix, readAclEndpoint, readDuration, readEndpoint, readFlagWords, readIcmpTypeCode } from './syslog-fields';

const at = createCursor();
import { wordEnd } from './syslog-connections';

const FLAG_TERMS = [' flags ', ' on interface '];
const UDP_TERMS = [' on interface ', ' due to '];
const NO_TERMS: string[] = [];

/** `from A to B<terminator>` where the endpoints have no interface (106015, 106001, 106006, 106007, 710002/3). */
function fromTo(s: string, a: number, terms: readonly string[], ev: FirewallEvent): number {
  const from = s.indexOf(' from ', a);
  if (from < 0) return -1;
  const to = s.indexOf(' to ', from + 6);
  if (to < 0) return -1;
  let end = s.length;
  for (const t of terms) {
    const k = s.indexOf(t, to + 4);
    if (k >= 0 && k < end) end = k;
  }
  // Either may carry an interface (`to outside:203.0.113.9/https` in 710002, context-prefixed FTD forms).
  ev.src = readEndpoint(s, from + 6, to, hasIfacePrefix(s, from + 6, to));
  ev.dst = readEndpoint(s, to + 4, end, hasIfacePrefix(s, to + 4, end));
  return ev.src && ev.dst ? end : -1;
}

function onInterface(s: string, k: number, ev: FirewallEvent): void {
  const on = s.indexOf('on interface ', k);
  if (on >= 0) {
    let b = s.length;
    while (b > on && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 46)) b--;
    ev.iface = s.slice(on + 13, b) || null;
  }
}

/**
 * 106015 Deny TCP (no connection) (`inbound` false: a TCP packet, not a SYN, that matched no connection) /
 * 106001 Inbound TCP connection denied (`inbound` true: the security policy refused a new connection): ... flags F
 * on interface IF.
 */
export function denyFlags(s: string, a: number, ev: FirewallEvent, inbound: boolean): boolean {
  ev.kind = 'deny';
  ev.protocol = 'tcp';
  if (inbound) ev.direction = 'inbound';
  const end = fromTo(s, a, FLAG_TERMS, ev);
  if (end < 0) return false;
  if (s.startsWith(' flags ', end)) {
    let on = s.indexOf(' on interface ', end);
    if (on < 0) on = s.length;
    ev.tcpFlags = readFlagWords(s, end + 7, on);
  }
  onInterface(s, end, ev);
  ev.reason = inbound ? 'inbound TCP connection denied' : 'no connection';
  ev.cause = inbound ? 'security-policy' : 'no-connection';
  return true;
}

/** 106006 / 106007 Deny inbound UDP from A to B (on interface IF | due to DNS Query). */
export function denyUdp(s: string, a: number, ev: FirewallEvent): boolean {
  ev.kind = 'deny';
  ev.protocol = 'udp';
  ev.direction = 'inbound';
  const end = fromTo(s, a, UDP_TERMS, ev);
  if (end < 0) return false;
  if (s.startsWith(' due to ', end)) {
    ev.reason = s.slice(end + 8).trim();
    ev.cause = 'inspection';
  } else {
    onInterface(s, end, ev);
    ev.cause = 'security-policy';
  }
  return true;
}

/** 106014 Deny {inbound|outbound} icmp src IF:A dst IF:B(type T, code C). */
export function denyIcmp(s: string, a: number, ev: FirewallEvent): boolean {
  ev.kind = 'deny';
  ev.protocol = 'icmp';
  ev.cause = 'security-policy';
  if (s.startsWith('Deny inbound', a)) ev.direction = 'inbound';
  else if (s.startsWith('Deny outbound', a)) ev.direction = 'outbound';
  const src = s.indexOf(' src ', a);
  const dst = s.indexOf(' dst ', src);
  if (src < 0 || dst < 0) return false;
  let end = s.indexOf('(type', dst);
  if (end < 0) end = s.length;
  else ev.icmp = readIcmpTypeCode(s, end, s.length);
  ev.src = readEndpoint(s, src + 5, dst, true);
  ev.dst = readEndpoint(s, dst + 5, end, true);
  return ev.src !== null && ev.dst !== null;
}

/** 106023 Deny PROTO src IF:A[/P] dst IF:B[/P] [type..] by access-group "ACL" [hashes]. */
export function denyAcl(s: string, a: number, ev: FirewallEvent): boolean {
  if (!s.startsWith('Deny ', a)) return false;
  ev.kind = 'deny';
  const src = s.indexOf(' src ', a);
  const dst = s.indexOf(' dst ', src + 1);
  if (src < 0 || dst < 0) return false;
  ev.protocol = s.slice(a + 5, src).toLowerCase();
  const by = s.indexOf(' by access-group ', dst);
  let end = by < 0 ? s.length : by;
  const ty = s.indexOf('type ', dst);
  if (ty >= 0 && ty < end) {
    ev.icmp = readIcmpTypeCode(s, ty, end);
    end = s.charCodeAt(ty - 1) === 40 ? ty - 1 : ty;
  }
  ev.src = readEndpoint(s, src + 5, dst, true);
  ev.dst = readEndpoint(s, dst + 5, end, true);
  if (by >= 0) {
    const q1 = s.indexOf('"', by);
    const q2 = q1 < 0 ? -1 : s.indexOf('"', q1 + 1);
    ev.acl = q2 > q1 ? s.slice(q1 + 1, q2) : s.slice(by + 17, wordEnd(s, by + 17));
  }
  ev.reason = 'access-group';
  ev.cause = 'access-rule';
  return ev.src !== null && ev.dst !== null;
}

/** 106100 access-list ACL {permitted|denied|est-allowed} PROTO IF/A(P)... -> IF/B(P)... hit-cnt N ... */
export function aclLog(s: string, a: number, ev: FirewallEvent): boolean {
  if (!s.startsWith('access-list ', a)) return false;
  const nameEnd = wordEnd(s, a + 12);
  ev.acl = s.slice(a + 12, nameEnd);
  const actEnd = wordEnd(s, nameEnd + 1);
  const action = s.slice(nameEnd + 1, actEnd);
  ev.kind = action === 'denied' ? 'deny' : 'permit';
  ev.reason = action;
  if (ev.kind === 'deny') ev.cause = 'access-rule';
  const protoEnd = wordEnd(s, actEnd + 1);
  ev.protocol = s.slice(actEnd + 1, protoEnd).toLowerCase();
  const arrow = s.indexOf(' -> ', protoEnd);
  if (arrow < 0) return false;
  let end = s.indexOf(' hit-cnt', arrow);
  if (end < 0) end = s.length;
  ev.src = readAclEndpoint(s, protoEnd + 1, arrow);
  ev.dst = readAclEndpoint(s, arrow + 4, end);
  if (ev.protocol === 'icmp' && ev.src && ev.dst) {
    ev.icmp = { type: ev.src.port, code: ev.dst.port };
  }
  return ev.src !== null && ev.dst !== null;
}

/** 609001 Built local-host IF:ADDR / 609002 Teardown local-host IF:ADDR duration T. */
export function localHost(s: string, a: number, ev: FirewallEvent, isBuilt: boolean): boolean {
  const k = s.indexOf('local', a);
  if (k < 0) return false;
  const start = k + 11; // "local-host " or "local_host "
  const dur = s.indexOf(' duration ', start);
  ev.kind = isBuilt ? 'host-built' : 'host-teardown';
  ev.src = readEndpoint(s, start, dur < 0 ? s.length : dur, true);
  if (dur >= 0) ev.durationS = readDuration(s, dur + 10, s.length, at);
  return ev.src !== null;
}

/** 305011/305012 {Built|Teardown} {dynamic|static} PROTO translation from IF:A/P to IF:M/P [duration T]. */
export function xlate(s: string, a: number, ev: FirewallEvent, isBuilt: boolean): boolean {
  const p = a + (isBuilt ? 6 : 9);
  const tr = s.indexOf(' translation from ', p);
  if (tr < 0) return false;
  const pe = s.lastIndexOf(' ', tr - 1);
  ev.protocol = s.slice(pe + 1, tr).toLowerCase();
  ev.reason = s.slice(p, pe); // dynamic | static
  const to = s.indexOf(' to ', tr + 18);
  if (to < 0) return false;
  const dur = s.indexOf(' duration ', to);
  ev.src = readEndpoint(s, tr + 18, to, true);
  ev.dst = readEndpoint(s, to + 4, dur < 0 ? s.length : dur, true);
  if (dur >= 0) ev.durationS = readDuration(s, dur + 10, s.length, at);
  ev.kind = isBuilt ? 'xlate-built' : 'xlate-teardown';
  return ev.src !== null && ev.dst !== null;
}

/** 710002 PROTO access permitted from A/P to IF:B/SVC; 710003 PROTO access denied by ACL from A/P to IF:B/SVC. */
export function toTheBox(s: string, a: number, ev: FirewallEvent, permitted: boolean): boolean {
  ev.protocol = s.slice(a, wordEnd(s, a)).toLowerCase();
  ev.kind = permitted ? 'permit' : 'deny';
  ev.reason = permitted ? 'access permitted' : 'access denied by ACL';
  if (!permitted) ev.cause = 'access-rule';
  return fromTo(s, a, NO_TERMS, ev) >= 0;
}

/** 419001 Dropping TCP packet from IF:A/P to IF:B/P, reason: R; 419002 [Received d|D]uplicate TCP SYN from ... */
export function normalizer(s: string, a: number, ev: FirewallEvent, dup: boolean): boolean {
  ev.kind = 'drop';
  ev.protocol = 'tcp';
  ev.cause = 'normalizer';
  const from = s.indexOf(' from ', a);
  if (from < 0) return false;
  const to = s.indexOf(' to ', from + 6);
  if (to < 0) return false;
  let end: number;
  if (dup) {
    end = s.indexOf(' with ', to);
    ev.reason = 'duplicate TCP SYN with different initial sequence number';
  } else {
    end = s.indexOf(', reason: ', to);
    if (end >= 0) ev.reason = s.slice(end + 10).trim();
  }
  if (end < 0) end = s.length;
  ev.src = readEndpoint(s, from + 6, to, true);
  ev.dst = readEndpoint(s, to + 4, end, true);
  return ev.src !== null && ev.dst !== null;
}

/** 313001 Denied ICMP type=N, code=N from A on interface IF; 313004 Denied ICMP type=N, from laddr A on interface IF to B: no matching session. */
export function icmpDenied(s: string, a: number, ev: FirewallEvent, noSession: boolean): boolean {
  ev.kind = 'deny';
  ev.protocol = 'icmp';
  ev.cause = noSession ? 'no-connection' : 'security-policy';
  ev.icmp = readIcmpTypeCode(s, a, s.length);
  const on = s.indexOf(' on interface ', a);
  if (on < 0) return false;
  if (noSession) {
    const la = s.indexOf('laddr ', a);
    const to = s.indexOf(' to ', on);
    if (la < 0 || to < 0) return false;
    ev.src = readEndpoint(s, la + 6, on, false);
    const colon = s.indexOf(':', to + 4);
    const dEnd = s.lastIndexOf(': no matching', s.length);
    ev.dst = readEndpoint(s, to + 4, dEnd > to ? dEnd : colon < 0 ? s.length : colon, false);
    ev.iface = s.slice(on + 14, to) || null;
    ev.reason = 'no matching session';
  } else {
    const from = s.indexOf(' from ', a);
    if (from < 0) return false;
    ev.src = readEndpoint(s, from + 6, on, false);
    let b = s.length;
    while (b > on && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 46)) b--;
    ev.iface = s.slice(on + 14, b) || null;
    ev.reason = 'denied ICMP to the device';
  }
  return ev.src !== null;
}

/** 313005 No matching connection for ICMP error message: icmp src IF:A dst IF:B (type T, code C) on IF interface. Original IP payload: ... */
export function icmpError(s: string, a: number, ev: FirewallEvent): boolean {
  ev.kind = 'icmp-error';
  ev.protocol = 'icmp';
  ev.cause = 'no-connection';
  ev.reason = 'no matching connection for ICMP error';
  const src = s.indexOf('icmp src ', a);
  if (src < 0) return false;
  const dst = s.indexOf(' dst ', src);
  if (dst < 0) return false;
  let end = s.indexOf(' (type', dst);
  if (end < 0) end = s.indexOf(' on ', dst);
  if (end < 0) end = s.length;
  ev.src = readEndpoint(s, src + 9, dst, true);
  ev.dst = readEndpoint(s, dst + 5, end, hasIfacePrefix(s, dst + 5, end));
  ev.icmp = readIcmpTypeCode(s, end, s.length);
  const on = s.indexOf(' on ', end);
  const ifEnd = on < 0 ? -1 : s.indexOf(' interface', on + 4);
  if (ifEnd > on) ev.iface = s.slice(on + 4, ifEnd);
  const orig = s.indexOf('Original IP payload: ', end);
  if (orig >= 0) {
    const p = orig + 21;
    const pw = wordEnd(s, p);
    const proto = s.slice(p, pw);
    const isrc = s.indexOf(' src ', pw - 1);
    const idst = isrc < 0 ? -1 : s.indexOf(' dst ', isrc);
    if (isrc >= 0 && idst >= 0) {
      let e = s.length;
      while (e > idst && (s.charCodeAt(e - 1) === 46 || s.charCodeAt(e - 1) === 32)) e--;
      const t = s.indexOf(' (type', idst);
      if (t >= 0 && t < e) e = t;
      const iS = readEndpoint(s, isrc + 5, idst, false);
      const iD = readEndpoint(s, idst + 5, e, false);
      if (iS && iD) ev.inner = { protocol: proto.toLowerCase(), src: iS, dst: iD };
    }
  }
  return ev.src !== null && ev.dst !== null;
}

/** 106010 Deny inbound PROTO src IF:A[/P] dst IF:B[/P] (the guide: "protocol 103" or a name). */
export function denyInbound(s: string, a: number, ev: FirewallEvent): boolean {
  if (!s.startsWith('Deny inbound ', a)) return false;
  ev.kind = 'deny';
  ev.direction = 'inbound';
  ev.cause = 'security-policy';
  const src = s.indexOf(' src ', a);
  const dst = src < 0 ? -1 : s.indexOf(' dst ', src + 1);
  if (src < 0 || dst < 0) return false;
  ev.protocol = s.slice(a + 13, src).toLowerCase();
  let end = s.length;
  const ty = s.indexOf('(type', dst);
  if (ty >= 0) {
    ev.icmp = readIcmpTypeCode(s, ty, end);
    end = ty;
  }
  ev.src = readEndpoint(s, src + 5, dst, true);
  ev.dst = readEndpoint(s, dst + 5, end, true);
  return ev.src !== null && ev.dst !== null;
}

/**
 * 106016 Deny IP spoof from (A) to B on interface IF; 106021 Deny PROTO reverse path check from A to B on interface
 * IF; 106022 Deny PROTO connection spoof from A to B on interface IF. Addresses without ports.
 */
export function denySpoof(s: string, a: number, ev: FirewallEvent): boolean {
  if (!s.startsWith('Deny ', a)) return false;
  ev.kind = 'deny';
  ev.cause = 'spoofing';
  const from = s.indexOf(' from ', a);
  const to = from < 0 ? -1 : s.indexOf(' to ', from + 6);
  if (from < 0 || to < 0) return false;
  const pw = wordEnd(s, a + 5);
  ev.protocol = s.slice(a + 5, pw).toLowerCase();
  ev.reason = s.slice(pw + 1, from);
  let on = s.indexOf(' on interface ', to);
  if (on < 0) on = s.length;
  else onInterface(s, on, ev);
  let fa = from + 6;
  let fb = to;
  if (s.charCodeAt(fa) === 40 && s.charCodeAt(fb - 1) === 41) {
    fa++;
    fb--;
  }
  ev.src = readEndpoint(s, fa, fb, false);
  ev.dst = readEndpoint(s, to + 4, on, false);
  return ev.src !== null && ev.dst !== null;
}
