// The command line as shipped: src/cli/teardown.ts built into one JavaScript file run by the package's "bin" from
// V8's code cache (scripts/build-cli.mjs, scripts/cli-launcher.cjs), run with plain node, and `npm run analyze`
// running that build.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript build script without types
import { buildCli } from '../../scripts/build-cli.mjs';

const ROOT = join(__dirname, '..', '..');
const REFUSED = join(ROOT, 'tests', 'fixtures', 'closes', 'refused.pcap');
/** --json --packets on this capture is ~230 KB: more than a pipe holds (64 KiB). */
const BIG_OUT = join(ROOT, 'tests', 'fixtures', 'filter', 'sv__output-eve-ftp-data-input.pcap');

/** Runs `command`, its stdout a pipe read only after `delayMs` and closed after `keep` bytes (all when undefined). */
function readSlowly(command: string[], delayMs: number, keep?: number): Promise<{ status: number | null; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let n = 0;
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.pause();
    setTimeout(() => {
      p.stdout.on('data', (d: Buffer) => {
        out.push(d);
        n += d.length;
        if (keep !== undefined && n >= keep) p.stdout.destroy();
      });
      p.stdout.resume();
    }, delayMs);
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, out: Buffer.concat(out), err }));
  });
}

describe('teardown command (built)', () => {
  it('builds to one file that runs under node: `teardown analyze FILE`, `teardown FILE`, usage errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-cli-'));
    try {
      const out = (buildCli as (f: string) => string)(join(dir, 'teardown.cjs'));
      expect(readFileSync(out, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
      const run = (args: string[]) => spawnSync(process.execPath, [out, ...args], { encoding: 'utf8', timeout: 60_000 });
      const a = run(['analyze', '--json', REFUSED]);
      expect(a.status).toBe(0);
      expect(JSON.parse(a.stdout).connections[0].close.kind).toBe('refused');
      const b = run([REFUSED]);
      expect(b.status).toBe(0);
      expect(b.stdout).toMatch(/127\.0\.0\.1:40007.*refused\s+server\s+REJ Sr/);
      const c = run(['analyze', '--bogus']);
      expect(c.status).toBe(2);
      expect(c.stderr).toMatch(/usage: analyze/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes stdout whole to a slow reader (also through a pipe left non-blocking) and stops quietly when the reader goes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-cli-'));
    try {
      const cli = (buildCli as (f: string) => string)(join(dir, 'teardown.cjs'));
      const args = [cli, 'analyze', '--json', '--packets', BIG_OUT];
      const whole = spawnSync(process.execPath, args, { timeout: 60_000 });
      expect(whole.status).toBe(0);
      expect(whole.stdout.length).toBeGreaterThan(128 << 10);
      JSON.parse(whole.stdout.toString());
      // The pipe as the command gets it: blocking; its writes wait for the reader.
      const slow = await readSlowly([process.execPath, ...args], 300);
      expect([slow.status, slow.err]).toEqual([0, '']);
      expect(slow.out.equals(whole.stdout)).toBe(true);
      // A pipe another process left non-blocking (O_NONBLOCK belongs to the pipe's open file, which the command
      // inherits; here a Node parent that uses its own stdout, a pipe, after starting the command): once the pipe is
      // full a write answers EAGAIN, and the rest must still arrive, in order. The shell prints the flags the command
      // gets (octal; 04000 is O_NONBLOCK) before it runs it; the reader starts a second later.
      const shell = `sleep 0.2; f=$(sed -n 's/^flags:[[:space:]]*//p' /proc/$$/fdinfo/1); echo "$f" >&2; exec "$0" "$@"`;
      const parent = `const c = require('node:child_process').spawn('sh', ${JSON.stringify(['-c', shell, process.execPath, ...args])}, { stdio: 'inherit' });
        process.stdout; c.on('close', (s) => (process.exitCode = s));`;
      const nonBlocking = spawnSync('sh', ['-c', '"$0" -e "$1" | (sleep 1; cat)', process.execPath, parent], { timeout: 60_000 });
      expect(nonBlocking.status).toBe(0);
      expect(Number.parseInt(nonBlocking.stderr.toString(), 8) & 0o4000).toBe(0o4000);
      expect(nonBlocking.stdout.equals(whole.stdout)).toBe(true);
      // A reader that stops early (`| head -c 100`): exit status 0, nothing on stderr.
      const head = await readSlowly([process.execPath, ...args], 100, 100);
      expect([head.status, head.err]).toEqual([0, '']);
      expect(head.out.subarray(0, 100).equals(whole.stdout.subarray(0, 100))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs from the code cache the build wrote; a cache V8 rejects or of another bundle is replaced after the run, output unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-cli-'));
    try {
      const out = (buildCli as (f: string) => string)(join(dir, 'teardown.cjs'));
      const cache = join(dir, 'analyze.cache');
      const built = readFileSync(cache);
      expect(built.length).toBeGreaterThan(10_000);
      const run = (env: Record<string, string> = {}) =>
        spawnSync(process.execPath, [out, 'analyze', '--json', REFUSED], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
      const plain = run({ TEARDOWN_CODE_CACHE: 'off' });
      expect(plain.status).toBe(0);
      expect(readFileSync(cache).equals(built)).toBe(true);
      // Accepted: the run leaves the cache as it was (a rejected or missing one is written anew on exit).
      const a = run();
      expect(a.status).toBe(0);
      expect(a.stdout).toBe(plain.stdout);
      expect(readFileSync(cache).equals(built)).toBe(true);
      // Without the cache (TEARDOWN_CODE_CACHE=off) it neither reads nor writes it, whatever it holds.
      writeFileSync(cache, 'not a V8 code cache');
      const off = run({ TEARDOWN_CODE_CACHE: 'off' });
      expect(off.stdout).toBe(plain.stdout);
      expect(readFileSync(cache, 'utf8')).toBe('not a V8 code cache');
      // A damaged cache: V8 rejects it, the bundle is compiled from source, and a good cache replaces it.
      const b = run();
      expect(b.status).toBe(0);
      expect(b.stdout).toBe(plain.stdout);
      expect(statSync(cache).size).toBeGreaterThan(10_000);
      const again = readFileSync(cache);
      expect(run().stdout).toBe(plain.stdout);
      expect(readFileSync(cache).equals(again)).toBe(true);
      // V8 checks only the source's length: a cache is kept for the bundle it was made from (size and time stamp).
      const bundle = join(dir, 'analyze.js');
      const later = new Date(statSync(bundle).mtimeMs + 60_000);
      utimesSync(bundle, later, later);
      expect(run().stdout).toBe(plain.stdout);
      expect(readFileSync(cache).readDoubleLE(8)).toBe(statSync(bundle).mtimeMs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run analyze runs the built command', () => {
    const r = spawnSync('npm', ['run', '--silent', 'analyze', '--', REFUSED], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^id\s+stream\s+client\s+server/);
  });
});
