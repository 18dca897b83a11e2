/**
 * Hostile firewall logs at full size, each through the built command line (`node dist/cli/teardown.cjs analyze F`,
 * the readable table) under /usr/bin/time -v: wall time, lines/s, peak RSS and its ratio to the file, exit status and
 * the warnings the output ends with. Inputs (written once to bench/out/hostile/, streamed, flat memory):
 *  - one-flow-denies: --gb (default 2) GB of 106015 denies of one 4-tuple, 50 a second;
 *  - never-torn-down: --built (default 1,000,000) Built lines whose connections never tear down;
 *  - damaged: --damaged (default 200,000) ordinary lines (bench/log-gen.ts) with, every 100 lines, a 100 KB line,
 *    a run of NUL bytes, a line with bytes that are not UTF-8, or a NUL inside a line.
 *   npx tsx bench/hostile/logs.ts [--gb=2] [--built=1000000] [--damaged=200000] [--only=NAME,...]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_DIR } from './make';
import { generateLog } from '../log-gen';
import { REPO } from '../lib/spawn';

const stamp = (s: number) => {
  const d = new Date(Date.UTC(2018, 5, 20) + s * 1000).toISOString();
  return `<166>Jun ${d.slice(8, 10)} 2018 ${d.slice(11, 19)} fw-a : %ASA-`;
};

/** Streams lines from `next` (null = done) into a file in 4 MB writes; returns the line count. */
function writeLines(path: string, next: (k: number) => string | Buffer | null): number {
  const fd = openSync(path, 'w');
  let text = '';
  const flush = () => {
    writeSync(fd, Buffer.from(text, 'latin1'));
    text = '';
  };
  let k = 0;
  for (;;) {
    const l = next(k);
    if (l === null) break;
    k++;
    if (typeof l === 'string') text += `${l}\n`;
    else {
      flush();
      writeSync(fd, l);
    }
    if (text.length >= 1 << 22) flush();
  }
  flush();
  closeSync(fd);
  return k;
}

function oneFlowDenies(gb: number): string {
  const path = join(HOSTILE_DIR, `one-flow-denies-${gb}gb.log`);
  if (!existsSync(path)) {
    const limit = gb * 1024 ** 3;
    let bytes = 0;
    writeLines(path, (k) => {
      if (bytes >= limit) return null;
      const l = `${stamp(Math.floor(k / 50))}6-106015: Deny TCP (no connection) from 192.0.2.1/1234 to 10.0.0.2/22 flags RST  on interface outside`;
      bytes += l.length + 1;
      return l;
    });
  }
  return path;
}

function neverTornDown(n: number): string {
  const path = join(HOSTILE_DIR, `never-torn-down-${n}.log`);
  if (!existsSync(path)) {
    writeLines(path, (k) => {
      if (k >= n) return null;
      const a = `198.51.${(k >> 8) & 255}.${k & 255}/${1024 + (k % 60000)}`;
      return `${stamp(Math.floor(k / 200))}6-302013: Built inbound TCP connection ${1000 + k} for outside:${a} (${a}) to inside:10.0.${(k >> 16) & 255}.1/443 (203.0.113.1/443)`;
    });
  }
  return path;
}

function damaged(n: number): string {
  const path = join(HOSTILE_DIR, `damaged-${n}.log`);
  if (!existsSync(path)) {
    const base = join(HOSTILE_DIR, `damaged-base-${n}.log`);
    generateLog(base, { lines: n, seed: 5 });
    const lines = readFileSync(base, 'latin1').split('\n');
    const long = `${lines[0]} ${'x'.repeat(100_000)}`;
    writeLines(path, (k) => {
      if (k >= lines.length) return null;
      const l = lines[k];
      if (k % 100 !== 50) return l;
      const kind = (k / 100) % 4 | 0;
      if (kind === 0) return long;
      if (kind === 1) return Buffer.concat([Buffer.alloc(4096), Buffer.from(`${l}\n`, 'latin1')]);
      if (kind === 2) return Buffer.concat([Buffer.from(l, 'latin1'), Buffer.from([0x20, 0xff, 0xfe, 0xc3, 0x0a])]);
      return `${l.slice(0, 40)}\0${l.slice(40)}`;
    });
  }
  return path;
}

function run(name: string, file: string): void {
  const bytes = statSync(file).size;
  const lines = Number(spawnSync('wc', ['-l', file]).stdout.toString().trim().split(' ')[0]);
  const t0 = performance.now();
  // stdout to a pipe read by tail (the summary and warnings are at the end); stderr carries time -v.
  const r = spawnSync('sh', ['-c', `/usr/bin/time -v "${process.execPath}" dist/cli/teardown.cjs analyze "${file}" | tail -c 6000`], {
    cwd: REPO, maxBuffer: 1 << 24,
  });
  const seconds = (performance.now() - t0) / 1000;
  const err = r.stderr.toString();
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN) * 1024;
  const status = /Exit status: (\d+)/.exec(err)?.[1];
  const warnings = r.stdout.toString().split('\n').filter((l) => /^\s+(warning|error):/.test(l));
  console.log(`${name}: ${(bytes / 1048576).toFixed(0)} MB, ${lines.toLocaleString('en')} lines: ${seconds.toFixed(1)} s, ` +
    `${Math.round(lines / seconds).toLocaleString('en')} lines/s, peak RSS ${(rss / 1048576).toFixed(0)} MB = ${(rss / bytes).toFixed(2)}x the file, exit ${status}`);
  for (const w of warnings.slice(0, 8)) console.log(`  ${w.trim()}`);
  if (warnings.length > 8) console.log(`  (${warnings.length - 8} more warnings)`);
}

const opt = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
mkdirSync(HOSTILE_DIR, { recursive: true });
spawnSync(process.execPath, [join(REPO, 'scripts', 'build-cli.mjs')], { cwd: REPO, stdio: 'inherit' });
const only = opt('only')?.split(',');
const want = (n: string) => !only || only.includes(n);
console.log(`load average ${loadavg()[0].toFixed(1)}`);
if (want('one-flow-denies')) run('one-flow-denies', oneFlowDenies(Number(opt('gb') ?? 2)));
if (want('never-torn-down')) run('never-torn-down', neverTornDown(Number(opt('built') ?? 1_000_000)));
if (want('damaged')) run('damaged', damaged(Number(opt('damaged') ?? 200_000)));
console.log(`load average ${loadavg()[0].toFixed(1)} at the end`);
