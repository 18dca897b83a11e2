/**
 * Consistent pseudonyms for addresses (and, when asked, ports) before a link is made.
 * The same address always gets the same pseudonym within one link, so "the client" stays one host
 * across ladders. Pseudonyms come from the documentation ranges (RFC 5737, RFC 3849) and never
 * reuse an address that occurs in the data itself.
 */
import type { ConnectionReport } from '../model/report';

const IPV4_IN_TEXT = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d])/g;
const IPV4_ONLY = /^(?:\d{1,3}\.){3}\d{1,3}$/;

export interface AnonymiseOptions {
  ports: boolean;
}

export interface Pseudonymizer {
  ip(real: string): string;
  port(real: number): number;
  /**
   * Replaces, in free text, the addresses (and ports) the analysis put in the connection's fields, as registered
   * with ip() and port(). Nothing is replaced by its shape alone: "RFC 1122 4.2.2.13" stays a section number.
   */
  text(s: string): string;
  /** Every address given a pseudonym so far: [original, pseudonym] (exports rewrite packet headers with them). */
  addresses(): [string, string][];
}

function* v4Pool(): Generator<string> {
  for (const net of ['192.0.2', '198.51.100', '203.0.113']) for (let i = 1; i < 255; i++) yield `${net}.${i}`;
  for (let i = 0; i < 1 << 16; i++) yield `100.64.${i >> 8}.${i & 255}`;
}

function* v6Pool(): Generator<string> {
  for (let i = 1; ; i++) yield `2001:db8::${i.toString(16)}`;
}

export function createPseudonymizer(originals: Iterable<string>, options: AnonymiseOptions): Pseudonymizer {
  const taken = new Set<string>();
  for (const o of originals) taken.add(o.toLowerCase());
  const ips = new Map<string, string>();
  const ports = new Map<number, number>();
  const pool4 = v4Pool();
  const pool6 = v6Pool();
  const next = (pool: Generator<string>) => {
    for (;;) {
      const v = pool.next().value as string;
      if (!taken.has(v)) return v;
    }
  };
  const ip = (real: string) => {
    const key = real.toLowerCase();
    let p = ips.get(key);
    if (!p) {
      p = key.includes(':') ? next(pool6) : next(pool4);
      ips.set(key, p);
    }
    return p;
  };
  // Well-known ports say what the service is and identify nobody; ephemeral ones may be swapped.
  const port = (real: number) => {
    if (!options.ports || real < 1024) return real;
    let p = ports.get(real);
    if (p === undefined) {
      p = 50000 + ports.size;
      ports.set(real, p);
    }
    return p;
  };
  // Each kind is replaced in ONE pass: replacing real values one after another would rewrite a
  // pseudonym already written (real port 50000 after 55132 -> 50000) or an address inside another.
  const text = (s: string) => {
    let out = s.replace(IPV4_IN_TEXT, (m) => ips.get(m) ?? m);
    const v6 = [...ips.keys()].filter((k) => k.includes(':')).sort((a, b) => b.length - a.length);
    if (v6.length) {
      // Longest first, and not inside a longer address ("2001:db8::1" in "2001:db8::1f").
      const re = new RegExp(`(?<![0-9a-f:])(?:${v6.map(escapeRegExp).join('|')})(?![0-9a-f:])`, 'gi');
      out = out.replace(re, (m) => ips.get(m.toLowerCase()) ?? m);
    }
    // A port follows ':' or '/' (ip:port, ASA's ip/port) or the word "port", and is not the first group of an IPv6
    // address; a number anywhere else ("RFC 9293") is left alone.
    if (options.ports && ports.size) out = out.replace(/(?<=[:/]|\bport )\d{4,5}(?![\d:])/g, (m) => String(ports.get(Number(m)) ?? m));
    return out;
  };
  return { ip, port, text, addresses: () => [...ips] };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every address in a JSON value: endpoint objects ({ip, port}) and IPv4 literals in strings. */
export function collectAddresses(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(IPV4_IN_TEXT)) into.add(m[0]);
  else if (Array.isArray(value)) for (const v of value) collectAddresses(v, into);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.ip === 'string') into.add(o.ip);
    // (Strings are searched too, for the pseudonyms to avoid: never one that reads like an address in the text.)
    for (const v of Object.values(o)) collectAddresses(v, into);
  }
  return into;
}

/** A copy of a JSON value with endpoints and strings pseudonymised; `files` become "capture N". */
export function anonymiseJson<T>(value: T, p: Pseudonymizer): T {
  // Register every endpoint first, so free text met before its endpoint is rewritten too.
  const register = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(register);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.ip === 'string') {
        p.ip(o.ip);
        if (typeof o.port === 'number') p.port(o.port);
      }
      // The firewall's name as its log gives it may be its address.
      if (typeof o.device === 'string' && IPV4_ONLY.test(o.device)) p.ip(o.device);
      Object.values(o).forEach(register);
    }
  };
  register(value);
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return p.text(v);
    if (Array.isArray(v)) return key === 'files' ? v.map((_, i) => `capture ${i + 1}`) : v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x, k);
      if (typeof o.ip === 'string') out.ip = p.ip(o.ip);
      if (typeof o.port === 'number' && typeof o.ip === 'string') out.port = p.port(o.port);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** The capture file and capture point names of connections, in order of appearance (names of two characters or less stay). */
export function fileNamesOf(cs: readonly ConnectionReport[]): string[] {
  return [...new Set(cs.flatMap((c) => [...c.files, ...(c.vantage?.points ?? [])]))].filter((n) => n.length > 2);
}

/** Capture file names (which can say too much: "acme-dmz-fw1-inside.pcap") become "capture N" everywhere. */
export function withoutFileNames(c: ConnectionReport, numbered?: readonly string[]): ConnectionReport {
  // `numbered`: the names in the order they are numbered across several connections (one export of several ladders).
  const names = numbered ? [...numbered] : fileNamesOf([c]);
  if (!names.length) return c;
  // Numbered in order of appearance; replaced longest first, so "a.pcap" never eats into "data.pcap".
  const longestFirst = [...names].sort((a, b) => b.length - a.length);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return longestFirst.reduce((t, n) => t.split(n).join(`capture ${names.indexOf(n) + 1}`), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(c) as ConnectionReport;
}

