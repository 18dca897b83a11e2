// The command line as shipped: src/cli/teardown.ts built into one JavaScript file run by the package's "bin" from
// V8's code cache (scripts/build-cli.mjs, scripts/cli-launcher.cjs), run with plain node, and `npm run analyze`
// running that build.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript build script without types
import { buildCli } from '../../scripts/build-cli.mjs';

const ROOT = join(__dirname, '..', '..');
const REFUSED = join(ROOT, 'tests', 'fixtures', 'closes', 'refused.pcap');

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
