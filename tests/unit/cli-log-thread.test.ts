// The command line's log thread (src/cli/threaded-log.ts, log-thread.ts, engine/log-batches.ts, record-batch.ts): a
// firewall log decoded in a worker thread gives byte for byte the output of the single-threaded decode, in every
// output form, on the logs in the fixtures, a generated two-device log (also split into rotated files given newest
// first, given twice as overlapping exports, gzipped, with CR line ends), and a damaged log (NUL bytes, invalid
// UTF-8, a 100 KB line, lines in no shape Teardown reads: its warnings, lines and the cap on them).
// TEARDOWN_DECODE_THREAD=1 runs every log in the thread, =0 none; unset, logs of 32 MiB or more. The same for the
// table thread that writes the connection table of a log read alone (cli/threaded-table.ts; unset: 65,536 connections).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtCliIn, threadRuns } from './thread-cli';
import { generateLog } from '../../bench/log-gen';

const FIXTURES = join(__dirname, '..', 'fixtures');
const SEED = join(FIXTURES, 'seed', 'asa-syslog.log');
const LOG_ONLY = join(FIXTURES, 'asa', 'log-only-cases.log');
const FORTIGATE = join(FIXTURES, 'fortigate', 'two-points.log');

/** FortiGate traffic logs of n sessions on two devices: every action, start logs, NAT on some, a damaged line now and then. */
function fortigateLines(n: number): string[] {
  const actions = ['close', 'client-rst', 'server-rst', 'timeout', 'deny', 'accept', 'start'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const action = actions[i % actions.length];
    const t = 1741184521 + Math.floor(i / 3);
    const head = (logid: string, act: string, ns: number) =>
      `<189>date=2025-03-05 time=14:22:01 devname="fw-${i % 2 ? 'b' : 'a'}" devid="FG100F${i % 2}" eventtime=${t}${String(ns).padStart(9, '0')} tz="+0100" logid="${logid}" type="traffic" subtype="forward" level="notice" vd="root" ` +
      `srcip=10.0.${i % 200}.${(i * 7) % 250} srcport=${30000 + (i % 30000)} srcintf="port2" dstip=203.0.113.${i % 50} dstport=${[443, 80, 22][i % 3]} dstintf="port1" sessionid=${1000 + i} proto=${i % 11 ? 6 : 17} action="${act}" policyid=${i % 13 ? 7 : 0}`;
    const nat = i % 2 ? ` trandisp="snat" transip=198.51.100.${i % 9} transport=${40000 + (i % 20000)}` : ' trandisp="noop"';
    if (action === 'start') out.push(head('0000000015', 'start', i * 1000) + nat);
    const end = action === 'start' ? 'close' : action;
    out.push(head('0000000013', end, i * 1000 + 500) + nat + ` duration=${i % 90} sentbyte=${i * 3} rcvdbyte=${i * 5} sentpkt=${i % 40} rcvdpkt=${i % 30}`);
    if (i % 97 === 0) out.push(`<189>date=2025-03-05 logid="0000000013" type="traffic" action="close" srcip=10.0.0.\u0000 sessionid= duration=x`);
  }
  return out;
}

let dir = '';
let cli = '';
let gen = '';
beforeAll(() => {
  ({ dir, cli } = builtCliIn('teardown-log-thread-'));
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

  it('runs any firewall log format in the thread: a FortiGate traffic log gives the same', () => {
    const f = write('fgt.log', fortigateLines(1_500).join('\n') + '\n');
    const json = JSON.parse(same(['--json', f, FORTIGATE]));
    expect(json.inputs.map((i: { format: string }) => i.format)).toEqual(['fortigate-traffic', 'fortigate-traffic']);
    expect(json.connections.length).toBeGreaterThan(1_100);
    same(['--ndjson', f, SEED]);
  }, 120_000);

  it('writes a log\'s connection table on the table thread: the same bytes, without it if it cannot start, a closed pipe ends quietly', () => {
    // TEARDOWN_DECODE_THREAD=1: the table thread for any number of connections (cli/threaded-table.ts); =0 never.
    const table = same([gen]);
    expect(table.split('\n').filter((l) => l.startsWith('syslog-')).length).toBeGreaterThan(1000);
    // IPv6 addresses (written from their normalised text, not from an IPv4 value).
    expect(same([LOG_ONLY])).toMatch(/^syslog-\d+ +- +\[[0-9a-f:]+\]:\d+/m);
    const thread = join(dir, 'table-thread.mjs');
    const kept = readFileSync(thread);
    try {
      writeFileSync(thread, 'throw new Error("no table here");\n');
      const r = run('1', [gen]);
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout === table).toBe(true);
    } finally {
      writeFileSync(thread, kept);
    }
    const head = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cli}" analyze "${gen}" | head -c 100`], {
      encoding: 'utf8', env: { ...process.env, TEARDOWN_DECODE_THREAD: '1' },
    });
    expect([head.status, head.stderr, head.stdout]).toEqual([0, '', table.slice(0, 100)]);
  }, 120_000);

  it('runs a log in the thread when asked (a broken thread file is reported) and small logs on one thread by default', () => {
    const thread = join(dir, 'log-thread.mjs');
    const kept = readFileSync(thread);
    try {
      writeFileSync(thread, 'throw new Error("no decoder here");\n');
      const r = run('1', ['--json', SEED]);
      const json = JSON.parse(r.stdout);
      expect(json.inputs[0].errors[0]).toMatchObject({ file: SEED, message: 'could not read the input: no decoder here' });
      // Any firewall log format goes to the thread, not only ASA syslog.
      expect(JSON.parse(run('1', ['--json', FORTIGATE]).stdout).inputs[0]).toMatchObject({ format: 'fortigate-traffic', errors: [{ message: 'could not read the input: no decoder here' }] });
      const plain = run(undefined, ['--json', SEED]); // below the size the thread starts at
      expect(plain.stdout).toMatch(/"kind":"log-only"|"source":"syslog"/);
      expect(plain.stdout).not.toMatch(/could not read the input/);
      expect(run('0', ['--json', SEED]).stdout).toBe(plain.stdout);
    } finally {
      writeFileSync(thread, kept);
    }
  });
});
