/**
 * npm run bench [-- --mb=1024 --conns=100000 --rounds=3 --no-tshark --no-tcptrace --tshark-timeout=300 --no-browser-engine --no-logs --browser]
 *
 * Generates (once) the deterministic benchmark capture, then measures in ONE run, interleaved
 * round by round (the built command line whole-process with and without --json, tcptrace, then floor, source,
 * decode, analyze, tshark, and again), each measurement in
 * a fresh Node process: the byte-reading floor, decode only, full analysis, their peak memory, and
 * tshark on the same file. Prints a table of medians and writes bench/out/results.json.
 * How each figure is measured: bench/README.md.
 */
import { cpus, loadavg } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { benchParams, ensureBenchPcap, OUT_DIR, type Manifest } from './generate-pcap';
import { runChild, REPO, type ChildResult } from './lib/spawn';
import { runTshark, TSHARK, type TsharkResult } from './lib/tshark';
import { checkModules } from './lib/modules';
import { fmt, fmtInt, MB, median, table } from './lib/stats';
import { CHROMIUM, runBrowserEngineBench, type BrowserEngineResult } from './browser-engine';
import { runWhole, TCPTRACE, type WholeResult } from './lib/whole';
import { wholeProcessLines } from './lib/whole-report';
import { startupLines } from './lib/startup';
// @ts-expect-error plain JavaScript build script without types
import { buildCli } from '../scripts/build-cli.mjs';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const ROUNDS = Math.max(2, Number(opt('rounds') ?? 3));
const TSHARK_TIMEOUT_S = Number(opt('tshark-timeout') ?? 300);
const TSHARK_FALLBACK_MB = 200;
const log = (s: string) => process.stderr.write(`${s}\n`);
/** Other work on the machine skews every figure: the load average is printed with them. */
const START_LOAD = loadavg()[0];

type Mode = 'floor-fs' | 'floor-source' | 'decode' | 'connections' | 'analyze';

async function main(): Promise<void> {
  const params = benchParams(args);
  const manifest = ensureBenchPcap(params);
  const file = manifest.file;
  const mods = await checkModules();
  for (const [k, v] of Object.entries(mods)) if (!v.ok) log(`note: ${k} skipped: ${v.why}`);

  const modes: Mode[] = ['floor-fs'];
  if (mods.source.ok) modes.push('floor-source');
  if (mods.decode.ok) modes.push('decode');
  if (mods.decode.ok && mods.analyze.ok) modes.push('connections');
  if (mods.analyze.ok) modes.push('analyze');
  const useTshark = !!TSHARK && !flag('no-tshark');

  // Warm the page cache so the first measured read does not pay for the disk.
  await runChild('floor-fs', file);
  // The command line as shipped (dist/cli/teardown.cjs, built now from the current sources).
  const cli = (buildCli as () => string)();
  const useTcptrace = !!TCPTRACE && !flag('no-tcptrace');
  const whole: Record<string, WholeResult[]> = {};
  // The command runs on one thread; one row with the opt-in decoder thread (src/cli/threaded-decode.ts) beside it.
  const wholeRuns: [string, string, string[], Record<string, string>?][] = [
    ['teardown analyze', process.execPath, [cli, 'analyze', file]],
    ['teardown analyze --json', process.execPath, [cli, 'analyze', '--json', file]],
    ['teardown analyze, two threads', process.execPath, [cli, 'analyze', file], { TEARDOWN_DECODE_THREAD: '1' }],
  ];
  if (useTcptrace) wholeRuns.push(['tcptrace -n', TCPTRACE!, ['-n', file]]);
  // The least a Node program does to count each connection's FINs and RSTs (bench/lib/header-walk.mjs): how close the
  // targets against tcptrace and tshark come to what a JavaScript tool can reach at all.
  if (manifest.file.endsWith('.pcap')) wholeRuns.push(['floor: header walk (Node)', process.execPath, [join(REPO, 'bench/lib/header-walk.mjs'), file]]);

  const samples: Record<string, ChildResult[]> = {};
  const tsharkSamples: TsharkResult[] = [];
  // When tshark is too slow on the main file, it and our analysis are compared on a smaller one.
  let tsharkFile = file;
  let tsharkManifest: Manifest = manifest;
  const oursOnTsharkFile: ChildResult[] = [];

  for (let round = 1; round <= ROUNDS; round++) {
    // Whole processes first in each round, then the work-time children; tshark last.
    for (const [label, cmd, argv, env] of wholeRuns) {
      const r = await runWhole(cmd, argv, 0, false, env);
      (whole[label] ??= []).push(r);
      log(`round ${round} ${label.padEnd(24)} ${fmt(r.wallSeconds, 2)} s wall  ${fmt(r.cpuSeconds, 2)} s CPU  maxRSS ${fmt(r.maxRss / MB, 0)} MB  ${fmt(r.outBytes / MB, 1)} MB out`);
    }
    for (const mode of modes) {
      const r = await runChild(mode, file);
      (samples[mode] ??= []).push(r);
      log(`round ${round} ${mode.padEnd(12)} ${fmt(r.seconds, 3)} s  ${fmt(r.size / MB / r.seconds, 0)} MB/s  maxRSS ${fmt(r.maxRss / MB, 0)} MB`);
    }
    if (useTshark) {
      let t = await runTshark(tsharkFile, TSHARK_TIMEOUT_S * 1000);
      if (t.timedOut && tsharkFile === file) {
        log(`tshark took over ${TSHARK_TIMEOUT_S} s on ${file}; comparing on a ${TSHARK_FALLBACK_MB} MB file instead`);
        const conns = Math.max(50, Math.round((params.conns * TSHARK_FALLBACK_MB) / params.mb));
        tsharkManifest = ensureBenchPcap({ mb: TSHARK_FALLBACK_MB, conns, seed: params.seed });
        tsharkFile = tsharkManifest.file;
        t = await runTshark(tsharkFile, 0);
      }
      tsharkSamples.push(t);
      log(`round ${round} tshark       ${fmt(t.wallSeconds, 2)} s wall (${t.conversations} conversations)`);
      if (tsharkFile !== file && mods.analyze.ok) oursOnTsharkFile.push(await runChild('analyze', tsharkFile));
    }
  }

  let syslog: { lines: number; seconds: number; linesPerSecond: number } | null = null;
  if (mods.syslog.ok) {
    const m = (await import(join(REPO, 'bench/syslog-bench.ts'))) as { runSyslogBench: () => Promise<typeof syslog> };
    syslog = await m.runSyslogBench();
  }

  // Firewall logs of 1 M and 5 M lines, whole process, table / --ndjson / --json (bench/log-bench.ts).
  if (!flag('no-logs')) {
    const m = (await import(join(REPO, 'bench/log-bench.ts'))) as { runLogBench: () => Promise<unknown> };
    await m.runLogBench();
  }

  // The same engine in a Web Worker in Chromium, where Teardown runs (bench/browser-engine.ts).
  let browserEngine: BrowserEngineResult | null = null;
  if (!flag('no-browser-engine') && existsSync(CHROMIUM)) browserEngine = await runBrowserEngineBench(file, manifest.bytes, ROUNDS, log);

  const wholeLines = wholeProcessLines(whole, tsharkFile === file ? tsharkSamples : [], samples.analyze ?? [], manifest.bytes);
  const startup = await startupLines(cli);
  wholeLines.lines.push('', ...startup.lines);
  wholeLines.summary.startup = startup.summary;
  report(manifest, samples, tsharkSamples, tsharkFile, tsharkManifest, oursOnTsharkFile, syslog, mods, useTshark, browserEngine, wholeLines, whole);

  if (flag('browser')) {
    const browser = join(REPO, 'bench/browser.ts');
    if (!existsSync(browser)) log('note: --browser: bench/browser.ts does not exist yet');
    else await ((await import(browser)) as { runBrowserBench: (file: string) => Promise<void> }).runBrowserBench(file);
  }
}

function report(
  manifest: Manifest,
  samples: Record<string, ChildResult[]>,
  tsharkSamples: TsharkResult[],
  tsharkFile: string,
  tsharkManifest: Manifest,
  oursOnTsharkFile: ChildResult[],
  syslog: { lines: number; seconds: number; linesPerSecond: number } | null,
  mods: Awaited<ReturnType<typeof checkModules>>,
  useTshark: boolean,
  browserEngine: BrowserEngineResult | null,
  wholeLines: { lines: string[]; summary: Record<string, unknown> },
  whole: Record<string, WholeResult[]>,
): void {
  const size = manifest.bytes;
  const med = (mode: string, f: (r: ChildResult) => number) => (samples[mode] ? median(samples[mode].map(f)) : NaN);
  const rows: string[][] = [];
  const summary: Record<string, unknown> = {};
  const labels: Record<Mode, string> = {
    'floor-fs': 'read floor: fs read, reused buffer',
    'floor-source': 'read floor: Node ByteSource slices',
    decode: 'decode only (decodeInput, counting sink)',
    connections: 'decode + 4-tuple lookup + packet table',
    analyze: 'full analysis (analyzeSources)',
  };
  for (const mode of Object.keys(labels) as Mode[]) {
    if (!samples[mode]) {
      const why = mode === 'floor-source' ? mods.source.why : mode === 'decode' ? mods.decode.why : mode === 'analyze' || mode === 'connections' ? mods.analyze.why : '';
      rows.push([labels[mode], 'skipped', why ?? '', '', '', '', '', '', '']);
      continue;
    }
    const sec = med(mode, (r) => r.seconds);
    const packets = med(mode, (r) => Number(r.packets ?? NaN));
    const rss = med(mode, (r) => r.maxRss);
    const heap = med(mode, (r) => r.peak.heapUsed);
    const ext = med(mode, (r) => r.peak.external);
    const best = Math.min(...samples[mode].map((r) => r.seconds));
    const s = {
      seconds: sec,
      bestSeconds: best,
      bestMbPerSecond: size / MB / best,
      mbPerSecond: size / MB / sec,
      packetsPerSecond: packets / sec,
      peakRssBytes: rss,
      peakRssRatio: rss / size,
      peakHeapUsedBytes: heap,
      peakExternalBytes: ext,
      peakHeapPlusExternalRatio: (heap + ext) / size,
      samples: samples[mode].map((r) => r.seconds),
    };
    summary[mode] = s;
    const memo = mode === 'decode' || mode === 'connections' || mode === 'analyze';
    rows.push([
      labels[mode],
      fmt(s.mbPerSecond, 0),
      fmt(s.bestMbPerSecond, 0),
      Number.isFinite(packets) ? fmtInt(s.packetsPerSecond) : '',
      fmt(sec, 3),
      memo ? `${fmt(rss / MB, 0)} MB` : '',
      memo ? `${fmt(s.peakRssRatio, 3)}x` : '',
      memo ? `${fmt(heap / MB, 0)} MB` : '',
      memo ? `${fmt(ext / MB, 0)} MB` : '',
    ]);
  }

  const lines: string[] = [];
  lines.push('');
  lines.push(
    `Teardown bench: ${manifest.file.replace(REPO + '/', '')}  ${fmt(size / MB, 1)} MB, ${fmtInt(manifest.packets)} packets, ` +
      `${fmtInt(manifest.connections)} connections (${fmtInt(manifest.ipv6)} IPv6, ${fmtInt(manifest.vlan)} VLAN, ${fmtInt(manifest.tls)} TLS)`,
  );
  lines.push(
    `${ROUNDS} interleaved rounds, each figure a median ("best": the fastest round), each run a fresh process; ` +
      `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${START_LOAD.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
  );
  lines.push('');
  lines.push(...wholeLines.lines);
  summary.wholeProcess = wholeLines.summary;
  lines.push('');
  lines.push('Work time inside one process (module loading excluded; bench/lib/child.ts):');
  lines.push(table(['measure', 'MB/s', 'best MB/s', 'packets/s', 'seconds', 'peak RSS', 'RSS/file', 'peak heap', 'peak ext'], rows));
  lines.push('');

  const dec = summary.decode as { seconds: number } | undefined;
  const ana = summary.analyze as { seconds: number } | undefined;
  if (dec && ana) {
    const cost = (ana.seconds / dec.seconds - 1) * 100;
    summary.analysisCostOverDecodePercent = cost;
    lines.push(`analysis cost over decode only (Node, the file in the page cache): +${fmt(cost, 0)}%  (time after the last slice was read: ${fmt(med('analyze', (r) => Number(r.afterReadSeconds ?? NaN)), 3)} s)`);
    const conn = summary.connections as { seconds: number } | undefined;
    if (conn) {
      // The floor under any classification: finding each packet's connection and keeping its row.
      const floor = (conn.seconds / dec.seconds - 1) * 100;
      const classify = (ana.seconds / conn.seconds - 1) * 100;
      summary.connectionsCostOverDecodePercent = floor;
      summary.classificationCostOverConnectionsPercent = classify;
      lines.push(`  of which 4-tuple lookup + packet table alone (no classification): +${fmt(floor, 0)}%; classification on top of that: +${fmt(classify, 0)}%`);
    }
  }
  if (ana) {
    const last = samples.analyze[samples.analyze.length - 1];
    summary.connectionsFound = last.connections;
    lines.push(`connections found: ${fmtInt(Number(last.connections))} (generated ${fmtInt(manifest.connections)})`);
    const found = (last.byKind ?? {}) as Record<string, number>;
    const kinds = [...new Set([...Object.keys(manifest.expectedByKind), ...Object.keys(found)])];
    lines.push('close kinds, generated -> found: ' + kinds.map((k) => `${k} ${manifest.expectedByKind[k] ?? 0}->${found[k] ?? 0}`).join(', '));
    const rssRatio = (summary.analyze as { peakRssRatio: number }).peakRssRatio;
    const decodeRss = (summary.decode as { peakRssRatio: number } | undefined)?.peakRssRatio;
    // The memory target (< 0.2x the file) is the decoder's; the full analysis also keeps the packet table.
    lines.push(
      `peak RSS: decoder ${decodeRss === undefined ? '-' : `${fmt(decodeRss, 3)}x the file (target < 0.2x) ${decodeRss < 0.2 ? 'OK' : 'OVER'}`}; ` +
        `full analysis ${fmt(rssRatio, 3)}x (it also keeps ~29 bytes per packet in the packet table)`,
    );
  }

  if (useTshark && tsharkSamples.length) {
    const tw = median(tsharkSamples.map((t) => t.wallSeconds));
    const ours = tsharkFile === manifest.file ? samples.analyze : oursOnTsharkFile;
    const where = tsharkFile === manifest.file ? 'the same file' : `a ${fmt(tsharkManifest.bytes / MB, 0)} MB file generated with the same settings (${tsharkFile.replace(REPO + '/', '')}) because tshark took over ${TSHARK_TIMEOUT_S} s on the main file`;
    const t: Record<string, unknown> = { file: tsharkFile, wallSeconds: tw, samples: tsharkSamples.map((x) => x.wallSeconds), conversations: tsharkSamples[0].conversations };
    lines.push('');
    lines.push(`tshark -r F -q -z conv,tcp on ${where}: ${fmt(tw, 2)} s wall, ${fmt(tsharkManifest.bytes / MB / tw, 0)} MB/s, ${fmtInt(tsharkSamples[0].conversations)} conversations`);
    if (ours?.length) {
      const ow = median(ours.map((r) => r.wallSeconds));
      const ok = median(ours.map((r) => r.seconds));
      t.oursWallSeconds = ow;
      t.oursWorkSeconds = ok;
      t.ratioWall = tw / ow;
      t.ratioWork = tw / ok;
      lines.push(
        `ours (analyzeSources) on the same file: ${fmt(ow, 2)} s process wall (Node start-up included), ${fmt(ok, 2)} s work -> ` +
          `tshark/ours = ${fmt(tw / ow, 1)}x wall, ${fmt(tw / ok, 1)}x work`,
      );
    }
    // The decoder alone against the same tshark runs (when measured on the same file).
    if (tsharkFile === manifest.file && samples.decode?.length) {
      const dw = median(samples.decode.map((r) => r.wallSeconds));
      const dk = median(samples.decode.map((r) => r.seconds));
      t.decodeRatioWall = tw / dw;
      t.decodeRatioWork = tw / dk;
      lines.push(
        `decoder alone (decodeInput) on the same file: ${fmt(dw, 2)} s process wall, ${fmt(dk, 2)} s work -> ` +
          `tshark/decoder = ${fmt(tw / dw, 1)}x wall, ${fmt(tw / dk, 1)}x work (target >= 20x) ${tw / dw >= 20 ? 'OK' : 'UNDER'}`,
      );
    }
    summary.tshark = t;
  } else {
    lines.push(useTshark ? '' : 'tshark: not measured (not installed or --no-tshark)');
  }

  if (browserEngine) {
    lines.push('', ...browserEngine.lines);
    summary.browserEngine = { medians: browserEngine.medians, samples: browserEngine.samples, analysisCostOverDecodePercent: browserEngine.analysisCostOverDecodePercent, connectionsCostOverDecodePercent: browserEngine.connectionsCostOverDecodePercent };
  } else lines.push('', `browser engine: not measured (${existsSync(CHROMIUM) ? '--no-browser-engine' : `${CHROMIUM} missing`})`);
  lines.push(syslog ? `syslog: ${fmtInt(syslog.lines)} lines in ${fmt(syslog.seconds, 2)} s = ${fmtInt(syslog.linesPerSecond)} lines/s` : `syslog: skipped (${mods.syslog.why})`);
  summary.syslog = syslog;
  console.log(lines.join('\n'));

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    tshark: TSHARK ? tsharkVersion() : null,
    rounds: ROUNDS,
    loadAverage: { start: START_LOAD, end: loadavg()[0] },
    file: manifest,
    summary,
    samples,
    tsharkSamples,
    wholeProcessSamples: whole,
    oursOnTsharkFile,
    skipped: Object.fromEntries(Object.entries(mods).filter(([, v]) => !v.ok).map(([k, v]) => [k, v.why])),
  };
  writeFileSync(join(OUT_DIR, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote ${join(OUT_DIR, 'results.json').replace(REPO + '/', '')}`);
}

function tsharkVersion(): string | null {
  try {
    return execFileSync(TSHARK!, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return null;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
