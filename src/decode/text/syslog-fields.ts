/**
 * Field readers shared by the ASA/FTD message parsers (formats.md §1.2): endpoints
 * `iface:addr/port[ (mapped/port)][(identity)]`, `addr/port`, `iface/addr(port)`, numbers, TCP flag words,
 * durations. All work on a segment [a, b) of the line so no substring is made until a field is kept.
 * Interface names may contain spaces; the interface ends at the first colon after which an address follows
 * (`v1:outside:10.8.1.9/54864` of contexts and FTD splits at the last colon, `OUTSIDE:2a02:cf40::1/443` at the
 * first); addresses may be IPv6 (the port is after the LAST slash) or object names.
 */
import type { FirewallEndpoint } from '../../model/firewall';
import { ACK, FIN, PSH, RST, SYN, URG, ECE, CWR } from '../../model/segment';

import { createCursor, isDigit, readUint, type Cursor } from './text-scan';

export { createCursor, readUint, type Cursor };

/** Trim spaces/tabs off both ends of [a, b); returns the new a, and the new b in `at.end`. */
export function trim(s: string, a: number, b: number, at: Cursor): number {
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  at.end = b;
  return a;
}

/** `h:mm:ss` (hours unbounded) at s[a..]; -1 when malformed; `at.end` gets its end. */
export function readDuration(s: string, a: number, b: number, at: Cursor): number {
  const h = readUint(s, a, b, at);
  if (h < 0 || s.charCodeAt(at.end) !== 58) return -1;
  const m = readUint(s, at.end + 1, b, at);
  if (m < 0 || s.charCodeAt(at.end) !== 58) return -1;
  const sec = readUint(s, at.end + 1, b, at);
  if (sec < 0) return -1;
  return h * 3600 + m * 60 + sec;
}

const at = createCursor();

/** Bit of an upper- or lower-case TCP flag word at s[i, i+3) (`SYN`, `ACK`, ...), 0 when none. */
function flagWord(s: string, i: number): number {
  const a = s.charCodeAt(i) & 0xdf; // ASCII upper case
  const b = s.charCodeAt(i + 1) & 0xdf;
  const c = s.charCodeAt(i + 2) & 0xdf;
  if (a === 83 && b === 89 && c === 78) return SYN; // SYN
  if (a === 65 && b === 67 && c === 75) return ACK; // ACK
  if (a === 70 && b === 73 && c === 78) return FIN; // FIN
  if (a === 82 && b === 83 && c === 84) return RST; // RST
  if (a === 80 && b === 83 && c === 72) return PSH; // PSH
  if (a === 85 && b === 82 && c === 71) return URG; // URG
  if (a === 69 && b === 67 && c === 69) return ECE; // ECE
  if (a === 67 && b === 87 && c === 82) return CWR; // CWR
  return 0;
}

/** Space-separated TCP flag words (`SYN ACK`, `FIN PSH ACK`, `RST`) in s[a, b) as a bit set; -1 when none. */
export function readFlagWords(s: string, a: number, b: number): number {
  let flags = 0;
  let seen = false;
  let i = a;
  while (i < b) {
    while (i < b && s.charCodeAt(i) === 32) i++;
    let j = i;
    while (j < b && s.charCodeAt(j) !== 32) j++;
    if (j - i === 3) {
      const bit = flagWord(s, i);
      if (bit) {
        flags |= bit;
        seen = true;
      }
    }
    i = j;
  }
  return seen ? flags : -1;
}

// Interface names repeat on nearly every line: keep a few recent ones so most lines allocate no new string.
const recentIfaces: string[] = ['', '', '', '', '', '', '', ''];
let recentNext = 0;
function ifaceText(s: string, a: number, b: number): string {
  // A substring and === beat a char-by-char compare here (the line is a slice of the decoded chunk).
  const t = s.slice(a, b);
  for (let i = 0; i < 8; i++) if (recentIfaces[i] === t) return recentIfaces[i];
  recentIfaces[recentNext] = t;
  recentNext = (recentNext + 1) & 7;
  return t;
}

function endpoint(iface: string | null, addr: string, port: number): FirewallEndpoint {
  return { iface, addr, port, mappedAddr: null, mappedPort: -1, identity: null };
}

/** Filled by the endpoint readers when given: the user printed as a separate trailing ` (user)` group. */
export interface EndpointTail {
  user: string | null;
}

/** Is s[a, b) `addr/port` (a mapped-address group)? */
function isAddrPort(s: string, a: number, b: number): boolean {
  const slash = s.lastIndexOf('/', b - 1);
  if (slash <= a || slash >= b - 1) return false;
  for (let i = slash + 1; i < b; i++) if (!isDigit(s.charCodeAt(i))) return false;
  for (let i = a; i < slash; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 92 || c === 44) return false; // space, backslash (LOCAL\user), comma
  }
  return true;
}

/**
 * Fast path of readGroups for the commonest group, ` (addr/port)` repeating the real address (no NAT on that
 * side): sets the mapped address/port and returns the index after `)`; -1 leaves the group to the general code.
 * It accepts only what the general code would read the same way (no parenthesis, space, backslash or comma
 * inside), and saves its four index searches on every connection message.
 */
function sameAddrGroup(s: string, i: number, b: number, ep: FirewallEndpoint): number {
  const n = ep.addr.length;
  const slash = i + 1 + n;
  // substring + === rather than startsWith(ep.addr, ...): V8 runs startsWith with a non-constant argument slowly.
  if (n === 0 || s.charCodeAt(slash) !== 47 || s.substring(i + 1, slash) !== ep.addr) return -1;
  const port = readUint(s, slash + 1, b, at);
  if (port < 0 || at.end >= b || s.charCodeAt(at.end) !== 41) return -1;
  for (let k = i + 1; k < slash; k++) {
    const c = s.charCodeAt(k);
    if (c === 40 || c === 41 || c === 32 || c === 92 || c === 44) return -1;
  }
  ep.mappedAddr = ep.addr;
  ep.mappedPort = port;
  return at.end + 1;
}

/**
 * Reads the parenthesised groups and bare tokens after an endpoint's address/port in s[a, b) into `ep`:
 * ` (mapped/port)` -> mapped; `(identity)` glued on -> identity; a spaced non-address group -> trailing user.
 */
function readGroups(s: string, a: number, b: number, ep: FirewallEndpoint, tail: EndpointTail | null): void {
  let i = a;
  while (i < b) {
    let spaced = false;
    while (i < b && s.charCodeAt(i) === 32) {
      i++;
      spaced = true;
    }
    if (i >= b) break;
    if (spaced && ep.mappedAddr === null && s.charCodeAt(i) === 40) {
      const next = sameAddrGroup(s, i, b, ep);
      if (next >= 0) {
        i = next;
        continue;
      }
    }
    if (s.charCodeAt(i) === 40) {
      // Find the matching close parenthesis (nesting is rare: only then walk the characters).
      let j = s.indexOf(')', i + 1);
      const inner = s.indexOf('(', i + 1);
      if (j < 0 || j >= b) j = b;
      else if (inner >= 0 && inner < j) {
        let depth = 0;
        for (j = i; j < b; j++) {
          const c = s.charCodeAt(j);
          if (c === 40) depth++;
          else if (c === 41 && --depth === 0) break;
        }
      }
      const inner0 = i + 1;
      const inner1 = j < b ? j : b;
      if (spaced && ep.mappedAddr === null && isAddrPort(s, inner0, inner1)) {
        const slash = s.lastIndexOf('/', inner1 - 1);
        // Often the mapped address is the real one (no NAT on that side): share the string.
        ep.mappedAddr = slash - inner0 === ep.addr.length && s.startsWith(ep.addr, inner0) ? ep.addr : s.slice(inner0, slash);
        ep.mappedPort = readUint(s, slash + 1, inner1, at);
      } else if (!spaced) {
        const text = s.slice(inner0, inner1);
        ep.identity = ep.identity === null ? text : `${ep.identity}, ${text}`;
      } else if (tail !== null) {
        tail.user = s.slice(inner0, inner1);
      }
      i = inner1 + 1;
    } else {
      // A bare token (old-style user name after the endpoint).
      let j = i;
      while (j < b && s.charCodeAt(j) !== 32) j++;
      if (ep.identity === null) ep.identity = s.slice(i, j);
      i = j;
    }
  }
}

/** Is s[a, e) an address: no colon (IPv4, a name) or only hex digits, colons and dots with 2+ colons (IPv6)? */
function isAddressText(s: string, a: number, e: number): boolean {
  const c = s.indexOf(':', a);
  if (c < 0 || c >= e) return true;
  const c2 = s.indexOf(':', c + 1);
  if (c2 < 0 || c2 >= e) return false;
  for (let i = a; i < e; i++) {
    const ch = s.charCodeAt(i) | 0x20;
    if (!((ch >= 48 && ch <= 58) || (ch >= 97 && ch <= 102) || ch === 46)) return false;
  }
  return true;
}

/**
 * The colon that ends the interface in `iface:addr` at s[first-colon .. e): the first one whose remainder is an
 * address, so `v1:outside:10.8.1.9` (a context or FTD prefix) splits at the last colon and
 * `OUTSIDE:2a02:cf40::1` at the first.
 */
function addressColon(s: string, first: number, e: number): number {
  for (let c = first; c >= 0 && c < e; c = s.indexOf(':', c + 1)) if (isAddressText(s, c + 1, e)) return c;
  return first;
}

/**
 * Does the endpoint text in s[a, b) start with an interface (`outside:203.0.113.20/0`) rather than being a bare
 * address (IPv4, a name, IPv6)? For messages that print either (302020 `faddr`).
 */
export function hasIfacePrefix(s: string, a: number, b: number): boolean {
  while (a < b && s.charCodeAt(a) === 32) a++;
  let e = a;
  while (e < b) {
    const c = s.charCodeAt(e);
    if (c === 47 || c === 32 || c === 40) break;
    e++;
  }
  return !isAddressText(s, a, e);
}

/**
 * `iface:addr[/port]` + groups in s[a, b). withIface=false reads `addr[/port]` + groups.
 * Returns null when the segment does not hold an endpoint.
 */
export function readEndpoint(s: string, a: number, b: number, withIface: boolean, tail: EndpointTail | null = null): FirewallEndpoint | null {
  a = trim(s, a, b, at);
  b = at.end;
  if (a >= b) return null;
  let iface: string | null = null;
  let p = a;
  let colon = -1;
  if (withIface) {
    colon = s.indexOf(':', a);
    if (colon < 0 || colon >= b) return null;
    p = colon + 1;
  }
  // The address ends at the first space or '(' (v6 and names contain neither); the port follows the last '/'.
  // Fast path, nearly every line: `addr/digits` followed by a space, '(' or the end.
  const fs = s.indexOf('/', p);
  if (withIface) {
    // Another colon before the port's slash: a prefixed interface (`v1:outside:10.8.1.9`) or an IPv6 address.
    if (s.lastIndexOf(':', (fs > p && fs < b ? fs : b) - 1) > colon) {
      colon = addressColon(s, colon, fs > p && fs < b ? fs : b);
      p = colon + 1;
    }
    iface = ifaceText(s, a, colon);
  }
  if (fs > p && fs < b) {
    const v = readUint(s, fs + 1, b, at);
    const c = at.end < b ? s.charCodeAt(at.end) : 32;
    if (v >= 0 && (c === 32 || c === 40)) {
      // ...and no space or '(' inside the address (then this slash belongs to something later).
      const sp = s.indexOf(' ', p);
      const par = s.indexOf('(', p);
      if ((sp < 0 || sp > fs) && (par < 0 || par > fs)) {
        const e = at.end;
        const ep = endpoint(iface, s.slice(p, fs), v);
        if (e < b) readGroups(s, e, b, ep, tail);
        return ep;
      }
    }
  }
  let e = p;
  while (e < b) {
    const c = s.charCodeAt(e);
    if (c === 32 || c === 40) break;
    e++;
  }
  let addrEnd = e;
  let port = -1;
  const slash = s.lastIndexOf('/', e - 1);
  if (slash >= p) {
    const v = readUint(s, slash + 1, e, at);
    if (at.end === e && v >= 0) {
      port = v;
      addrEnd = slash;
    } else if (at.end > slash + 1) {
      port = v;
      addrEnd = slash;
    } else {
      // `/service-name` (710002): keep the address, port unknown.
      addrEnd = slash;
    }
  }
  if (addrEnd <= p) return null;
  const ep = endpoint(iface, s.slice(p, addrEnd), port);
  if (e < b) readGroups(s, e, b, ep, tail);
  return ep;
}

/** 106100 style `iface/addr(port)(idfw)(sg)` in s[a, b). */
export function readAclEndpoint(s: string, a: number, b: number): FirewallEndpoint | null {
  a = trim(s, a, b, at);
  b = at.end;
  const slash = s.indexOf('/', a);
  if (slash < 0 || slash >= b) return null;
  const open = s.indexOf('(', slash);
  const addrEnd = open < 0 || open > b ? b : open;
  const ep = endpoint(s.slice(a, slash), s.slice(slash + 1, addrEnd), -1);
  if (open >= 0 && open < b) {
    const close = s.indexOf(')', open);
    const v = readUint(s, open + 1, close < 0 ? b : close, at);
    if (v >= 0) ep.port = v;
    let i = close < 0 ? b : close + 1;
    while (i < b && s.charCodeAt(i) === 40) {
      const c2 = s.indexOf(')', i);
      const end = c2 < 0 || c2 > b ? b : c2;
      const text = s.slice(i + 1, end);
      ep.identity = ep.identity === null ? text : `${ep.identity}, ${text}`;
      i = end + 1;
    }
  }
  return ep;
}

/** ICMP `(type N, code N)` / `type N, code N` / `type N code N` / `type=N, code=N` anywhere in s[a, b). */
export function readIcmpTypeCode(s: string, a: number, b: number): { type: number; code: number } | null {
  const t = s.indexOf('type', a);
  if (t < 0 || t >= b) return null;
  let i = t + 4;
  while (i < b && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 61)) i++;
  const type = readUint(s, i, b, at);
  if (type < 0) return null;
  const c = s.indexOf('code', at.end);
  if (c < 0 || c >= b) return { type, code: -1 };
  i = c + 4;
  while (i < b && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 61)) i++;
  const code = readUint(s, i, b, at);
  return { type, code };
}
