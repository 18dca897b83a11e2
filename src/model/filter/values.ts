/**
 * Values of a filter expression as typed: numbers (decimal, 0x hex, a range `1024..2048` inside `in {}`), IPv4 and
 * IPv6 addresses or networks (CIDR), each as the inclusive range [lo, hi] it stands for.
 */
import { parseIpv4, parseIpv6 } from '../../lib/ip-text';

export interface Range<T> {
  lo: T;
  hi: T;
}

const bytes = new Uint8Array(16);

/** An IPv4 address as a number (0 .. 2^32-1), or NaN. */
export function ipv4Number(s: string): number {
  if (!parseIpv4(s, 0, s.length, bytes)) return NaN;
  return ((bytes[0] * 256 + bytes[1]) * 256 + bytes[2]) * 256 + bytes[3];
}

/** An IPv6 address as a bigint, or null. */
export function ipv6Number(s: string): bigint | null {
  if (!s.includes(':') || !parseIpv6(s, 0, s.length, bytes)) return null;
  let v = 0n;
  for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** `10.0.0.1` or `10.0.0.0/8`; null when neither. */
export function ipv4Range(s: string): Range<number> | null {
  const [addr, bits, extra] = s.split('/');
  const v = ipv4Number(addr);
  if (Number.isNaN(v) || extra !== undefined) return null;
  if (bits === undefined) return { lo: v, hi: v };
  if (!/^\d{1,2}$/.test(bits) || +bits > 32) return null;
  const size = 2 ** (32 - +bits);
  const lo = Math.floor(v / size) * size;
  return { lo, hi: lo + size - 1 };
}

/** `2001:db8::1` or `2001:db8::/32`; null when neither. */
export function ipv6Range(s: string): Range<bigint> | null {
  const [addr, bits, extra] = s.split('/');
  const v = ipv6Number(addr);
  if (v === null || extra !== undefined) return null;
  if (bits === undefined) return { lo: v, hi: v };
  if (!/^\d{1,3}$/.test(bits) || +bits > 128) return null;
  const host = (1n << BigInt(128 - +bits)) - 1n;
  const lo = v & ~host & ((1n << 128n) - 1n);
  return { lo, hi: lo | host };
}

/** A number as typed: `443`, `0x1bb`, `1.5`; NaN when not one. */
export function numberOf(s: string): number {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  return NaN;
}

/** A number or a range `a..b` (sets only); null when neither. */
export function numberRange(s: string, allowRange: boolean): Range<number> | null {
  const dots = s.indexOf('..');
  if (dots > 0 && allowRange) {
    const lo = numberOf(s.slice(0, dots));
    const hi = numberOf(s.slice(dots + 2));
    return Number.isNaN(lo) || Number.isNaN(hi) || lo > hi ? null : { lo, hi };
  }
  const v = numberOf(s);
  return Number.isNaN(v) ? null : { lo: v, hi: v };
}
