// Text inputs are judged on a sample spread over the file (decode/text-sample.ts) and read whatever their
// encoding and line ends: a central /var/log/syslog that opens with other daemons' lines, a log truncated while
// written (a run of NUL bytes first), UTF-16 with and without a BOM, CR-only line ends. Each keeps the story:
// Built and Teardown paired, the 106015 joined, the other lines counted and never a reason to refuse the file.
import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../src/decode/index';
import { createBytesSource } from '../../src/lib/byte-source';
import { createProblemLog } from '../../src/model/problems';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { expectStory, STORY } from './syslog-story';

const storyLines = STORY.map(([t, m]) => `Mar  5 ${t.slice(11)} asa-edge-01 ${m}`);
const others = (n: number, hour = '11') =>
  Array.from({ length: n }, (_, i) => {
    const s = String(i % 60).padStart(2, '0');
    return i % 3 === 0
      ? `Mar  5 ${hour}:00:${s} bastion sshd[${1000 + i}]: Accepted publickey for deploy from 192.0.2.${i % 250} port ${40000 + i} ssh2: ED25519 SHA256:abc${i}`
      : i % 3 === 1
        ? `Mar  5 ${hour}:00:${s} web-03 CRON[${2000 + i}]: (root) CMD (run-parts /etc/cron.hourly)`
        : `Mar  5 ${hour}:00:${s} db-01 kernel: [${i}.000000] nf_conntrack: table full, dropping packet`;
  });

async function analyzeBytes(name: string, bytes: Uint8Array) {
  const s = await analyzeSources([createBytesSource(name, bytes)], { year: 2024 });
  return { input: s.inputs[0], connections: s.reports.toArray() };
}
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('mixed syslog files', () => {
  it('other daemons and hosts first (40 sshd lines and more): read, the others counted', async () => {
    const text = [...others(45), storyLines[0], ...others(5), storyLines[1], storyLines[2], ...others(3)].join('\n') + '\n';
    const { input, connections } = await analyzeBytes('syslog', utf8(text));
    expect(input).toMatchObject({ format: 'asa-syslog', errors: [], warnings: [], firewallEvents: 3 });
    expect(input.skipped['no firewall tag']).toBe(53);
    expectStory(connections, 'asa-edge-01');
  });

  it('a large file whose first 64 KiB hold no firewall line at all is still read', async () => {
    const text = [...others(3000), ...storyLines, ...others(2000, '12')].join('\n') + '\n';
    expect(text.indexOf('%ASA-')).toBeGreaterThan(64 * 1024);
    const { input, connections } = await analyzeBytes('big-syslog', utf8(text));
    expect(input).toMatchObject({ format: 'asa-syslog', errors: [] });
    expectStory(connections, 'asa-edge-01');
  });

  it('a syslog file without any firewall line is read and says so, naming the file', async () => {
    const problems = createProblemLog('auth.log');
    const r = await decodeInput(createBytesSource('auth.log', utf8(others(100).join('\n'))), 0, { segments: { segment() {} } }, { problems });
    expect(r.format).toBe('asa-syslog');
    expect(r.warnings).toEqual([{ file: 'auth.log', line: 1, message: 'no %ASA-/%FTD- message found in this input' }]);
  });

  it('what is not text is still refused with the bytes it starts with', async () => {
    const problems = createProblemLog('x.bin');
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff);
    const r = await decodeInput(createBytesSource('x.bin', bytes), 0, { segments: { segment() {} } }, { problems });
    expect(r.errors[0].message).toMatch(/^not a capture or log Teardown can read: starts with bytes/);
  });
});

describe('encodings and line ends', () => {
  it('a run of NUL bytes first (logrotate copytruncate) does not refuse the file; it is skipped and said', async () => {
    const body = utf8([...others(10), ...storyLines].join('\n') + '\n');
    const bytes = new Uint8Array(200_000 + body.length);
    bytes.set(body, 200_000);
    const { input, connections } = await analyzeBytes('copytruncate.log', bytes);
    expect(input.errors).toEqual([]);
    expect(input.warnings.map((w) => w.message)).toEqual([expect.stringContaining('200000 NUL bytes skipped')]);
    expectStory(connections, 'asa-edge-01');
  });

  it('UTF-16 little-endian with a BOM, and big-endian without one, are decoded', async () => {
    const text = [...others(5), ...storyLines].join('\r\n') + '\r\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    const be = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      le[2 + 2 * i] = c & 0xff;
      le[3 + 2 * i] = c >> 8;
      be[2 * i] = c >> 8;
      be[2 * i + 1] = c & 0xff;
    }
    for (const [name, bytes] of [['utf16le.log', le], ['utf16be.log', be]] as const) {
      const { input, connections } = await analyzeBytes(name, bytes);
      expect(input.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^UTF-16 text \((little|big)-endian\): decoded/)]);
      expectStory(connections, 'asa-edge-01');
    }
  });

  it('CR-only line ends split lines: the Teardown is not merged into the Built line and lost', async () => {
    const { input, connections } = await analyzeBytes('cr.log', utf8([...others(4), ...storyLines].join('\r') + '\r'));
    expect(input).toMatchObject({ firewallEvents: 3, packets: 7 });
    expect(input.warnings.map((w) => w.message)).toEqual(['lines end in CR alone (no LF): read as line ends']);
    expectStory(connections, 'asa-edge-01');
  });
});
