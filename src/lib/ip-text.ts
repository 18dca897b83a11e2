/**
 * IP address text -> bytes, for text captures: dotted IPv4 (RFC 791 notation) and IPv6 text (RFC 4291 §2.2,
 * with `::` and an embedded dotted IPv4 tail), and tcpdump's `addr.port` endpoint form (the port follows the LAST
 * dot, for IPv6 too: `2001:db8::1.443`). No allocation: results go into caller arrays.
 * Not handled: zone ids (`fe80::1%eth0`), host names (captures must be printed with -n).
 */

const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/** Dotted IPv4 in s[a, b) into out[o..o+4); false when not exactly four decimal octets. */
export function parseIpv4(s: string, a: number, b: number, out: Uint8Array, o = 0): boolean {
  let part = 0;
  let v = 0;
  let digits = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (++digits > 3 || v > 255) return false;
    } else if (c === 46) {
      if (digits === 0 || part >= 3) return false;
      out[o + part++] = v;
      v = 0;
      digits = 0;
    } else return false;
  }
  if (digits === 0 || part !== 3) return false;
  out[o + 3] = v;
  return true;
}

const groups = new Uint16Array(8);

/** IPv6 text in s[a, b) into out[0..16); false when malformed. */
export function parseIpv6(s: string, a: number, b: number, out: Uint8Array): boolean {
  let n = 0; // groups written before `::`
  let gap = -1; // index in groups where `::` was
  let i = a;
  if (b - a < 2) return false;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === b) {
      out.fill(0, 0, 16);
      return true;
    }
  }
  while (i < b) {
    // A dotted IPv4 tail?
    let j = i;
    let hasDot = false;
    while (j < b && s.charCodeAt(j) !== 58) {
      if (s.charCodeAt(j) === 46) hasDot = true;
      j++;
    }
    if (hasDot) {
      if (j !== b || n > 6) return false;
      const tmp = out; // write the v4 bytes to the group array via out[12..16] later
      if (!parseIpv4(s, i, b, tmp, 12)) return false;
      groups[n++] = (tmp[12] << 8) | tmp[13];
      groups[n++] = (tmp[14] << 8) | tmp[15];
      i = b;
      break;
    }
    if (j === i || j - i > 4 || n >= 8) return false;
    let v = 0;
    for (let k = i; k < j; k++) {
      const h = hexVal(s.charCodeAt(k));
      if (h < 0) return false;
      v = (v << 4) | h;
    }
    groups[n++] = v;
    i = j;
    if (i < b) {
      // at a colon
      if (i + 1 < b && s.charCodeAt(i + 1) === 58) {
        if (gap >= 0) return false;
        gap = n;
        i += 2;
        if (i === b) break;
      } else {
        i++;
        if (i === b) return false;
      }
    }
  }
  if (gap < 0 && n !== 8) return false;
  if (gap >= 0 && n > 7) return false;
  const zeros = 8 - n;
  let g = 0;
  for (let k = 0; k < 8; k++) {
    let v: number;
    if (gap >= 0 && k >= gap && k < gap + zeros) v = 0;
    else v = groups[g++];
    out[k * 2] = v >> 8;
    out[k * 2 + 1] = v & 255;
  }
  return true;
}

/**
 * tcpdump endpoint `addr.port` in s[a, b): the address into `out` and the port into `port.value` (an object the
 * caller keeps and reuses); returns the IP version (4 or 6), or 0 when it is not an address with a numeric port.
 */
export function parseEndpointText(s: string, a: number, b: number, out: Uint8Array, port: { value: number }): number {
  const dot = s.lastIndexOf('.', b - 1);
  if (dot <= a || dot >= b - 1) return 0;
  let v = 0;
  for (let i = dot + 1; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
    v = v * 10 + (c - 48);
  }
  if (v > 65535) return 0;
  port.value = v;
  const colon = s.indexOf(':', a);
  if (colon >= 0 && colon < dot) return parseIpv6(s, a, dot, out) ? 6 : 0;
  return parseIpv4(s, a, dot, out) ? 4 : 0;
}

/** Text of 4 or 16 address bytes (IPv6 compressed per RFC 5952). */
export function formatIp(bytes: Uint8Array, version: number): string {
  if (version === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((bytes[i * 2] << 8) | bytes[i * 2 + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number) => g.slice(a, b).map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}
