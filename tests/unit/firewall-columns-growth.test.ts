/**
 * How the firewall columns grow (model/firewall-store.ts): a growable column grows in place (the same array, no
 * copy) and is cut to exactly its rows as a view on the same buffer (nothing is copied; cut to 0, the buffer is given
 * back); other arrays grow by copying. And the per-flow deny cap
 * (analysis/firewall/deny-cap.ts) keeps its fixed table: a flood among a hundred thousand one-off flows is still capped
 * at the same line, and one-off flows are never capped.
 */
import { describe, expect, it } from 'vitest';
import { FirewallConnColumns, grow, growable, shareColumns, shareable, shrinkTo } from '../../src/model/firewall-store';
import { logFromSnapshot, logSnapshot } from '../../src/analysis/firewall/log-snapshot';
import { FirewallLog } from '../../src/analysis/firewall/log';
import { DenyFlowCap } from '../../src/analysis/firewall/deny-cap';
import { createSyslogLineDecoder } from '../../src/decode/text/syslog';
import { createProblemLog, formatProblem } from '../../src/model/problems';

describe('firewall columns', () => {
  it('a growable column grows in place and is cut to its rows without a copy', () => {
    const a = growable(Float64Array);
    const b = grow(a, 5000);
    expect(b.length).toBeGreaterThanOrEqual(5000);
    b[4999] = 1.5;
    const c = grow(b, 100_000);
    if ((a.buffer as ArrayBuffer & { resizable?: boolean }).resizable) expect(c).toBe(a); // Node 20 has resizable buffers
    expect(c[4999]).toBe(1.5);
    c[6000] = 2.5; // a row past the cut
    const t = shrinkTo(c, 5000);
    expect([t.length, t[4999], t[5000]]).toEqual([5000, 1.5, undefined]);
    if ((a.buffer as ArrayBuffer & { resizable?: boolean }).resizable) {
      // Cut as a view on the same buffer (not resized down: that would zero, and so touch, every page past the cut).
      expect(t.buffer).toBe(a.buffer);
      expect(t.buffer.byteLength).toBeGreaterThanOrEqual(100_000 * 8);
      // Grown again, it tracks its buffer's length again, and the rows it had cut off read as zeros, as new rows do.
      const g = grow(t, 7000);
      expect([g.length >= 7000, g[4999], g[5000], g[6000]]).toEqual([true, 1.5, 0, 0]);
      // Cut to nothing, the buffer is given back at once.
      shrinkTo(g, 0);
      expect([g.length, g.buffer.byteLength]).toEqual([0, 0]);
    }
    // A plain array is cut by copying.
    const u = shrinkTo(new Int32Array([1, 2, 3]), 2);
    expect([...u, u.buffer.byteLength]).toEqual([1, 2, 8]);
    // A plain array grows by copying.
    const p = new Int32Array([7, 8]);
    const q = grow(p, 3);
    expect([q === p, q[0], q[1], q.length >= 3]).toEqual([false, 7, 8, true]);
  });

  it('shared columns (the command line\'s writer thread) grow and cut as views of one shared buffer, read the same from a snapshot', () => {
    shareColumns();
    try {
      const cols = new FirewallConnColumns();
      expect(cols.tdUs.buffer).toBeInstanceOf(SharedArrayBuffer);
      for (let i = 0; i < 5000; i++) cols.tdUs[cols.add()] = i + 0.5;
      const buf = cols.tdUs.buffer;
      // Views of a fixed length (V8 reads those fast), the whole buffer grown so far: not one per row added.
      expect(cols.tdUs.length).toBeGreaterThanOrEqual(5000);
      cols.trim();
      expect([cols.tdUs.length, cols.tdUs[4999], cols.tdUs.buffer === buf]).toEqual([5000, 4999.5, true]);
      cols.tdUs[0] = 7;
      // Grown again after the cut: the same buffer, the rows cut off zeroed, the rows kept.
      const g = grow(cols.tdUs, 6000);
      expect([g.buffer === buf, g[0], g[4999], g[5000], g.length >= 6000]).toEqual([true, 7, 4999.5, 0, true]);
      // Cut to nothing, a shared buffer keeps its memory (it cannot shrink): an empty view.
      expect(shrinkTo(g, 0).length).toBe(0);
      expect(shareable(Int32Array, 3).buffer).toBeInstanceOf(SharedArrayBuffer);
      // A log read from a snapshot (as the writer thread gets it) sees the same rows in the same memory.
      const log = new FirewallLog();
      const r = log.conns.add();
      log.conns.cPort[r] = 443;
      log.names.id('10.1.2.3');
      log.finish();
      const copy = logFromSnapshot(structuredClone(logSnapshot(log)));
      expect([copy.conns.count, copy.conns.cPort[0], copy.names.list[0], copy.names.ipv4Of(0), copy.names.isIpv4(0)]).toEqual([1, 443, '10.1.2.3', 0x0a010203, true]);
      log.conns.cPort[0] = 80;
      expect(copy.conns.cPort[0]).toBe(80);
    } finally {
      shareColumns(false);
    }
    expect(new FirewallConnColumns().tdUs.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(shareable(Int32Array, 3).buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('the deny cap catches a flood among 100,000 one-off flows at the same line, and no one-off flow', () => {
    const problems = createProblemLog('mix.log');
    const log = new FirewallLog();
    log.files = ['mix.log'];
    log.problems = problems;
    log.denyCap = new DenyFlowCap(1000);
    const dec = createSyslogLineDecoder(0, 'mix.log', (e, text, at) => log.add(e, text, at), { problems, year: 2018 }, { skipped: {} });
    const deny = (src: string, port: number) => `<166>Jun 20 2018 10:00:00 fw-a : %ASA-6-106015: Deny TCP (no connection) from ${src}/${port} to 10.0.0.2/443 flags RST  on interface outside`;
    let line = 0;
    let floodLine = 0;
    let flood = 0;
    for (let k = 0; k < 100_000; k++) {
      dec.line(deny(`198.51.${(k >> 8) & 255}.${k & 255}`, 1024 + (k % 50_000)), ++line);
      if (k % 50 === 0) {
        dec.line(deny('192.0.2.1', 1234), ++line);
        if (++flood === 1001) floodLine = line;
      }
    }
    dec.finish();
    log.finish();
    expect(problems.warnings.map(formatProblem)).toEqual([
      `mix.log line ${floodLine}: more than 1000 denies of one flow (192.0.2.1/1234 to 10.0.0.2/443): from this line on, each is counted with the last one listed instead of being listed (memory stays bounded)`,
    ]);
    expect(log.denies.count).toBe(100_000 + 1000);
    let repeats = 0;
    for (let j = 0; j < log.denies.count; j++) repeats += log.denies.repeat[j];
    expect(repeats).toBe(100_000 + flood);
  });
});
