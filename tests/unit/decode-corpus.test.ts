/**
 * Truth tests: every TCP packet of the fixture captures, decoded by Teardown, against tshark
 * 4.0.17's reading (tests/fixtures/captures/reference/*.tsv, see PROVENANCE.md): frame number,
 * addresses, ports, flags, raw seq/ack, tcp.len, window. Plus every frame's timestamp and length
 * against tshark (frames/*.tsv), and a sweep over ../shared/corpus when it exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRows, decodeFile, readReference, type Difference } from './decode-corpus-helpers';
import { createBytesSource } from '../../src/lib/byte-source';
import { PcapFramer } from '../../src/decode/pcap';
import { PcapngFramer } from '../../src/decode/pcapng';
import { readRecords } from '../../src/lib/record-stream';
import { createProblemLog } from '../../src/model/problems';
import { pcapMagic } from '../../src/decode/pcap';

const root = resolve(__dirname, '../..');
const fixtures = join(root, 'tests/fixtures/captures');
const corpus = resolve(root, '../shared/corpus');

/**
 * Where we deliberately differ from tshark, by capture, with the one-line reason. A capture listed
 * here may differ only in the listed frames (frame numbers as tshark counts them).
 */
const KNOWN: Record<string, { frames: number[]; why: string }> = {
  'ppp__solaris.snoop': { frames: [], why: 'Solaris snoop is not a format Teardown reads (the negative case)' },
  'sv__firewall-tcp-session-decode-malformed-ipv4-input.pcap': { frames: [8], why: 'malformed IPv4 options: tshark stops at IP, we do not validate options' },
  'tcpdump__of13_ericsson.pcapng': { frames: [], why: 'OpenFlow packet-in carries whole frames; tshark reports their inner TCP, we the outer' },
  'tcpdump__tcp_header_heapoverflow.pcap': { frames: [1], why: 'capture cut the TCP header after the ports: tshark lists the ports, we need 20 bytes' },
  'tcpdump__bigtcp-ipv6.pcap': { frames: [1], why: 'BIG TCP IPv6 (payload length 0, no jumbo option): tshark 4.0 reads an empty payload, we the captured length' },
};

function explained(name: string, diffs: Difference[]): { unexplained: Difference[]; why?: string } {
  const k = KNOWN[name];
  if (!k) return { unexplained: diffs };
  if (k.frames.length === 0) return { unexplained: [], why: k.why };
  return { unexplained: diffs.filter((d) => !k.frames.includes(d.frame)), why: k.why };
}

function captures(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng|cap|gz|snoop)$/.test(f))
    .sort();
}

describe('TCP packets against tshark (fixtures)', () => {
  const names = captures(fixtures).filter((f) => existsSync(join(fixtures, 'reference', `${f}.tsv`)));
  let total = 0;
  it.each(names)('%s', async (name) => {
    const { rows, report } = await decodeFile(join(fixtures, name));
    const ref = readReference(join(fixtures, 'reference', `${name}.tsv`));
    const { compared, diffs } = compareRows(rows, ref);
    const { unexplained } = explained(name, diffs);
    expect(unexplained).toEqual([]);
    total += compared;
    if (!KNOWN[name]) {
      expect(compared).toBe(ref.length);
      expect(report.tcpPackets).toBe(ref.length);
    }
  });
  it('compared a meaningful number of packets', () => {
    expect(names.length).toBeGreaterThanOrEqual(35);
    expect(total).toBeGreaterThan(800);
  });
});

describe('decoder reports', () => {
  it('reads gzip as a stream and says so', async () => {
    const { report } = await decodeFile(join(fixtures, 'zeek__http-qinq-0.pcap.gz'));
    expect(report.gzip).toBe(true);
    expect(report.format).toBe('pcap');
    expect(report.bytes).toBe(readFileSync(join(fixtures, 'zeek__http-qinq-0.pcap')).length);
  });
  it('refuses snoop by content, naming the file and the first bytes', async () => {
    const { rows, report } = await decodeFile(join(fixtures, 'ppp__solaris.snoop'), 'solaris.pcap');
    expect(rows).toEqual([]);
    expect(report.format).toBe('unknown');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].file).toBe('solaris.pcap');
    expect(report.errors[0].message).toMatch(/^not a capture or log Teardown can read: starts with bytes 73 6e 6f 6f 70 00 00 00/);
  });
  it('stops at an absurd record length like tshark, keeping what came before', async () => {
    const { report } = await decodeFile(join(fixtures, 'sv__bug-1450-04-tls_DER-incomplete-header.pcap'));
    const frames = readFileSync(join(fixtures, 'frames/sv__bug-1450-04-tls_DER-incomplete-header.pcap.tsv'), 'utf8').trim().split('\n');
    expect(report.packets).toBe(frames.length);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].offset).toBe(5035);
    expect(report.errors[0].message).toContain('4325376');
  });
  it('counts frames without TCP by reason and lists link types', async () => {
    const { report } = await decodeFile(join(fixtures, 'ppp__pcapng-example.pcapng'));
    expect(report.linkTypes).toEqual([1, 113]);
    const skipped = Object.values(report.skipped).reduce((a, b) => a + b, 0);
    expect(report.tcpPackets + skipped).toBe(report.packets);
    expect(report.packets).toBe(159);
  });
});

/** Every frame's time and lengths, by the framers alone, against tshark's frame.* fields. */
describe('frame timestamps and lengths against tshark', () => {
  const names = captures(fixtures).filter((f) => existsSync(join(fixtures, 'frames', `${f}.tsv`)) && !f.endsWith('.gz'));
  it.each(names)('%s', async (name) => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, name)));
    const got: { frame: number; timeUs: number; wire: number; cap: number }[] = [];
    const target = {
      timeUs: 0,
      recordOffset: 0,
      dissect(_lt: number, _b: Uint8Array, off: number, end: number, wire: number, frame: number) {
        got.push({ frame, timeUs: target.timeUs, wire, cap: end - off });
      },
    };
    const problems = createProblemLog(name);
    const framer = pcapMagic(bytes) ? new PcapFramer(target, problems, () => {}) : new PcapngFramer(target, problems, () => {});
    await readRecords(createBytesSource(name, bytes), framer, { sliceSize: 1000 });
    const want = readFileSync(join(fixtures, 'frames', `${name}.tsv`), 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
    // Damaged file: tshark guesses a modified-pcap record format and reads one more (bogus) record;
    // we read standard records and stop at the bad length. Compare the frames before it.
    if (name === 'sv__bug-6875-01-fuzz.pcap') want.length = 1;
    // pcapng custom blocks are frames to tshark (no time, no interface) but hold no packet.
    const packets = want.filter(([, epoch, , , iface]) => !(name.endsWith('.pcapng') && epoch === '' && (iface ?? '') === ''));
    expect(got.length).toBe(packets.length);
    expect(framer.frames).toBe(want.length);
    for (let i = 0; i < packets.length; i++) {
      const [num, epoch, len, caplen] = packets[i];
      expect(got[i].frame).toBe(+num);
      expect(got[i].wire).toBe(+len);
      expect(got[i].cap).toBe(+caplen);
      if (epoch === '') {
        expect(got[i].timeUs).toBe(0); // SPB: no timestamp
        continue;
      }
      const [sec, frac = ''] = epoch.split('.');
      const wantUs = +sec * 1e6 + +(frac.padEnd(9, '0').slice(0, 9)) / 1000;
      // float64 microseconds: exact to the nanosecond digit only while below 2^53 / 1000.
      expect(Math.abs(got[i].timeUs - wantUs)).toBeLessThanOrEqual(Math.max(0.5, Math.abs(wantUs) * 2 ** -50));
    }
  });
});

const KNOWN_SWEEP_FORMATS = new Set(['ppp__solaris.snoop']);

describe('sweep over ../shared/corpus', () => {
  const present = existsSync(join(corpus, 'pcap')) && existsSync(join(corpus, 'reference'));
  if (!present) {
    it('is skipped: ../shared/corpus does not exist', () => {
      console.log('decode-corpus: ../shared/corpus does not exist; the corpus sweep did not run');
    });
    return;
  }
  it('matches tshark on every capture with a reference, except the explained differences', async () => {
    let compared = 0;
    let captured = 0;
    const explainedLines: string[] = [];
    const failures: string[] = [];
    for (const name of captures(join(corpus, 'pcap'))) {
      const refPath = join(corpus, 'reference', `${name}.tsv`);
      const { rows } = await decodeFile(join(corpus, 'pcap', name));
      const ref = existsSync(refPath) ? readReference(refPath) : [];
      const r = compareRows(rows, ref);
      compared += r.compared;
      if (ref.length) captured++;
      const { unexplained, why } = explained(name, r.diffs);
      if (r.diffs.length && why) explainedLines.push(`${name}: ${r.diffs.length} differences (${why})`);
      if (unexplained.length && !KNOWN_SWEEP_FORMATS.has(name)) {
        failures.push(`${name}: ${unexplained.slice(0, 5).map((d) => `#${d.frame} ${d.kind} ${d.detail}`).join('; ')}`);
      }
    }
    console.log(`decode-corpus sweep: ${compared} TCP packets compared over ${captured} captures; known differences:\n  ${explainedLines.join('\n  ')}`);
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThan(100000);
  }, 120_000);
});
