/**
 * Damaged TLS and key logs (fast-check): real record streams from the fixtures cut into random segments, with bytes
 * flipped, segments dropped, duplicated and reordered, decrypted with their real key log; random key log text; random
 * segments. Checked: nothing throws, every run ends quickly, and an undamaged stream cut anywhere still gives tshark's
 * alerts.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBytesSource } from '../../src/lib/byte-source';
import { decodeInput } from '../../src/decode/index';
import { createProblemLog } from '../../src/model/problems';
import type { TcpSegment } from '../../src/model/segment';
import { tlsView } from '../../src/tls/connection';
import { KeyLog } from '../../src/tls/keylog';
import type { StreamSegment } from '../../src/tls/stream';
import { cpuMs } from './cpu-time';

const DIR = 'tests/fixtures/tls/';

/** Each direction's payload bytes of a fixture (one connection), joined in sequence order, and the first seq. */
async function streams(name: string): Promise<{ client: Uint8Array; server: Uint8Array; keys: KeyLog }> {
  const bytes = new Uint8Array(readFileSync(`${DIR}${name}.pcap`));
  const parts: { fromClient: boolean; seq: number; p: Uint8Array }[] = [];
  let clientPort = -1;
  await decodeInput(createBytesSource(name, bytes), 0, {
    segments: {
      segment(s: TcpSegment) {
        if (clientPort < 0) clientPort = s.srcPort; // the SYN's sender
        if (s.payload && s.payload.length) parts.push({ fromClient: s.srcPort === clientPort, seq: s.seq >>> 0, p: s.payload.slice() });
      },
    },
  }, { problems: createProblemLog(name) });
  const join = (c: boolean) => {
    const mine = parts.filter((x) => x.fromClient === c).sort((a, b) => ((a.seq - b.seq) | 0));
    const out: number[] = [];
    let next = mine[0].seq;
    for (const m of mine) {
      const skip = (next - m.seq) | 0;
      if (skip >= m.p.length) continue;
      for (let i = Math.max(0, skip); i < m.p.length; i++) out.push(m.p[i]);
      next = (m.seq + m.p.length) >>> 0;
    }
    return new Uint8Array(out);
  };
  const keys = new KeyLog();
  keys.add(readFileSync(`${DIR}${name}.keys`, 'utf8'));
  return { client: join(true), server: join(false), keys };
}

/** Cuts a stream into segments at the given sizes, starting at seq. */
function cut(stream: Uint8Array, sizes: number[], seq: number, packet0: number): StreamSegment[] {
  const out: StreamSegment[] = [];
  let o = 0;
  let k = 0;
  while (o < stream.length) {
    const n = Math.max(1, sizes[k % sizes.length]);
    out.push({ seq: (seq + o) >>> 0, payload: stream.subarray(o, o + n), packet: packet0 + 2 * k });
    o += n;
    k++;
  }
  return out;
}

describe('TLS reading and decryption on damaged input', () => {
  for (const name of ['tls13-aes128-close', 'tls12-cbc-sha-etm-close', 'tls12-chacha-noclose']) {
    it(`${name}: any segmentation gives the same alerts; damage never throws`, async () => {
      const s = await streams(name);
      const clean = await tlsView(cut(s.client, [100000], 1000, 0), cut(s.server, [100000], 0xfffff000, 1), s.keys);
      const want = clean!.alerts.map((a) => `${a.fromClient}:${a.name}`);
      expect(want.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          async (sizes, seq) => {
            const v = await tlsView(cut(s.client, sizes, seq, 0), cut(s.server, sizes.slice().reverse(), seq ^ 0x5a5a5a5a, 1), s.keys);
            expect(v!.alerts.map((a) => `${a.fromClient}:${a.name}`)).toEqual(want);
          },
        ),
        { numRuns: 40 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 6 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 4 }),
          fc.boolean(),
          async (sizes, flips, drops, shuffle) => {
            const server = s.server.slice();
            for (const [at, v] of flips) server[at % server.length] = v;
            let segs = cut(server, sizes, 7, 1);
            for (const d of drops) segs = segs.filter((_, i) => i !== d % segs.length);
            if (shuffle) segs = [...segs.slice(1), ...segs.slice(0, 2)];
            const { value: v, ms } = await cpuMs(() => tlsView(cut(s.client, sizes, 9, 0), segs, s.keys));
            expect(ms).toBeLessThan(5000);
            if (v) for (const a of v.alerts) expect(a.packet).toBeGreaterThanOrEqual(0);
          },
        ),
        { numRuns: 60 },
      );
    }, 120_000);
  }

  it('random segments and random key logs never throw', async () => {
    const header = fc.tuple(fc.integer({ min: 19, max: 25 }), fc.constantFrom(3, 2), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20000 }));
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(header, fc.uint8Array({ maxLength: 200 })).map(([[t, a, b, n], rest]) => new Uint8Array([t, a, b, n >> 8, n & 255, ...rest])),
    );
    const seg = fc.record({ seq: fc.integer({ min: 0, max: 0xffffffff }), payload, packet: fc.nat(1000) });
    await fc.assert(
      fc.asyncProperty(fc.array(seg, { maxLength: 12 }), fc.array(seg, { maxLength: 12 }), fc.string(), async (c, s, text) => {
        const keys = new KeyLog();
        keys.add(text);
        await tlsView(c, s, keys);
        await tlsView(c, s, null);
      }),
      { numRuns: 300 },
    );
  });

  it('key log lines: damaged lines are skipped and counted, good ones kept', () => {
    const line = fc.tuple(
      fc.constantFrom('CLIENT_RANDOM', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'EXPORTER_SECRET', 'BOGUS', ''),
      fc.stringMatching(/^[0-9a-fA-F]{0,70}$/),
      fc.stringMatching(/^[0-9a-fA-F]{0,120}$/),
    ).map(([a, b, c]) => `${a} ${b} ${c}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.string()), { maxLength: 30 }), (lines) => {
        const k = new KeyLog();
        const r = k.add(lines.join('\n'));
        expect(r.secrets).toBeLessThanOrEqual(lines.length);
        expect(k.size).toBeLessThanOrEqual(r.secrets);
      }),
      { numRuns: 500 },
    );
  });
});
