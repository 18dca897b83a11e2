/**
 * The window on a ladder is Wireshark's (issue #16 item 6): the field shifted by the sender's window scale once
 * the handshake was captured, the raw field marked as such when it was not, "WS ×4" rather than "WS 2". Checked
 * packet by packet against tshark's tcp.window_size on every close fixture (tests/fixtures/closes/README.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { ariaLabel, labelParts, windowLabel } from '../../src/render/arrow-text';
import { DEFAULT_LABELS } from '../../src/render/ladder-types';
import { describeDetail } from '../../src/ui/packet-detail-text';
import type { PacketDetail } from '../../src/engine/api';

const DIR = 'tests/fixtures/closes';
const rows = readFileSync(join(DIR, 'tshark-window-size.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const byFile = new Map<string, Map<number, { raw: number; size: number; factor: string }>>();
for (const [file, frame, raw, size, factor] of rows) {
  if (!byFile.has(file)) byFile.set(file, new Map());
  byFile.get(file)!.set(Number(frame), { raw: Number(raw), size: Number(size), factor });
}

describe('the window as Wireshark shows it', () => {
  it('matches tshark tcp.window_size on every packet of the close fixtures; unknown exactly where tshark says -1', async () => {
    let checked = 0;
    let scaled = 0;
    let unknown = 0;
    for (const [file, frames] of byFile) {
      const s = await analyzeSources([createBytesSource(file.split('/').pop()!, new Uint8Array(readFileSync(join(DIR, file))))]);
      for (const c of s.reports.toArray()) {
        for (const p of ladderData(s, c).packets) {
          const t = frames.get(p.frame!);
          if (!t) continue;
          expect(p.window, `${file} #${p.frame}`).toBe(t.raw);
          if (t.factor === '-1') {
            expect(p.windowShift, `${file} #${p.frame}`).toBeUndefined();
            expect(windowLabel(p)).toBe(`win ${t.raw} raw`);
            unknown++;
          } else {
            expect(p.windowShift, `${file} #${p.frame}`).toBeDefined();
            expect(windowLabel(p), `${file} #${p.frame}`).toBe(`win ${t.size}`);
            if (t.size !== t.raw) scaled++;
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(rows.length);
    expect(scaled).toBeGreaterThan(1000);
    expect(unknown).toBeGreaterThan(20);
  });

  it('labels, accessible names and details say the scaled window and the multiplier', async () => {
    const s = await analyzeSources([createBytesSource('c.pcap', new Uint8Array(readFileSync(join(DIR, 'clean-client-first.pcap'))))]);
    const [c] = s.reports.toArray();
    const p = ladderData(s, c).packets.find((x) => x.windowShift && x.windowShift > 0)!;
    const scaledWindow = p.window * 2 ** p.windowShift!;
    expect(labelParts(p, null, { ...DEFAULT_LABELS, window: true }).rest).toContain(`win ${scaledWindow}`);
    expect(ariaLabel(p, null, null)).toContain(`window ${scaledWindow} (field ${p.window} × ${2 ** p.windowShift!})`);
    const detail = { ttl: 64, ipVersion: 4, mss: 65495, windowScale: 7, sackPermitted: true, sack: [], tsVal: 1, tsEcr: 0 } as unknown as PacketDetail;
    expect(describeDetail(detail)).toContain('WS ×128 (shift 7)');
    expect(ariaLabel({ ...p, windowShift: undefined }, null, null)).toContain(`window field ${p.window}, scale unknown`);
  });
});
