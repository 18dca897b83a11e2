/**
 * Every way a Web Worker can read a File, measured in headless Chromium on the benchmark capture, interleaved round
 * by round, each in a fresh worker: Blob.slice().arrayBuffer() at several slice sizes (one at a time, and with the
 * next slice read ahead as the engine does), FileReaderSync, File.stream() with its default reader and with a BYOB
 * reader; then the engine's own Blob source (src/lib/byte-source.ts) and the app's whole engine load, against the
 * fastest of them (the floor any File reader pays).
 *
 *   npx tsx bench/browser-read.ts [--mb=200 | --file=PATH] [--rounds=2]
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { chromium } from 'playwright-core';
import { benchParams, ensureBenchPcap, OUT_DIR } from './generate-pcap';
import { REPO } from './lib/spawn';
import { serve } from './lib/static-server';
import { fmt, median, MB, table } from './lib/stats';
import type { ReadMode } from './browser-read/worker';
import { BLOB_READ_SIZE, DEFAULT_SLICE_SIZE } from '../src/lib/byte-source';

const CHROMIUM = '/usr/bin/chromium';
const K = 1024;
const M = 1024 * 1024;

const MODES: [string, ReadMode][] = [
  ...[256 * K, M, 2 * M, 4 * M, 8 * M, 16 * M].map((size): [string, ReadMode] => [`Blob.slice().arrayBuffer() ${size / K} KiB`, { kind: 'slice-arraybuffer', size, ahead: false }]),
  ...[M, 2 * M, 4 * M, 8 * M].map((size): [string, ReadMode] => [`Blob.slice().arrayBuffer() ${size / K} KiB, next read ahead`, { kind: 'slice-arraybuffer', size, ahead: true }]),
  ...[M, 2 * M, 8 * M].map((size): [string, ReadMode] => [`FileReaderSync ${size / K} KiB`, { kind: 'filereadersync', size }]),
  ['File.stream(), default reader', { kind: 'stream-default' }],
  ...[256 * K, 2 * M, 8 * M].map((size): [string, ReadMode] => [`File.stream(), BYOB reader ${size / K} KiB`, { kind: 'stream-byob', size }]),
  [`the engine's Blob source (${DEFAULT_SLICE_SIZE / K} KiB slices of ${BLOB_READ_SIZE / K} KiB reads)`, { kind: 'engine-source', size: DEFAULT_SLICE_SIZE }],
  ["the app's engine load (analysis + table columns)", { kind: 'app-load' }],
];

/** The ways of reading a File that `npm run bench:browser` times beside the app's load (the fastest of them so far). */
export const FLOOR_MODES = MODES.filter(([l]) => /BYOB reader (2048|8192) KiB|default reader|2048 KiB, next read ahead|engine's Blob source/.test(l));

export interface ReadResult {
  /** Median seconds per way. */
  medians: Map<string, number>;
  floorLabel: string;
  floor: number;
}

/**
 * Each way in `modes` reads `file` (of `bytes` bytes) in a fresh Web Worker, `rounds` times interleaved; the floor is
 * the fastest way that only reads (not the engine's source nor the app's load).
 */
export async function measureReads(file: string, bytes: number, rounds: number, modes: [string, ReadMode][] = MODES): Promise<ReadResult> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const dir = join(OUT_DIR, 'browser-read');
  mkdirSync(dir, { recursive: true });
  buildSync({ entryPoints: [join(REPO, 'bench/browser-read/worker.ts')], outfile: join(dir, 'worker.js'), bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', logLevel: 'warning' });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><input type="file" id="f">\n');
  const { url, server } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const samples = new Map<string, number[]>();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.setInputFiles('#f', file);
    for (let round = 1; round <= rounds; round++) {
      for (const [label, mode] of modes) {
        const r = await page.evaluate(
          (mode) =>
            new Promise<{ seconds: number; bytes: number }>((ok, fail) => {
              const w = new Worker('worker.js');
              w.onmessage = (e) => (w.terminate(), ok(e.data));
              w.onerror = (e) => (w.terminate(), fail(new Error(e.message)));
              w.postMessage({ file: (document.getElementById('f') as HTMLInputElement).files![0], mode });
            }),
          mode,
        );
        samples.set(label, [...(samples.get(label) ?? []), r.seconds]);
        process.stderr.write(`round ${round} ${label.padEnd(52)} ${fmt(r.seconds, 3)} s${r.bytes ? ` (${r.bytes} bytes)` : ''}\n`);
        if (r.bytes && r.bytes !== bytes) throw new Error(`${label} read ${r.bytes} bytes of ${bytes}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const medians = new Map([...samples].map(([k, v]) => [k, median(v)]));
  const reads = modes.map(([l, m]) => (m.kind === 'engine-source' || m.kind === 'app-load' ? '' : l)).filter(Boolean);
  const floorLabel = reads.reduce((a, b) => (medians.get(a)! <= medians.get(b)! ? a : b));
  return { medians, floorLabel, floor: medians.get(floorLabel)! };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = Math.max(1, Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 2));
  if (!args.some((a) => a.startsWith('--mb='))) args.push('--mb=200');
  // --file=PATH: any input instead of the generated capture (a firewall log from bench/log-gen.ts, say).
  const given = args.find((a) => a.startsWith('--file='))?.slice(7);
  const manifest = given ? { file: given, bytes: statSync(given).size } : ensureBenchPcap(benchParams(args));
  const { medians: med, floorLabel, floor } = await measureReads(manifest.file, manifest.bytes, rounds);
  const rows = MODES.map(([l]) => [l, fmt(med.get(l)!, 3), fmt(manifest.bytes / MB / med.get(l)!, 0), `${fmt(med.get(l)! / floor, 2)}x`]);
  console.log(`\nReading a ${fmt(manifest.bytes / MB, 0)} MB File in a Web Worker (headless Chromium, ${rounds} rounds, medians; fresh worker each):`);
  console.log(table(['way', 'seconds', 'MB/s', '/ fastest'], rows));
  console.log(`fastest: ${floorLabel}; the app's engine load is ${fmt(med.get(MODES[MODES.length - 1][0])! / floor, 2)}x that floor`);
  writeFileSync(join(OUT_DIR, 'browser-read-results.json'), JSON.stringify({ file: manifest.file, rounds, medians: Object.fromEntries(med), floor: floorLabel }, null, 1));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
