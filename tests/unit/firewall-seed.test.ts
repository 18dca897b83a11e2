// Truth: the seed case ("Too Many TCP Resets") through the real pipeline (analyzeSources): ASA syslog + inside and
// outside `show capture` text + the clean capture. Dates come from the syslog only (the captures have times of day).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { SEEN_PRIMARY, SEEN_SECONDARY } from '../../src/model/packet-table';
import { RST } from '../../src/model/segment';

const FIX = new URL('../fixtures/seed/', import.meta.url);
const source = (f: string) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, FIX))));

async function load(files: string[]) {
  return analyzeSources(files.map(source));
}

describe('seed case through analyzeSources', async () => {
  const s = await load(['asa-syslog.log', 'inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt']);
  const conns = s.reports.toArray();
  const bad = conns.find((c) => c.client.port === 55132)!;
  const clean = conns.find((c) => c.client.port === 61422)!;

  it('finds exactly the two connections, both from packets (the log-only view is folded in)', () => {
    expect(conns.map((c) => [c.source ?? 'packets', `${c.client.ip}:${c.client.port}`, `${c.server.ip}:${c.server.port}`])).toEqual([
      ['packets', '198.51.100.77:55132', '10.20.30.15:443'],
      ['packets', '192.0.2.44:61422', '10.20.30.15:443'],
    ]);
  });

  it('dates the time-of-day captures from the syslog (2018-06-20)', () => {
    expect(bad.start).toBe('2018-06-20T12:00:47.907301Z');
    expect(bad.end).toBe('2018-06-20T12:00:50.443748Z');
    expect(clean.start).toBe('2018-06-20T14:22:51.372035Z');
    for (const f of ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt']) {
      const input = s.inputs.find((i) => i.file === f)!;
      expect(input).toMatchObject({ format: 'asa-show-capture', undated: true, dateFrom: 'firewall log' });
      expect(input.warnings.map((w) => w.message)).toEqual([expect.stringContaining('took 2018-06-20 from the firewall log')]);
    }
  });

  it('198.51.100.77:55132 <-> 10.20.30.15:443 is fin-then-rst, initiated by the server', () => {
    expect(bad.close).toMatchObject({ kind: 'fin-then-rst', initiator: 'server', finRstTogether: true, lateRst: true });
  });

  it('firewall: connection 47772320, torn down on "TCP FINs" from INSIDE, mapped 203.0.113.15:443', () => {
    expect(bad.firewall).toMatchObject({
      connId: '47772320',
      built: '2018-06-20T11:58:45.000000Z',
      teardown: { time: '2018-06-20T12:00:50.000000Z', reason: 'TCP FINs', from: 'INSIDE' },
      mapped: { client: { ip: '198.51.100.77', port: 55132 }, server: { ip: '203.0.113.15', port: 443 } },
      bytes: 107244,
      duration: '0:02:05',
      interfaces: { client: 'OUTSIDE', server: 'INSIDE' },
      clockOffsetMs: 0,
    });
  });

  it("joins the 106015 deny of the server's RST to it, and says when the RST came", () => {
    expect(bad.firewall!.denies).toEqual([{
      time: '2018-06-20T12:00:50.000000Z', flags: 'RST', interface: 'INSIDE',
      src: { ip: '10.20.30.15', port: 443 }, dst: { ip: '198.51.100.77', port: 55132 }, afterTeardownMs: 0, messageId: '106015', cause: 'no-connection',
    }]);
    const text = bad.firewall!.explanation!;
    expect(text).toContain('"TCP FINs" from INSIDE');
    expect(text).toContain("server's side (INSIDE) started the close");
    expect(text).toContain("The server's RST (packet 5) came 0.061 ms after the client's FIN (packet 3)");
    expect(text).toContain('whole seconds');
    expect(s.summary?.firewall).toMatchObject({ denies106015: 1, deniesLateClose: 1, deniesUnknown: 0 });
    expect(s.summary?.firewall?.messagesById).toEqual({ '106015': 1, '302013': 2, '302014': 2, '609001': 1, '609002': 1 });
  });

  it("merges the inside and outside captures; the server's RST was seen inside only", () => {
    expect(bad.files).toEqual(['inside-capture.txt', 'outside-capture.txt']);
    expect(bad.vantage).toEqual({
      points: ['inside-capture.txt', 'outside-capture.txt'],
      dropped: [{ packet: 4, seenAt: 'inside-capture.txt', missingAt: 'outside-capture.txt' }],
      clockOffsetMs: 0,
      clockOffsetRangeMs: [0, 0.015],
      // The client (198.51.100.77) is on the outside: the outside capture saw its FIN 15 µs before the inside one.
      clientSide: 1,
      endpoints: [
        { client: { ip: '198.51.100.77', port: 55132 }, server: { ip: '10.20.30.15', port: 443 } },
        { client: { ip: '198.51.100.77', port: 55132 }, server: { ip: '203.0.113.15', port: 443 } },
      ],
      seqShift: { client: (965033113 - 991843171) >>> 0, server: (3349673389 - 2320205170) >>> 0 },
    });
    expect(Math.abs(bad.vantage!.clockOffsetMs)).toBeLessThan(0.02);
    const pk = connectionPackets(s, bad.id);
    expect(pk.map((p) => p.frame)).toEqual([33437, 33438, 33748, 33749, 33750]);
    const rows = pk.map((p) => s.connections.row(Number(bad.id), p.index));
    expect(rows.map((r) => s.table.seenAt.get(r))).toEqual([3, 3, 3, 3, SEEN_PRIMARY]);
    expect(pk[4].flags & RST).toBe(RST);
    expect(pk[4].fromClient).toBe(false);
    expect(SEEN_PRIMARY | SEEN_SECONDARY).toBe(3);
  });

  it('the clean connection from 192.0.2.44:61422 is clean, initiated by the client, no deny', () => {
    expect(clean.close).toMatchObject({ kind: 'clean', initiator: 'client' });
    expect(clean.firewall).toMatchObject({ connId: '49008818', teardown: { reason: 'TCP FINs', from: 'OUTSIDE' }, denies: [] });
    expect(clean.firewall!.explanation).toContain("client's side (OUTSIDE) started the close");
    expect(clean.vantage).toBeUndefined();
  });

  it('gives the same answer whatever the order the files are loaded in', async () => {
    const r = await load(['outside-capture.txt', 'clean-capture.txt', 'inside-capture.txt', 'asa-syslog.log']);
    const b = r.reports.toArray().find((c) => c.client.port === 55132)!;
    expect(r.reports.toArray()).toHaveLength(2);
    expect(b.close).toMatchObject({ kind: 'fin-then-rst', initiator: 'server' });
    expect(b.firewall?.denies).toHaveLength(1);
    // The outside capture came first, so it is the primary point now: the RST is missing there.
    expect(b.vantage?.dropped).toEqual([{ packet: 4, seenAt: 'inside-capture.txt', missingAt: 'outside-capture.txt' }]);
    expect(b.start).toBe('2018-06-20T12:00:47.907316Z');
  });

  it('the syslog alone gives the two connections as log-only reports', async () => {
    const r = await load(['asa-syslog.log']);
    expect(r.reports.toArray().map((c) => [c.source, c.id, c.client.port, c.firewall?.teardown?.reason, c.firewall?.denies.length])).toEqual([
      ['syslog', 'syslog-0', 55132, 'TCP FINs', 1],
      ['syslog', 'syslog-1', 61422, 'TCP FINs', 0],
    ]);
    const only = r.reports.at(0)!;
    expect(only).toMatchObject({ files: ['asa-syslog.log'], start: '2018-06-20T11:58:45.000000Z', end: '2018-06-20T12:00:50.000000Z', clientBy: 'syslog-direction' });
    expect(only.firewall!.explanation).toMatch(/A RST from the server \(10\.20\.30\.15:443 to 198\.51\.100\.77:55132\) came in the same second as the teardown/);
  });
});
