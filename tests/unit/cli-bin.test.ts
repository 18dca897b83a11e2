// The command line as shipped: src/cli/teardown.ts built into one JavaScript file (scripts/build-cli.mjs, the
// package's "bin"), run with plain node, and `npm run analyze` running that build.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
      const out = (buildCli as (f: string) => string)(join(dir, 'teardown.mjs'));
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

  it('npm run analyze runs the built command', () => {
    const r = spawnSync('npm', ['run', '--silent', 'analyze', '--', REFUSED], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^id\s+stream\s+client\s+server/);
  });
});
