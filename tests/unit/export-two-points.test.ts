/**
 * Exporting a connection seen at two capture points (issue #19): the pcapng has one interface per point, named after
 * it, and each packet as each point saw it (its time there and its bytes: SNAT addresses outside), read back by our
 * pcapng decoder and by tshark (skipped when tshark is not installed). The real captures of tests/fixtures/two-points.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { exportConnectionsCapture } from '../../src/engine/export-frames';
import { createBytesSource } from '../../src/lib/byte-source';
import { readRecords } from '../../src/lib/record-stream';
import { PcapngFramer } from '../../src/decode/pcapng';
import { createProblemLog } from '../../src/model/problems';

const DIR = new URL('../fixtures/two-points/', import.meta.url);
const bytes = (f: string) => new Uint8Array(readFileSync(new URL(f, DIR)));

/** Record stamps (µs) of a little-endian µs pcap, read here without our decoder. */
function stamps(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let at = 24; at + 16 <= b.length; at += 16 + v.getUint32(at + 8, true)) out.push(v.getUint32(at, true) * 1e6 + v.getUint32(at + 4, true));
  return out;
}

async function exported(scenario: string, reversed = false) {
  const files = [`${scenario}-inside.pcap`, `${scenario}-outside.pcap`];
  if (reversed) files.reverse();
  const sources = files.map((f) => createBytesSource(f, bytes(f)));
  const s = await analyzeSources(sources);
  expect(s.reports.toArray()).toHaveLength(1);
  return exportConnectionsCapture(s, sources, [0]);
}

/** Frames of a pcapng by interface name, as our decoder reads them: the stamps (µs) and the source IPv4 address. */
async function byInterface(b: Uint8Array): Promise<Map<string, { timeUs: number; src: string }[]>> {
  const out = new Map<string, { timeUs: number; src: string }[]>();
  const framer: PcapngFramer = new PcapngFramer({
    timeUs: 0,
    recordOffset: 0,
    dissect(_lt, f, off) {
      const name = framer.currentInterface!.name;
      if (!out.has(name)) out.set(name, []);
      out.get(name)!.push({ timeUs: this.timeUs, src: `${f[off + 26]}.${f[off + 27]}.${f[off + 28]}.${f[off + 29]}` });
    },
  }, createProblemLog('export.pcapng'), () => undefined);
  await readRecords(createBytesSource('export.pcapng', b), framer, {});
  return out;
}

describe('pcapng export of two capture points', () => {
  for (const [scenario, extraOutside] of [['clean', 0], ['late-rst', 4]] as const) {
    it(`${scenario}: one interface per point, every packet at each point's time, with its bytes there`, async () => {
      for (const reversed of [false, true]) {
        const out = await exported(scenario, reversed);
        expect(out.format).toBe('pcapng');
        const inside = stamps(bytes(`${scenario}-inside.pcap`));
        const outside = stamps(bytes(`${scenario}-outside.pcap`));
        expect(outside.length).toBe(inside.length + extraOutside);
        expect(out.packets).toBe(inside.length + outside.length);
        const got = await byInterface(out.bytes);
        expect([...got.keys()].sort()).toEqual([`${scenario}-inside.pcap`, `${scenario}-outside.pcap`]);
        const at = (name: string) => got.get(`${scenario}-${name}.pcap`)!;
        expect(at('inside').map((f) => f.timeUs)).toEqual(inside);
        expect(at('outside').map((f) => f.timeUs)).toEqual(outside);
        // SNAT: the client is 10.19.0.2 inside, 198.51.100.1 outside.
        expect(at('inside')[0].src).toBe('10.19.0.2');
        expect(at('outside')[0].src).toBe('198.51.100.1');
        // Read back as a whole, the file is both views of the connection: one per interface (4-tuples differ).
        const again = await analyzeSources([createBytesSource('export.pcapng', out.bytes)]);
        expect(again.reports.toArray().map((c) => c.packets.client + c.packets.server).sort()).toEqual([inside.length, outside.length].sort());
      }
    });
  }

  const tshark = (() => {
    try {
      execFileSync('tshark', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!tshark)('tshark reads the two interfaces, their names and packet counts', async () => {
    const out = await exported('late-rst');
    const dir = mkdtempSync(join(tmpdir(), 'teardown-export-'));
    try {
      const file = join(dir, 'late-rst.pcapng');
      writeFileSync(file, out.bytes);
      const lines = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.interface_id', '-e', 'frame.interface_name', '-e', 'ip.src', '-e', 'tcp.flags.reset'], { encoding: 'utf8' })
        .trim().split('\n').map((l) => l.split('\t'));
      const count = (name: string, pred: (l: string[]) => boolean = () => true) => lines.filter((l) => l[1] === name && pred(l)).length;
      const inside = stamps(bytes('late-rst-inside.pcap')).length;
      expect(new Set(lines.map((l) => `${l[0]} ${l[1]}`))).toEqual(new Set(['0 late-rst-inside.pcap', '1 late-rst-outside.pcap']));
      expect(count('late-rst-inside.pcap')).toBe(inside);
      expect(count('late-rst-outside.pcap')).toBe(inside + 4);
      // The RSTs the firewall dropped: outside only.
      const rst = (l: string[]) => l[3] === '1' || l[3] === 'True';
      expect(count('late-rst-outside.pcap', rst)).toBe(4);
      expect(count('late-rst-inside.pcap', rst)).toBe(0);
      expect(lines.filter((l) => l[1] === 'late-rst-outside.pcap').every((l) => l[2] === '198.51.100.1' || l[2] === '198.51.100.80')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
