/**
 * The mutation fuzzer of issue 15, shared by the CI test (hostile-fuzz.test.ts, a few hundred mutants per target) and
 * the long run (bench/hostile/fuzz.ts, 10,000+ per target). Targets: every decoder on a real input of its format
 * (pcap, pcapng, pcap.gz, ASA syslog, ASA show capture, tcpdump -n text), share links (the link text, and the JSON
 * inside a validly packed part), lesson files and URL fragments. A mutant fails when anything throws, a problem does
 * not name its file, a share link decodes past the explorer's limits, or one input takes more than `slowMs` of CPU time (tests/unit/cpu-time.ts: a loaded machine's waits do not count).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { deflateSync, strToU8 } from 'fflate';
import { analyzeReport, analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { encodeBase64url } from '../../src/lib/base64url';
import { decodeShareFragment, MAX_SHARED_LADDERS, MAX_SHARED_PACKETS } from '../../src/share/link-codec';
import { SHARE_DICTIONARY_V1 } from '../../src/share/dictionary';
import { makeShareState } from '../../src/share/make-share';
import { encodeShareFragment } from '../../src/share/link-codec';
import { DEFAULT_VIEW } from '../../src/share/share-state';
import { parseHashParams } from '../../src/share/hash-params';
import { parseLesson } from '../../src/lessons/validate';
import { rng } from './seeded-random';

const ROOT = resolve(import.meta.dirname, '../..');
const fixture = (p: string) => new Uint8Array(readFileSync(join(ROOT, p)));

const TCPDUMP = `12:00:47.907301 IP 10.20.30.15.443 > 198.51.100.77.55132: Flags [F.], seq 2320205170, ack 991843171, win 65535, length 0
12:00:47.952480 IP 198.51.100.77.55132 > 10.20.30.15.443: Flags [.], ack 2320205171, win 65535, length 0
12:00:50.443687 IP 198.51.100.77.55132 > 10.20.30.15.443: Flags [F.], seq 991843171, ack 2320205171, win 65535, length 0
12:00:50.443687 IP 198.51.100.77.55132 > 10.20.30.15.443: Flags [R.], seq 991843172, ack 2320205171, win 0, length 0
12:00:50.443748 IP6 2001:db8::1.443 > 2001:db8::2.55132: Flags [R], seq 2320205171, win 0, length 0
`;

export type Target = 'pcap' | 'pcapng' | 'pcap.gz' | 'syslog' | 'show-capture' | 'tcpdump' | 'share-link' | 'share-json' | 'lesson' | 'hash';
export const TARGETS: Target[] = ['pcap', 'pcapng', 'pcap.gz', 'syslog', 'show-capture', 'tcpdump', 'share-link', 'share-json', 'lesson', 'hash'];

export interface FuzzResult {
  target: Target;
  runs: number;
  failures: string[];
  maxMs: number;
  totalMs: number;
}

/** 1-4 random byte-level edits: bit flips, random or 0xff runs, truncation, insertion, deletion, duplication. */
export function mutateBytes(src: Uint8Array, r: () => number): Uint8Array {
  let b: Uint8Array = src.slice();
  const at = (n = b.length) => Math.floor(r() * Math.max(1, n));
  for (let k = 1 + at(4); k > 0; k--) {
    const op = at(7);
    if (!b.length) break;
    if (op === 0) b[at()] ^= 1 << at(8);
    else if (op === 1) b[at()] = at(256);
    else if (op === 2) {
      const p = at();
      const v = r() < 0.5 ? 0xff : 0;
      for (let i = p; i < Math.min(b.length, p + 4); i++) b[i] = v;
    } else if (op === 3) b = b.slice(0, at());
    else if (op === 4) {
      const p = at();
      const ins = Uint8Array.from({ length: 1 + at(64) }, () => at(256));
      b = concat(b.subarray(0, p), ins, b.subarray(p));
    } else if (op === 5) {
      const p = at();
      b = concat(b.subarray(0, p), b.subarray(Math.min(b.length, p + 1 + at(200))));
    } else {
      const p = at();
      b = concat(b.subarray(0, p), b.subarray(p, p + 1 + at(300)), b.subarray(p));
    }
  }
  return b;
}

const CHARS = ['%', '%Z', '%E2%8', '&', '=', '.', '#', 's=', 'capture=', 'lesson=', 'compare=', '"', '\\', '{', '}', '[', ']', ',', ':', '0', '9', '-1', '1e999', 'null', 'true', '\u202e', '\u0000', '<img src=x>', 'é', '\ud800'];

/** 1-4 random text edits: replace, insert (syntax characters, numbers, hostile strings), delete, cut, duplicate. */
export function mutateText(src: string, r: () => number): string {
  let s = src;
  const at = (n = s.length) => Math.floor(r() * Math.max(1, n));
  for (let k = 1 + at(4); k > 0; k--) {
    const op = at(5);
    const p = at();
    const piece = CHARS[at(CHARS.length)];
    if (op === 0) s = s.slice(0, p) + piece + s.slice(p + 1);
    else if (op === 1) s = s.slice(0, p) + piece + s.slice(p);
    else if (op === 2) s = s.slice(0, p) + s.slice(p + 1 + at(40));
    else if (op === 3) s = s.slice(0, p);
    else s = s.slice(0, p) + s.slice(p, p + 1 + at(200)) + s.slice(p);
  }
  return s;
}

/** Replaces random values inside a JSON value: other types, huge or negative numbers, long strings, deep nests. */
function mutateJson(v: unknown, r: () => number, depth = 0): unknown {
  const wild = [null, -1, 1e308, -0, 2 ** 53, 'x'.repeat(5000), '<b>x</b>', [], {}, [[[[[[[[[[1]]]]]]]]]], true, { __proto__: { x: 1 } }, 'NaN'];
  if (r() < 0.08) return wild[Math.floor(r() * wild.length)];
  if (Array.isArray(v)) {
    const out = v.map((x) => mutateJson(x, r, depth + 1));
    if (r() < 0.05) out.push(...out.slice(0, Math.floor(r() * 50)));
    return out;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (r() > 0.03) out[k] = mutateJson(x, r, depth + 1);
    if (r() < 0.05) out['unknown' + Math.floor(r() * 9)] = wild[Math.floor(r() * wild.length)];
    return out;
  }
  return v;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function checkDecoder(name: string, bytes: Uint8Array): Promise<string | null> {
  const s = await analyzeSources([createBytesSource(name, bytes)]);
  for (const p of [...s.inputs[0].errors, ...s.inputs[0].warnings]) {
    if (p.file !== name) return `problem names ${p.file}`;
    if (typeof p.offset !== 'number' && typeof p.line !== 'number') return `problem without offset or line: ${p.message}`;
  }
  JSON.stringify(analyzeReport(s)); // builds every report
  for (let i = 0; i < Math.min(3, s.reports.length); i++) ladderData(s, s.reports.at(i)!);
  return null;
}

function checkShare(fragment: string): string | null {
  const d = decodeShareFragment(fragment);
  if (!d) return null;
  if (d.state.ladders.length > MAX_SHARED_LADDERS) return `${d.state.ladders.length} ladders`;
  for (const l of d.state.ladders) if (l.packets.length > MAX_SHARED_PACKETS) return `${l.packets.length} packets`;
  JSON.stringify(d);
  return null;
}

/** The seeds: real inputs of each format, and a real share link made from a real capture. */
async function seeds() {
  const pcap = fixture('tests/fixtures/closes/fin-then-rst-linger0.pcap');
  const s = await analyzeSources([createBytesSource('x.pcap', pcap)]);
  const ladder = ladderData(s, s.reports.at(0)!);
  const state = makeShareState([{ connection: ladder.connection, packets: ladder.packets }], DEFAULT_VIEW, { anonymise: true, ports: false, whole: true });
  const link = '#' + encodeShareFragment(state);
  const ladderJson = JSON.parse(JSON.stringify({ connection: state.ladders[0].connection, t0Us: 0, totalPackets: 9, packets: state.ladders[0].packets.map((p) => [p.t, p.c, p.f, p.s, p.a, p.l, p.w, p.v, p.i, ...p.x]) }));
  return {
    pcap,
    pcapng: fixture('tests/fixtures/captures/zeek__vlan-pcp-dei.pcapng'),
    gz: new Uint8Array(gzipSync(pcap)),
    syslog: fixture('tests/fixtures/seed/asa-syslog.log'),
    showCapture: fixture('tests/fixtures/seed/inside-capture.txt'),
    tcpdump: new TextEncoder().encode(TCPDUMP),
    link,
    ladderJson,
    view: link.split('.')[1],
    lesson: readFileSync(join(ROOT, 'public/lessons/clean-close.json'), 'utf8'),
    hash: `#lesson=clean-close&compare=3&large=1&capture=${encodeURIComponent('https://example.org/a b%.pcap')}&example=seed&${link.slice(1)}`,
  };
}

export async function fuzz(target: Target, runs: number, seed = 15, slowMs = 5000): Promise<FuzzResult> {
  const sd = await seeds();
  const r = rng(seed * 7919 + TARGETS.indexOf(target));
  const res: FuzzResult = { target, runs, failures: [], maxMs: 0, totalMs: 0 };
  const bytesSeed: Partial<Record<Target, Uint8Array>> = { pcap: sd.pcap, pcapng: sd.pcapng, 'pcap.gz': sd.gz, syslog: sd.syslog, 'show-capture': sd.showCapture, tcpdump: sd.tcpdump };
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    let problem: string | null = null;
    let input = '';
    try {
      const b = bytesSeed[target];
      if (b) {
        const m = mutateBytes(b, r);
        input = `${m.length} bytes`;
        problem = await checkDecoder(`mutant.${target}`, m);
      } else if (target === 'share-link') {
        input = mutateText(sd.link, r);
        problem = checkShare(input);
      } else if (target === 'share-json') {
        const part = encodeBase64url(deflateSync(strToU8(JSON.stringify(mutateJson(sd.ladderJson, r))), { level: 6, dictionary: SHARE_DICTIONARY_V1 }));
        input = part.slice(0, 80);
        problem = checkShare(`#s=1.${sd.view}.${part}`);
      } else if (target === 'lesson') {
        input = r() < 0.5 ? mutateText(sd.lesson, r) : JSON.stringify(mutateJson(JSON.parse(sd.lesson), r));
        const l = parseLesson(input);
        if (l.errors.length > 51 || l.warnings.length > 51) problem = `${l.errors.length} errors, ${l.warnings.length} warnings listed`;
      } else {
        input = mutateText(sd.hash, r);
        const p = parseHashParams(input, 'https://host/teardown/');
        if (!Array.isArray(p.problems)) problem = 'no problems list';
        problem ??= checkShare(input);
      }
    } catch (e) {
      problem = `threw ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`;
    }
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    res.totalMs += ms;
    res.maxMs = Math.max(res.maxMs, ms);
    if (ms > slowMs) problem ??= `took ${ms.toFixed(0)} CPU-ms`;
    if (problem) res.failures.push(`#${i} (${input.slice(0, 60)}): ${problem}`);
  }
  return res;
}
