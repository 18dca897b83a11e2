// The deny table laid out by two threads (src/cli/threaded-table.ts, table-thread.ts, table-widths.ts): the blocks
// each thread lays out from the widths it knows, written in order by the main thread (which lays out again a block
// whose widths grew before it), give byte for byte the one-thread table: on a generated log whose deny cells grow
// wider as it goes (device names, not all ASCII, one an IPv4 address), a log beside a capture, and blocks of one row,
// where the widths a thread knows are often short of the true ones (cli-table-blocks.test.ts checks the blocks laid
// out again without a race). TEARDOWN_TABLE_BLOCK sets the rows per block
// (both ways alike), TEARDOWN_TABLE_THREAD=tell says how many blocks the thread laid out and how many were laid out
// again; TEARDOWN_DECODE_THREAD=1 runs the thread at any size, =0 never.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLog } from '../../bench/log-gen';
import { builtCliIn, stoppingThread, withThreadFile } from './thread-cli';

const SEED = join(__dirname, '..', 'fixtures', 'seed');

let dir = '';
let cli = '';
let gen = '';
beforeAll(() => {
  ({ dir, cli } = builtCliIn('teardown-table-thread-'));
  const plain = join(dir, 'plain.log');
  generateLog(plain, { lines: 8_000, seed: 5 });
  // Deny lines get devices of their own (no connection is paired by them): longer names further on (the device
  // column grows in late blocks), names that are not ASCII, and an IPv4 address as a name.
  let denies = 0;
  const lines = readFileSync(plain, 'utf8').split('\n').map((l) => {
    if (!/%(ASA|FTD)-\d-1060(15|23)/.test(l)) return l;
    const k = denies++;
    const dev = k % 97 === 5 ? 'fw-\u00e9t\u00e9' : k % 89 === 3 ? '192.0.2.7' : `fw-${'x'.repeat(Math.floor(k / 100))}`;
    return l.replace(/ fw-[ab] /, ` ${dev} `);
  });
  expect(denies).toBeGreaterThan(1000);
  gen = join(dir, 'gen.log');
  writeFileSync(gen, lines.join('\n'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(thread: '0' | '1', block: string, args: string[]) {
  const env = { ...process.env, TEARDOWN_DECODE_THREAD: thread, TEARDOWN_TABLE_BLOCK: block, TEARDOWN_TABLE_THREAD: 'tell' };
  const r = spawnSync(process.execPath, [cli, 'analyze', ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TOLD = /^analyze: the table thread laid out (\d+) of (\d+) deny blocks, (\d+) laid out again\n/m;

/** The two-thread table is the one-thread table; returns it and what the thread told. */
function same(block: string, args: string[]): { stdout: string; thread: number; blocks: number; again: number } {
  const one = run('0', block, args);
  const two = run('1', block, args);
  expect(one.stderr).toBe('');
  expect(two.status).toBe(one.status);
  expect(two.stdout === one.stdout).toBe(true); // (not toBe: a diff of megabytes helps nobody)
  const told = TOLD.exec(two.stderr);
  expect(two.stderr.replace(TOLD, '')).toBe('');
  return { stdout: one.stdout, thread: Number(told?.[1] ?? -1), blocks: Number(told?.[2] ?? -1), again: Number(told?.[3] ?? -1) };
}

describe('deny table on two threads (command line)', () => {
  it('gives the one-thread table of a log whose deny cells grow, both threads laying out blocks', () => {
    const r = same('20', [gen]);
    expect(r.blocks).toBeGreaterThan(50);
    expect(r.thread).toBeGreaterThan(0);
    expect(r.thread).toBeLessThan(r.blocks);
    const denies = r.stdout.slice(r.stdout.indexOf('firewall denies, drops and ICMP errors:'));
    expect(denies).toMatch(/^\S+ +fw-\u00e9t\u00e9 +/m);
    expect(denies).toMatch(/^\S+ +192\.0\.2\.7 +/m);
    expect(denies).toMatch(/^\S+ +fw-x{10,} +/m);
    // The default block size on one thread gives another layout, but the same rows.
    const plain = run('0', '', [gen]).stdout;
    expect(plain.split('\n').map((l) => l.replace(/ +/g, ' '))).toEqual(r.stdout.split('\n').map((l) => l.replace(/ +/g, ' ')));
  }, 120_000);

  it('gives the one-thread table in blocks of one row (the widths a thread knows are often short of the true ones)', () => {
    // Which blocks are laid out again is a race (cli-table-blocks.test.ts lays some out again for sure).
    const r = same('1', [gen]);
    expect(r.again).toBeGreaterThanOrEqual(0);
    expect(r.thread).toBeGreaterThan(0);
  }, 120_000);

  it('gives the one-thread table of a log beside a capture', () => {
    const r = same('1', [join(SEED, 'inside-capture.txt'), join(SEED, 'asa-syslog.log')]);
    expect(r.blocks).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^\S+ +\S+ +%?\S* *106015/m);
  }, 120_000);

  it('lays out every block on the main thread when the thread stops midway', () => {
    // A thread that takes two blocks of the deny table and stops without laying them out. Beside a capture: the
    // connection table is the main thread's, the thread gets the deny table alone.
    const r = withThreadFile(join(dir, 'table-thread.mjs'), stoppingThread('m.job.setup.ctrl'), () => same('20', [join(SEED, 'inside-capture.txt'), gen]));
    expect(r.thread).toBe(0);
    expect(r.blocks).toBeGreaterThan(50);
  }, 120_000);

  it('ends quietly when the reader of the deny table goes', () => {
    const full = run('0', '20', [gen]).stdout;
    const cut = Buffer.byteLength(full.slice(0, full.indexOf('firewall denies'))) + 5000;
    const env = { ...process.env, TEARDOWN_DECODE_THREAD: '1', TEARDOWN_TABLE_BLOCK: '20' };
    const head = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cli}" analyze "${gen}" | head -c ${cut}`], { encoding: 'utf8', env });
    expect([head.status, head.stderr]).toEqual([0, '']);
    expect(head.stdout === Buffer.from(full).subarray(0, cut).toString()).toBe(true);
  }, 120_000);
});
