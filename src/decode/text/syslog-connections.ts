/**
 * ASA/FTD connection messages: 302013/302014 (TCP), 302015/302016 (UDP), 302303/302304 (state bypass) and
 * 302020/302021 (ICMP), per the Cisco syslog guide (formats.md §1.3-§1.5). Sample (anonymised):
 *   Teardown TCP connection 47772320 for OUTSIDE:198.51.100.77/55132 to INSIDE:10.20.30.15/443 duration 0:02:05 bytes 107244 TCP FINs from INSIDE
 * Endpoint order is kept as printed (src = `for`, dst = `to`); the direction word says which one initiated.
 * Not handled: cluster stub connections (302022-302027), GRE/SCTP (302017/302035).
 */
import type { FirewallEvent } from '../../model/firewall';
import { createCursor, hasIfacePrefix, readDuration, readEndpoint, readIcmpTypeCode, readUint, trim, type EndpointTail } from './syslog-fields';

const at = createCursor();
/** The trailing ` (user)` group of the message being read. */
const tail: EndpointTail = { user: null };

/** Protocol word at s[a, b) in lower case; the common ones without allocating. */
export function lowerProto(s: string, a: number, b: number): string {
  if (b - a === 3) {
    if (s.startsWith('TCP', a)) return 'tcp';
    if (s.startsWith('UDP', a)) return 'udp';
  }
  return s.slice(a, b).toLowerCase();
}

/** Word at s[a..] up to the next space. */
export function wordEnd(s: string, a: number): number {
  const sp = s.indexOf(' ', a);
  return sp < 0 ? s.length : sp;
}

/** Split a tail `[reason][ from IFACE][ (user)]` into the event. */
function readTeardownTail(s: string, a: number, b: number, ev: FirewallEvent): void {
  a = trim(s, a, b, at);
  b = at.end;
  if (a >= b) return;
  if (s.charCodeAt(b - 1) === 41) {
    const open = s.lastIndexOf(' (', b - 1);
    if (open >= a - 1) {
      ev.user = s.slice(open + 2, b - 1);
      b = open;
      a = trim(s, a, b, at);
      b = at.end;
    }
  }
  if (a >= b) return;
  // Forward search: the tail is short, and no teardown reason contains " from " (lastIndexOf would scan the
  // whole line back to its start whenever the suffix is absent).
  let from = s.indexOf(' from ', a);
  const fromLen = 6;
  if (from < 0 || from + fromLen > b) from = s.startsWith('from ', a) ? a - 1 : -1;
  if (from >= a - 1) {
    ev.iface = s.slice(from + fromLen, b).trim() || null;
    b = from < a ? a : from;
  }
  if (b > a) ev.reason = s.slice(a, b).trim() || null;
}

/**
 * The part Built and Teardown share: "[Probe] PROTO connection ID {for|from} EP to ...". Sets the
 * protocol and connection id; returns the index of " to ", or -1 when the line does not have that shape;
 * `head.end` gets where the first endpoint starts.
 */
const head = createCursor();
function connectionHead(s: string, p: number, ev: FirewallEvent): number {
  if (s.startsWith('Probe ', p)) p += 6;
  const conn = s.indexOf(' connection ', p);
  if (conn < 0) return -1;
  ev.protocol = lowerProto(s, p, wordEnd(s, p));
  const id = conn + 12;
  readUint(s, id, s.length, at);
  if (at.end === id) return -1;
  ev.connId = s.slice(id, at.end);
  let q = at.end;
  if (s.startsWith(' for ', q)) q += 5;
  else if (s.startsWith(' from ', q)) q += 6;
  else return -1;
  head.end = q;
  return s.indexOf(' to ', q);
}

/** 302013/302015/302303: Built {inbound|outbound} [Probe] PROTO connection ID for EP to EP [(user)]. */
export function built(s: string, a: number, ev: FirewallEvent): boolean {
  if (!s.startsWith('Built ', a)) return false;
  let p = a + 6;
  if (s.startsWith('inbound ', p)) {
    ev.direction = 'inbound';
    p += 8;
  } else if (s.startsWith('outbound ', p)) {
    ev.direction = 'outbound';
    p += 9;
  }
  const to = connectionHead(s, p, ev);
  if (to < 0) return false;
  const q = head.end;
  tail.user = null;
  ev.src = readEndpoint(s, q, to, true, tail);
  ev.dst = readEndpoint(s, to + 4, s.length, true, tail);
  ev.user = tail.user;
  ev.kind = 'built';
  return ev.src !== null && ev.dst !== null;
}

/** 302014/302016/302304: Teardown [Probe] PROTO connection ID for EP to EP duration T bytes N [reason] [from IF] [(user)]. */
export function teardown(s: string, a: number, ev: FirewallEvent): boolean {
  if (!s.startsWith('Teardown ', a)) return false;
  let p = a + 9;
  const to = connectionHead(s, p, ev);
  if (to < 0) return false;
  const q = head.end;
  let dur = s.indexOf(' duration ', to + 4);
  const epEnd = dur < 0 ? s.length : dur;
  tail.user = null;
  ev.src = readEndpoint(s, q, to, true, tail);
  ev.dst = readEndpoint(s, to + 4, epEnd, true, tail);
  ev.kind = 'teardown';
  if (ev.src === null || ev.dst === null) return false;
  if (dur < 0) return true;
  dur += 10;
  ev.durationS = readDuration(s, dur, s.length, at);
  let t = at.end;
  if (s.startsWith(' bytes ', t)) {
    ev.bytes = readUint(s, t + 7, s.length, at);
    t = at.end;
  }
  const user = tail.user;
  readTeardownTail(s, t, s.length, ev);
  if (ev.user === null) ev.user = user;
  return true;
}

/** 302020/302021: {Built|Teardown} [dir] ICMP connection for faddr A/id gaddr A/id laddr A/id [(user)] [type T code C]. */
export function icmpConn(s: string, a: number, ev: FirewallEvent, isBuilt: boolean): boolean {
  if (!s.startsWith(isBuilt ? 'Built ' : 'Teardown ', a)) return false;
  const p = a + (isBuilt ? 6 : 9);
  if (s.startsWith('inbound ', p)) ev.direction = 'inbound';
  else if (s.startsWith('outbound ', p)) ev.direction = 'outbound';
  ev.protocol = 'icmp';
  ev.kind = isBuilt ? 'built' : 'teardown';
  const f = s.indexOf('faddr ', p);
  const g = s.indexOf(' gaddr ', f);
  const l = s.indexOf(' laddr ', g);
  if (f < 0 || g < 0 || l < 0) return false;
  let end = s.indexOf(' type ', l);
  if (end < 0) end = s.length;
  else ev.icmp = readIcmpTypeCode(s, end, s.length);
  tail.user = null;
  ev.src = readEndpoint(s, f + 6, g, hasIfacePrefix(s, f + 6, g), tail);
  const gaddr = readEndpoint(s, g + 7, l, hasIfacePrefix(s, g + 7, l), tail);
  ev.dst = readEndpoint(s, l + 7, end, hasIfacePrefix(s, l + 7, end), tail);
  ev.user = tail.user;
  if (ev.dst && gaddr) {
    ev.dst.mappedAddr = gaddr.addr;
    ev.dst.mappedPort = gaddr.port;
  }
  return ev.src !== null && ev.dst !== null;
}
