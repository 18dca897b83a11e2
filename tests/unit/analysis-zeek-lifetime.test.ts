// Zeek ends a connection on its timers and on reuse (src/analysis/zeek-lifetime.ts): one tshark stream can be
// several conn.log rows. Real captures from Zeek's own test suite (with Zeek's baselines in
// analysis-zeek.test.ts) and small tcpdump-text captures placed on each side of every interval.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import type { CloseFacts } from '../../src/model/report';

const ZEEK = join(__dirname, '..', 'fixtures', 'closes', 'zeek');

/** The conn.log rows of each connection: zeekLog when split, else the one row; with why Zeek ended each but the last. */
function rowsOf(close: CloseFacts): (string | number)[][] {
  return (close.zeekLog ?? [{ zeekState: close.zeekState, history: close.history, firstPacket: 0 }]).map((z) =>
    z.endedBy ? [z.zeekState, z.history, z.firstPacket, z.endedBy] : [z.zeekState, z.history, z.firstPacket]);
}

async function text(lines: string[]) {
  const s = await analyzeSources([createBytesSource('t.txt', new TextEncoder().encode(lines.join('\n') + '\n'))]);
  return s.reports.toArray().map((c) => rowsOf(c.close!));
}

const T0 = 1591780800;
/**
 * A tcpdump -tt line at T0 + dt seconds from 10.0.0.1:40000 (client, c) or 10.0.0.2:80 (server, s). As tcpdump
 * prints them: raw numbers on SYNs, numbers relative to each side's ISN after the handshake.
 */
function line(dt: number, from: 'c' | 's', flags: string, seq: number, ack = 0, len = 0): string {
  const [src, dst] = from === 'c' ? ['10.0.0.1.40000', '10.0.0.2.80'] : ['10.0.0.2.80', '10.0.0.1.40000'];
  const t = (T0 + dt).toFixed(6);
  const a = flags.includes('.') ? `, ack ${ack}` : '';
  const s = len ? `seq ${seq}:${seq + len}` : `seq ${seq}`;
  return `${t} IP ${src} > ${dst}: Flags [${flags}], ${s}${a}, win 502, length ${len}`;
}

/** Handshake and one request at 0..0.3 s (client ISN 1000, server ISN 5000). */
const OPEN = [line(0, 'c', 'S', 1000), line(0.1, 's', 'S.', 5000, 1001), line(0.2, 'c', '.', 1, 1), line(0.3, 'c', 'P.', 1, 1, 10)];

describe('Zeek connection lifetime', () => {
  it('a SYN retried after a RST starts a new Zeek connection even with the same ISN (pop3 capture)', async () => {
    const s = await analyzeSources([await createNodeFileSource(join(ZEEK, 'zeek__pop3-pop3.pcap'))]);
    const c = s.reports.toArray().find((r) => r.client.port === 26242)!;
    expect(rowsOf(c.close!)).toEqual([['REJ', 'Sr', 0, 'reuse'], ['REJ', 'Sr', 2, 'reuse'], ['REJ', 'Sr', 4]]);
    expect(c.close!.zeekState).toBe('REJ');
    // The endpoint states follow each attempt too: the retried SYN opens again after the RST.
    const states = (side: 'client' | 'server') => c.close!.states[side].map((x) => `${x.state}@${x.packet}`);
    expect(states('client')).toEqual(['SYN_SENT@0', 'CLOSED@1', 'SYN_SENT@2', 'CLOSED@3', 'SYN_SENT@4', 'CLOSED@5']);
    // The server refuses each: CLOSED from its first RST on, never LISTEN (nothing answered a SYN with SYN+ACK).
    expect(states('server')).toEqual(['CLOSED@1']);
  });

  it('a one-sided capture: the attempt timer ends the connection 5 s after the SYN (ssh client side)', async () => {
    const s = await analyzeSources([await createNodeFileSource(join(ZEEK, 'zeek__ssh-ssh.client-side-half-duplex.pcap'))]);
    const c = s.reports.toArray().find((r) => r.client.port === 51880)!;
    const rows = rowsOf(c.close!);
    expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual(['S0 SAD', 'SH DAF']);
    expect(rows[0][3]).toBe('attempt-timer');
    // The second row starts at the first packet more than 5 s after the SYN.
    const times = s.connections.rows(Number(c.id));
    const t = (k: number) => s.table.timeUs.get(times[k]);
    const second = rows[1][2] as number;
    expect(t(second) - t(0)).toBeGreaterThan(5e6);
    expect(t(second - 1) - t(0)).toBeLessThanOrEqual(5e6);
  });

  it('an unanswered SYN retried within 5 s stays one row; retried after 5 s it is two', async () => {
    expect(await text([line(0, 'c', 'S', 1000), line(1, 'c', 'S', 1000), line(3, 'c', 'S', 1000)])).toEqual([[['S0', 'S', 0]]]);
    expect(await text([line(0, 'c', 'S', 1000), line(1, 'c', 'S', 1000), line(7, 'c', 'S', 1000)])).toEqual([[['S0', 'S', 0, 'attempt-timer'], ['S0', 'S', 2]]]);
  });

  it('5 minutes of silence end the connection; a little less does not', async () => {
    const quiet = (gap: number) => text([...OPEN, line(0.3 + gap, 'c', 'P.', 11, 1, 10)]);
    expect(await quiet(299)).toEqual([[['S1', 'ShAD', 0]]]);
    expect(await quiet(300.5)).toEqual([[['S1', 'ShAD', 0, 'inactivity'], ['OTH', 'D', 4]]]);
  });

  it('after a complete close the connection lives 5 s more: a late RST inside them joins it, one after them does not', async () => {
    const close = [
      ...OPEN,
      line(1, 's', 'F.', 1, 11),
      line(1.1, 'c', 'F.', 11, 2),
      line(1.2, 's', '.', 2, 12),
    ];
    expect(await text([...close, line(4, 'c', 'R', 12)])).toEqual([[['SF', 'ShADfFaR', 0]]]);
    const late = await text([...close, line(7, 'c', 'R', 12)]);
    expect(late).toEqual([[['SF', 'ShADfFa', 0, 'closed'], ['OTH', 'R', 7]]]);
  });

  it('after a FIN and then a RST from the same side, the expire timer ends the connection once it is quiet', async () => {
    const halfThenReset = [...OPEN, line(1, 'c', 'F.', 11, 1), line(1.001, 'c', 'R', 12)];
    // The server's next packet: 3 s later it still belongs; 12 s later the expire timer (every 6 s, quiet > 5 s) ended
    // it, and the ACK starts a Zeek connection of its own, flipped (^) because it comes from port 80.
    expect(await text([...halfThenReset, line(4, 's', '.', 1, 12)])).toEqual([[['RSTO', 'ShADFRa', 0]]]);
    expect(await text([...halfThenReset, line(13, 's', '.', 1, 12)])).toEqual([[['RSTO', 'ShADFR', 0, 'expire-timer'], ['OTH', '^A', 6]]]);
  });
});
