// Sweep: tcpdump's own expected text outputs (../shared/corpus/text/tcpdump__*.out) decoded by the text decoder
// and compared packet by packet (addresses, ports, flags, raw seq/ack, length, window) with tshark's reading of
// the same pcap (../shared/corpus/reference/*.tsv). Runs only when ../shared/corpus exists.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffTextFormat } from '../../src/decode/formats';
import { decodeText } from './text-helpers';

const C = new URL('../../../shared/corpus/', import.meta.url);
const present = existsSync(new URL('MANIFEST.tsv', C));
if (!present) console.log('text-corpus: ../shared/corpus does not exist; tcpdump text sweep skipped');

// OpenFlow captures carry whole packets inside packets: tshark's reference has the inner addresses.
const TUNNELLED = new Set(['text/tcpdump__of13_ericsson.out', 'text/tcpdump__of13_ericsson-v.out']);

describe.runIf(present)('tcpdump text vs tshark reference', () => {
  const rows = present ? readFileSync(new URL('MANIFEST.tsv', C), 'utf8').split('\n').map((l) => l.split('\t')) : [];
  const cases = rows.filter((r) => r[0]?.startsWith('text/tcpdump__')).map((r) => ({ file: r[0], pcap: /decoded from (\S+)/.exec(r[10] ?? '')?.[1] }));
  let compared = 0;
  for (const { file, pcap } of cases) {
    it(file, async () => {
      const bytes = new Uint8Array(readFileSync(new URL(file, C)));
      const format = sniffTextFormat(bytes.subarray(0, 65536)) ?? 'tcpdump-text';
      const { segs, problems } = await decodeText(bytes, format, { date: '2000-01-01', name: file, slice: 4096 });
      for (const p of problems.warnings) expect(p.line, `${file}: ${p.message}`).toBeGreaterThan(0);
      const ref = pcap ? new URL(`reference/${pcap}.tsv`, C) : null;
      if (!ref || !existsSync(ref)) return;
      const byFrame = new Map(readFileSync(ref, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).map((r) => [Number(r[0]), r]));
      for (const s of segs) {
        const r = byFrame.get(s.frame);
        if (!r) continue;
        const v6 = r[3] !== '';
        const host = (ip: string, port: string) => (v6 ? `[${ip}]:${port}` : `${ip}:${port}`);
        const want: Record<string, unknown> = {
          src: host(r[2] || r[3], r[4]), dst: host(r[5] || r[6], r[7]), seq: Number(r[9]), len: Number(r[11]), win: Number(r[12]),
          ack: parseInt(r[8], 16) & 0x10 ? Number(r[10]) : s.ack, flags: parseInt(r[8], 16) & 0x1ff,
        };
        const got: Record<string, unknown> = { src: s.src, dst: s.dst, seq: s.seq, len: s.len, win: s.win, ack: s.ack, flags: s.flagBits };
        if (TUNNELLED.has(file) && got.src !== want.src) continue;
        // IPv6 text in tshark's output is already compressed like ours
        expect(got, `${file} frame ${s.frame}`).toEqual(want);
        compared++;
      }
    });
  }
  it('compared enough packets', () => {
    console.log(`text-corpus: ${compared} packets matched tshark's raw fields`);
    expect(compared).toBeGreaterThan(1200);
  });
});
