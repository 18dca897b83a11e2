/**
 * The engine's cost of analysis inside the browser, where Teardown runs: the benchmark capture handed to a Web
 * Worker in headless Chromium, measured for the Blob-reading floor, decode only, decode into connections, the full
 * analysis and the app's engine load (analysis plus the flow table's columns), interleaved round by round, each in a
 * fresh worker (bench/browser-engine/worker.ts, bundled with esbuild). Part of `npm run bench` when Chromium is
 * there (--no-browser-engine leaves it out); alone:
 *
 *   npx tsx bench/browser-engine.ts [--mb=1024] [--rounds=3]
 *
 * Reading a File in the browser is much slower than reading from Node's page cache, and the engine reads ahead
 * while it decodes, so there the analysis work mostly fills time the worker would spend waiting for the file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { chromium } from 'playwright-core';
import { benchParams, ensureBenchPcap, OUT_DIR } from './generate-pcap';
import { REPO } from './lib/spawn';
import { serve } from './lib/static-server';
import { fmt, median, MB } from './lib/stats';

export const CHROMIUM = '/usr/bin/chromium';
const MODES = ['floor', 'decode', 'connections', 'analyze', 'session'] as const;
type Mode = (typeof MODES)[number];
const LABELS: Record<Mode, string> = {
  floor: 'read floor: Blob ByteSource slices',
  decode: 'decode only (counting sink)',
  connections: 'decode + 4-tuple lookup + packet table',
  analyze: 'full analysis (analyzeSources)',
  session: "the app's engine load (+ table columns)",
};

export interface BrowserEngineResult {
  samples: Record<Mode, number[]>;
  medians: Record<Mode, number>;
  analysisCostOverDecodePercent: number;
  connectionsCostOverDecodePercent: number;
  lines: string[];
}

export async function runBrowserEngineBench(file: string, bytes: number, rounds: number, log: (s: string) => void): Promise<BrowserEngineResult> {
  const dir = join(OUT_DIR, 'browser-engine');
  mkdirSync(dir, { recursive: true });
  buildSync({
    entryPoints: [join(REPO, 'bench/browser-engine/worker.ts')], outfile: join(dir, 'worker.js'),
    bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><input type="file" id="f">\n');
  const { url, server } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.setInputFiles('#f', file);
    const samples = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
    for (let round = 1; round <= rounds; round++) {
      for (const mode of MODES) {
        const r = await page.evaluate(
          (mode) =>
            new Promise<{ seconds: number }>((ok, fail) => {
              const w = new Worker('worker.js');
              w.onmessage = (e) => (w.terminate(), ok(e.data));
              w.onerror = (e) => (w.terminate(), fail(new Error(e.message)));
              w.postMessage({ file: (document.getElementById('f') as HTMLInputElement).files![0], mode });
            }),
          mode,
        );
        samples[mode].push(r.seconds);
        log(`round ${round} browser ${mode.padEnd(12)} ${fmt(r.seconds, 3)} s  ${fmt(bytes / MB / r.seconds, 0)} MB/s`);
      }
    }
    const medians = Object.fromEntries(MODES.map((m) => [m, median(samples[m])])) as Record<Mode, number>;
    const cost = (medians.analyze / medians.decode - 1) * 100;
    const floor = (medians.connections / medians.decode - 1) * 100;
    const lines = [`In the browser (headless Chromium, a Web Worker reading the File as the app does; ${rounds} rounds, medians):`];
    for (const m of MODES) lines.push(`  ${LABELS[m].padEnd(40)} ${fmt(medians[m], 3).padStart(7)} s  ${fmt(bytes / MB / medians[m], 0).padStart(5)} MB/s`);
    const pct = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v, 0)}%`;
    lines.push(`  analysis cost over decode only: ${pct(cost)} (target < 25%)  (4-tuple lookup + packet table alone: ${pct(floor)})`);
    return { samples, medians, analysisCostOverDecodePercent: cost, connectionsCostOverDecodePercent: floor, lines };
  } finally {
    await browser.close();
    server.close();
  }
}

// Run alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const rounds = Math.max(1, Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3));
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const manifest = ensureBenchPcap(benchParams(args));
  const r = await runBrowserEngineBench(manifest.file, manifest.bytes, rounds, (s) => process.stderr.write(`${s}\n`));
  console.log(r.lines.join('\n'));
  writeFileSync(join(OUT_DIR, 'browser-engine-results.json'), JSON.stringify({ file: manifest.file, rounds, ...r }, null, 1));
}
