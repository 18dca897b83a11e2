// The command line's two-thread decode (src/cli/threaded-decode.ts, decode-thread.ts, segment-batch.ts): a capture
// read and dissected in a worker thread gives byte for byte the output of the single-threaded decode, on every
// capture in the fixtures (every link type, tunnel, fragment, TLS and pcapng case there), a damaged and a truncated
// capture (their problems and offsets), and every output form. TEARDOWN_DECODE_THREAD=1 turns the thread on; unset
// or =0 it stays off (one thread is the default: the thread did not pay, README "Command line").
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript build script without types
import { buildCli } from '../../scripts/build-cli.mjs';
import { threadRuns } from './thread-cli';

const FIXTURES = join(__dirname, '..', 'fixtures');

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)$/.test(e)) out.push(p);
  }
  return out;
}

let dir = '';
let cli = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teardown-thread-'));
  cli = (buildCli as (f: string) => string)(join(dir, 'teardown.cjs'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { run, same } = threadRuns(() => cli);

describe('two-thread decode (command line)', () => {
  const all = captures(FIXTURES);

  it('gives the same JSON (with packets and options), table and NDJSON on every capture in the fixtures', () => {
    expect(all.length).toBeGreaterThan(80);
    const json = JSON.parse(same(['--json', '--packets', '--options', ...all]));
    expect(json.inputs.length).toBe(all.length);
    expect(json.connections.length).toBeGreaterThan(100);
    same(['--explain', ...all]);
    same(['--ndjson', ...all]);
  }, 120_000);

  it('gives the same problems, with their byte offsets, for a damaged and a truncated capture', () => {
    const good = readFileSync(join(FIXTURES, 'closes', 'clean-client-first.pcap'));
    const truncated = join(dir, 'truncated.pcap');
    writeFileSync(truncated, good.subarray(0, good.length - 7));
    const damaged = join(dir, 'damaged.pcap');
    const bad = Buffer.from(good);
    // The second record's caplen (at 24 + 16 + first caplen + 8) says 1 GB: the file is read up to there.
    const firstCaplen = bad.readUInt32LE(24 + 8);
    bad.writeUInt32LE(1 << 30, 24 + 16 + firstCaplen + 8);
    writeFileSync(damaged, bad);
    const json = JSON.parse(same(['--json', truncated, damaged]));
    expect(json.inputs[0].warnings[0].message).toMatch(/file ends inside record/);
    expect(json.inputs[1].errors[0].message).toMatch(/says 1073741824 captured bytes/);
    expect(json.inputs[1].errors[0].offset).toBe(24 + 16 + firstCaplen);
  });

  it('runs the thread only when asked (a broken thread file is reported, naming the file, and the run goes on)', () => {
    const thread = join(dir, 'decode-thread.mjs');
    const kept = readFileSync(thread);
    try {
      writeFileSync(thread, 'throw new Error("no decoder here");\n');
      const f = join(FIXTURES, 'closes', 'refused.pcap');
      const r = run('1', ['--json', f]);
      const json = JSON.parse(r.stdout);
      expect(json.inputs[0].errors[0]).toMatchObject({ file: f, message: 'could not read the input: no decoder here' });
      expect(run('0', ['--json', f]).stdout).toMatch(/"kind":"refused"/);
      const plain = run(undefined, ['--json', f]); // the default never starts the thread
      expect(plain.stdout).toMatch(/"kind":"refused"/);
      expect(plain.stdout).not.toMatch(/could not read the input/);
    } finally {
      writeFileSync(thread, kept);
    }
  });
});
