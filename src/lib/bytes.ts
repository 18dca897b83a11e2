/**
 * Byte readers over a Uint8Array with explicit bounds. The u16/u32 readers do no checking of
 * their own (callers on the hot path have already checked `off + n <= end` once for a whole
 * header); `has` is that check. Manual byte math: no DataView, no allocation.
 */

/** True when [off, off + n) lies inside [0, end). */
export function has(off: number, n: number, end: number): boolean {
  return off >= 0 && off + n <= end;
}

export function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function u16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

export function u32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Signed 64-bit value as a (possibly imprecise past 2^53) number. */
export function i64(b: Uint8Array, o: number, le: boolean): number {
  const hi = le ? u32le(b, o + 4) : u32be(b, o);
  const lo = le ? u32le(b, o) : u32be(b, o + 4);
  return (hi | 0) * 4294967296 + lo;
}

/** "53 6e 6f 6f" — the first `n` bytes in hex, for messages. */
export function hexBytes(b: Uint8Array, n = 8): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(n, b.length); i++) parts.push(b[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}
