// The command line's log thread (src/cli/threaded-log.ts, log-thread.ts, engine/log-batches.ts, record-batch.ts): a
// firewall log decoded in a worker thread gives byte for byte the output of the single-threaded decode, in every
// output form, on the logs in the fixtures, a generated two-device log (also split into rotated files given newest
// first, given twice as overlapping exports, gzipped, with CR line ends), and a damaged log (NUL bytes, invalid
// UTF-8, a 100 KB line, lines in no shape Teardown reads: its warnings, lines and the cap on them).
// TEARDOWN_DECODE_THREAD=1 runs every log in the thread, =0 none; unset, logs of 32 MiB or more.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript build script without types
import { buildCli } from '../../scripts/build-cli.mjs';
import { threadRuns } from './thread-cli';
import { generateLog } from '../../bench/log-gen';

const FIXTURES = join(__dirname, '..', 'fixtures');
const SEED = join(FIXTURES, 'seed', 'asa-syslog.log');
const LOG_ONLY = join(FIXTURES, 'asa', 'log-only-cases.log');

let dir = '';
let cli = '';
let gen = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teardown-log-thread-'));
  cli = (buildCli as (f: string) => string)(join(dir, 'teardown.cjs'));
  gen = join(dir, 'gen.log');
  generateLog(gen, { lines: 6_000, seed: 7 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { run, same } = threadRuns(() => cli);

function write(name: string, data: string | Buffer): string {
  const f = join(dir, name);
  writeFileSync(f, data);
  return f;
}

describe('log thread (command line)', () => {
  it('gives the same table, JSON and NDJSON on the fixture logs and a generated log', () => {
    same([SEED]);
    same(['--ndjson', LOG_ONLY]);
    same([gen]);
    same(['--ndjson', gen]);
    const json = JSON.parse(same(['--json', gen, SEED, LOG_ONLY]));
    expect(json.inputs.map((i: { format: string }) => i.format)).toEqual(['asa-syslog', 'asa-syslog', 'asa-syslog']);
    expect(json.connections.length).toBeGreaterThan(1000);
    expect(json.summary.firewall.denies106015).toBeGreaterThan(100);
  }, 120_000);

  it('gives the same on rotated files given newest first, overlapping exports, gzip and CR line ends', () => {
    const text = readFileSync(gen, 'latin1');
    const lines = text.split('\n');
    const half = Math.floor(lines.length / 2);
    const older = write('asa.log.1', lines.slice(0, half + 50).join('\n') + '\n'); // 50 lines in both (folded)
    const newer = write('asa.log', lines.slice(half).join('\n'));
    const gz = write('gen.log.gz', gzipSync(text));
    const cr = write('cr.log', text.replace(/\n/g, '\r'));
    const json = JSON.parse(same(['--json', newer, older, gen]));
    expect(json.summary.firewall.duplicateLines).toBeGreaterThan(6_000 / 2);
    same(['--ndjson', newer, older]);
    same([newer, older, SEED]);
    const z = JSON.parse(same(['--json', gz]));
    expect(z.inputs[0].gzip).toBe(true);
    same(['--json', cr]);
  }, 120_000);

  it('gives the same problems, with their lines and their cap, on a damaged log', () => {
    const head = readFileSync(SEED, 'latin1').split('\n').filter(Boolean);
    const bad: string[] = [...head];
    for (let i = 0; i < 260; i++) {
      bad.push(`<166>Jun 20 2018 01:00:${String(i % 60).padStart(2, '0')} fw-d : %ASA-6-302013: Built inbound TCP connection ${i} for nowhere`);
      if (i % 3 === 0) bad.push(`<166>Jun 20 2018 01:01:00 fw-d : %ASA-6-106015: Deny TCP (no connection) from 10.0.0.${i % 250}/1 to 10.1.1.1/\u0000443 flags RST  on interface in`);
      if (i % 5 === 0) bad.push(`<166>Jun 20 2018 01:02:00 fw-\u00e9 : %ASA-6-302014: Teardown TCP connection ${i} for a:10.0.0.1/1 to b:10.0.0.2/2 duration 0:00:01 bytes 1 TCP FINs`);
    }
    bad.push(`<166>Jun 20 2018 01:03:00 fw-d : %ASA-6-106023: ${'x'.repeat(100_000)}`);
    const buf = Buffer.concat([Buffer.from(bad.join('\n'), 'latin1'), Buffer.from([0x0a, 0xff, 0xfe, 0x25, 0x0a]), Buffer.from(head.join('\n'), 'latin1')]);
    const f = write('damaged.log', buf);
    const json = JSON.parse(same(['--json', f]));
    expect(json.inputs[0].warnings.length).toBeGreaterThan(20);
    expect(JSON.stringify(json.inputs[0].warnings)).toMatch(/"line":\d+/);
    same([f]);
    same(['--ndjson', f, SEED]);
  }, 120_000);

  it('runs a log in the thread when asked (a broken thread file is reported) and small logs on one thread by default', () => {
    const thread = join(dir, 'log-thread.mjs');
    const kept = readFileSync(thread);
    try {
      writeFileSync(thread, 'throw new Error("no decoder here");\n');
      const r = run('1', ['--json', SEED]);
      const json = JSON.parse(r.stdout);
      expect(json.inputs[0].errors[0]).toMatchObject({ file: SEED, message: 'could not read the input: no decoder here' });
      const plain = run(undefined, ['--json', SEED]); // below the size the thread starts at
      expect(plain.stdout).toMatch(/"kind":"log-only"|"source":"syslog"/);
      expect(plain.stdout).not.toMatch(/could not read the input/);
      expect(run('0', ['--json', SEED]).stdout).toBe(plain.stdout);
    } finally {
      writeFileSync(thread, kept);
    }
  });
});
