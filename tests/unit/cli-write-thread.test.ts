// The command line's writer thread (src/cli/threaded-write.ts, write-thread.ts, engine/record-snapshot.ts): the JSON
// records of a firewall log's log-only connections and denies written in blocks by two threads give byte for byte
// the one-thread output, with --json and --ndjson, on a generated log (denies joined and not, recurring flows),
// logs beside captures (packet connections first, then the log-only ones), overlapping exports (duplicate lines
// folded) and a damaged log (its problems). TEARDOWN_WRITE_THREAD=tell runs the thread at any size and says how many
// blocks it wrote; TEARDOWN_WRITE_BLOCK makes blocks small, so that both threads write some of a small log.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLog } from '../../bench/log-gen';
import { builtCliIn, stoppingThread, withThreadFile } from './thread-cli';

const FIXTURES = join(__dirname, '..', 'fixtures');
const SEED = join(FIXTURES, 'seed');
const LOG_ONLY = join(FIXTURES, 'asa', 'log-only-cases.log');
const DENIES = join(FIXTURES, 'asa', 'deny-table-cases.log');

let dir = '';
let cli = '';
let gen = '';
beforeAll(() => {
  ({ dir, cli } = builtCliIn('teardown-write-thread-'));
  gen = join(dir, 'gen.log');
  generateLog(gen, { lines: 8_000, seed: 11 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(thread: string, args: string[], block = '5') {
  const env = { ...process.env, TEARDOWN_WRITE_THREAD: thread, TEARDOWN_WRITE_BLOCK: block };
  const r = spawnSync(process.execPath, [cli, 'analyze', ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The two-thread run gives the one-thread run's output; returns it and the blocks the thread wrote per run. */
function same(args: string[], block = '5'): { stdout: string; wrote: { of: number; blocks: number }[] } {
  const one = run('0', args, block);
  const two = run('tell', args, block);
  expect(two.status).toBe(one.status);
  expect(two.stdout === one.stdout).toBe(true); // (not toBe: a diff of megabytes helps nobody)
  const told = [...two.stderr.matchAll(/^analyze: the writer thread wrote (\d+) of (\d+) blocks of \w+\n/gm)];
  expect(two.stderr.replace(/^analyze: the writer thread wrote .*\n/gm, '')).toBe(one.stderr);
  return { stdout: one.stdout, wrote: told.map((m) => ({ of: Number(m[1]), blocks: Number(m[2]) })) };
}

/** Both threads wrote some of each run's blocks. */
function shared(wrote: { of: number; blocks: number }[], runs: number): void {
  expect(wrote.length).toBe(runs);
  for (const w of wrote) {
    expect(w.blocks).toBeGreaterThan(10);
    expect(w.of).toBeGreaterThan(0);
    expect(w.of).toBeLessThan(w.blocks);
  }
}

describe('writer thread (command line)', () => {
  it('gives the same JSON and NDJSON on a generated log, both threads writing (connections, then denies)', () => {
    const json = same(['--json', gen]);
    shared(json.wrote, 2);
    const doc = JSON.parse(json.stdout);
    expect(doc.connections.length).toBeGreaterThan(1000);
    expect(doc.denies.some((d: { connection: string | null }) => d.connection !== null)).toBe(true);
    expect(doc.denies.some((d: { connection: string | null }) => d.connection === null)).toBe(true);
    expect(doc.connections.some((c: { firewall: { denies: unknown[] } }) => c.firewall.denies.length > 0)).toBe(true);
    shared(same(['--ndjson', gen]).wrote, 2);
    // Blocks of one record, and blocks bigger than the whole log (one block: the first thread to take it writes it).
    same(['--ndjson', gen], '1');
    same(['--json', gen], '100000');
  }, 120_000);

  it('gives the same when the thread\'s blocks outgrow its shared slots (each block sent in a buffer of its own)', () => {
    const big = join(dir, 'big.log');
    generateLog(big, { lines: 40_000, seed: 12 });
    // Three blocks of equal size, ~1.2 KB of NDJSON per connection: every block is bigger than a slot (1.5 MiB), so
    // each one the thread writes goes back in its own buffer. Which blocks it takes is a race: run until it took one.
    const count = (out: string) => out.split('\n').filter((l) => l.startsWith('{"record":"connection"'));
    const n = count(run('0', ['--ndjson', big]).stdout).length;
    const block = Math.ceil(n / 3);
    let wrote = 0;
    for (let k = 0; k < 4 && !wrote; k++) {
      const r = same(['--ndjson', big], String(block));
      const connections = count(r.stdout);
      expect(r.wrote[0].blocks).toBe(3);
      // The smallest block (the last) is bigger than a slot too.
      const last = connections.slice(2 * block).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
      expect(last).toBeGreaterThan(3 << 19);
      wrote = r.wrote[0].of;
    }
    expect(wrote).toBeGreaterThan(0);
  }, 120_000);

  it('gives the same beside captures (packet connections first), on overlapping exports and on the fixture logs', () => {
    const withCaptures = ['--json', join(SEED, 'inside-capture.txt'), join(SEED, 'outside-capture.txt'), join(SEED, 'asa-syslog.log'), gen];
    const doc = JSON.parse(same(withCaptures).stdout);
    expect(doc.connections.some((c: { source: string }) => c.source !== 'syslog')).toBe(true);
    same(['--ndjson', ...withCaptures.slice(1)]);
    const lines = readFileSync(gen, 'latin1').split('\n');
    const half = Math.floor(lines.length / 2);
    const older = join(dir, 'asa.log.1');
    writeFileSync(older, lines.slice(0, half + 80).join('\n') + '\n'); // 80 lines in both (folded)
    const newer = join(dir, 'asa.log');
    writeFileSync(newer, lines.slice(half).join('\n'));
    expect(JSON.parse(same(['--json', newer, older]).stdout).summary.firewall.duplicateLines).toBeGreaterThan(0);
    same(['--json', LOG_ONLY, DENIES], '1');
    same(['--ndjson', LOG_ONLY, DENIES], '2');
  }, 120_000);

  it('gives the same on a damaged log (its problems on stderr and in the document)', () => {
    const text = readFileSync(gen, 'latin1').split('\n');
    for (let i = 50; i < text.length; i += 97) text[i] = `${text[i].slice(0, 40)}\u0000 ${'x'.repeat(i % 300)}`;
    const f = join(dir, 'damaged.log');
    writeFileSync(f, Buffer.concat([Buffer.from(text.join('\n'), 'latin1'), Buffer.from([0x0a, 0xff, 0xfe, 0x0a])]));
    const doc = JSON.parse(same(['--json', f]).stdout);
    expect(doc.inputs[0].warnings.length).toBeGreaterThan(0);
    same(['--ndjson', f]);
  }, 120_000);

  it('writes every block on the main thread when the writer thread stops midway or never starts', () => {
    const thread = join(dir, 'write-thread.mjs');
    // A thread that takes two blocks of each run and stops without writing them.
    withThreadFile(thread, stoppingThread('m.setup.ctrl'), () => {
      const one = run('0', ['--json', gen]);
      const two = run('tell', ['--json', gen]);
      expect(two.stdout === one.stdout).toBe(true);
      expect(two.stderr).toMatch(/the writer thread wrote 0 of \d+ blocks of connections/);
    });
    withThreadFile(thread, 'throw new Error("no writer here");\n', () => {
      const three = run('tell', ['--ndjson', gen]);
      expect(three.stdout === run('0', ['--ndjson', gen]).stdout).toBe(true);
      expect(three.status).toBe(0);
    });
  }, 120_000);
});
