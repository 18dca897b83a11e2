/**
 * Pseudonymised addresses in exported frames: every IPv4/IPv6 header in a frame whose source or destination is one of
 * the connection's addresses (as the analysis found them; the same pseudonyms as the ladders and share links, from
 * share/anonymise.ts) gets the pseudonym instead, whatever the link layer or tunnel around it, and the checksums that
 * cover the addresses are updated to match: the IPv4 header checksum, and the TCP (or UDP, when set) checksum over
 * the pseudo-header. The update is incremental (RFC 1624), so a checksum stays right where it was right, also when
 * the capture cut the payload short, and stays as wrong as it was where it was wrong (captured on the sending host
 * before the NIC filled it in). Only headers are rewritten: a frame that still holds an original address in its
 * bytes afterwards (in its payload) is reported, never patched by pattern.
 */
import { parseIpv4, parseIpv6 } from '../lib/ip-text';

export interface AddressMap {
  /** Original address bytes (4 or 16) as a key string -> the pseudonym's bytes. */
  readonly byKey: Map<string, Uint8Array>;
  /** The original addresses' bytes, to look for afterwards. */
  readonly originals: Uint8Array[];
}

const keyOf = (b: Uint8Array, o: number, n: number) => {
  let k = '';
  for (let i = 0; i < n; i++) k += String.fromCharCode(b[o + i]);
  return k;
};

function parse(text: string): Uint8Array | null {
  if (text.includes(':')) {
    const out = new Uint8Array(16);
    return parseIpv6(text, 0, text.length, out) ? out : null;
  }
  const out = new Uint8Array(4);
  return parseIpv4(text, 0, text.length, out) ? out : null;
}

/** The map from [original, pseudonym] address texts; pairs of different families or unreadable ones are skipped. */
export function addressMap(pairs: Iterable<readonly [string, string]>): AddressMap {
  const byKey = new Map<string, Uint8Array>();
  const originals: Uint8Array[] = [];
  for (const [real, pseudo] of pairs) {
    const a = parse(real);
    const b = parse(pseudo);
    if (!a || !b || a.length !== b.length) continue;
    byKey.set(keyOf(a, 0, a.length), b);
    originals.push(a);
  }
  return { byKey, originals };
}

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];

/** Adds (old -> new) 16-bit words of [o, o + n) to a running one's-complement adjustment (RFC 1624 eqn. 3). */
function adjust(acc: number, before: Uint8Array, after: Uint8Array): number {
  for (let i = 0; i < before.length; i += 2) acc += (~((before[i] << 8) | before[i + 1]) & 0xffff) + ((after[i] << 8) | after[i + 1]);
  return acc;
}

/** Applies an adjustment to the checksum at b[at]; `zeroMeansNone`: UDP's 0 (no checksum) stays 0. */
function applyChecksum(b: Uint8Array, at: number, acc: number, zeroMeansNone: boolean): void {
  const old = u16(b, at);
  if (zeroMeansNone && old === 0) return;
  let sum = (~old & 0xffff) + acc;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  let v = ~sum & 0xffff;
  if (zeroMeansNone && v === 0) v = 0xffff;
  b[at] = v >> 8;
  b[at + 1] = v & 0xff;
}

/** Replaces address `n` bytes at b[o] if mapped; returns the adjustment it makes, or 0 when none. */
function swap(b: Uint8Array, o: number, n: number, map: AddressMap): { acc: number; changed: boolean } {
  const to = map.byKey.get(keyOf(b, o, n));
  if (!to) return { acc: 0, changed: false };
  const before = b.slice(o, o + n);
  b.set(to, o);
  return { acc: adjust(0, before, to), changed: true };
}

/** The transport checksum's offset for protocol `proto` at `l4` (TCP, UDP), or -1. */
function l4Checksum(proto: number, l4: number, end: number): { at: number; udp: boolean } | null {
  if (proto === 6 && l4 + 18 <= end) return { at: l4 + 16, udp: false };
  if (proto === 17 && l4 + 8 <= end) return { at: l4 + 6, udp: true };
  return null;
}

export interface FrameResult {
  /** IP headers rewritten. */
  headers: number;
  /** An original address is still somewhere in the frame (its payload). */
  leftover: boolean;
}

/** Rewrites `frame` in place (see the file's comment). */
export function pseudonymiseFrame(frame: Uint8Array, map: AddressMap): FrameResult {
  const b = frame;
  const end = b.length;
  let headers = 0;
  for (let o = 0; o + 20 <= end; o++) {
    const v = b[o] >> 4;
    if (v === 4) {
      const ihl = (b[o] & 15) << 2;
      if (ihl < 20 || o + ihl > end) continue;
      const src = swap(b, o + 12, 4, map);
      const dst = swap(b, o + 16, 4, map);
      if (!src.changed && !dst.changed) continue;
      headers++;
      const acc = src.acc + dst.acc;
      applyChecksum(b, o + 10, acc, false);
      // Only the first fragment carries the transport header.
      const fragOffset = u16(b, o + 6) & 0x1fff;
      const ck = fragOffset === 0 ? l4Checksum(b[o + 9], o + ihl, end) : null;
      if (ck) applyChecksum(b, ck.at, acc, ck.udp);
      o += ihl - 1;
    } else if (v === 6 && o + 40 <= end) {
      const src = swap(b, o + 8, 16, map);
      const dst = swap(b, o + 24, 16, map);
      if (!src.changed && !dst.changed) continue;
      headers++;
      // Past the extension headers to the transport header (hop-by-hop, routing, destination options, fragment).
      let next = b[o + 6];
      let p = o + 40;
      let first = true;
      while ((next === 0 || next === 43 || next === 60 || next === 44) && p + 8 <= end) {
        if (next === 44) first = (u16(b, p + 2) & 0xfff8) === 0;
        const len = next === 44 ? 8 : (b[p + 1] + 1) * 8;
        next = b[p];
        p += len;
      }
      const ck = first ? l4Checksum(next, p, end) : null;
      if (ck) applyChecksum(b, ck.at, src.acc + dst.acc, ck.udp);
      o += 39;
    }
  }
  return { headers, leftover: map.originals.some((a) => indexOf(b, a) >= 0) };
}

/** First index of `needle` in `hay`, -1 when absent. */
export function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const n = needle.length;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let k = 0; k < n; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
