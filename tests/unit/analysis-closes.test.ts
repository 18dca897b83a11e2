// Closes made by real Linux TCP stacks on loopback (tests/fixtures/closes, scripts/make-close-captures.sh).
// Every expected value below was checked by reading the packets (tcpdump -nr), not copied from output:
// the comments give the packet sequence each expectation rests on (index = packet within connection).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeSources, connectionPackets, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import type { ConnectionReport } from '../../src/model/report';

const DIR = join(__dirname, '..', 'fixtures', 'closes');

async function load(name: string): Promise<AnalysisSession> {
  return analyzeSources([await createNodeFileSource(join(DIR, `${name}.pcap`), `${name}.pcap`)]);
}
async function one(name: string): Promise<ConnectionReport> {
  const s = await load(name);
  expect(s.reports.toArray()).toHaveLength(1);
  return s.reports.at(0)!;
}
const states = (c: ConnectionReport, side: 'client' | 'server') => c.close!.states[side].map((s) => `${s.state}@${s.packet}`);
const kinds = (c: ConnectionReport) => [...new Set(c.close!.anomalies.map((a) => a.kind))].sort();

describe('closes from real TCP stacks', () => {
  it('clean close, client first (S SA A P A P A | F(c) F.(s) A(c))', async () => {
    const c = await one('clean-client-first');
    expect(c.clientBy).toBe('syn');
    expect(c.handshake).toBe('complete');
    expect(c.packets).toEqual({ client: 6, server: 4 });
    expect(c.payloadBytes).toEqual({ client: 18, server: 25 });
    const k = c.close!;
    expect([k.kind, k.initiator, k.simultaneous, k.finRstTogether, k.lateRst]).toEqual(['clean', 'client', false, false, false]);
    expect([k.zeekState, k.history]).toEqual(['SF', 'ShADadFf']);
    expect(states(c, 'client')).toEqual(['SYN_SENT@0', 'ESTABLISHED@1', 'FIN_WAIT_1@7', 'FIN_WAIT_2@8', 'TIME_WAIT@8']);
    expect(states(c, 'server')).toEqual(['LISTEN@0', 'SYN_RECEIVED@1', 'ESTABLISHED@2', 'CLOSE_WAIT@7', 'LAST_ACK@8', 'CLOSED@9']);
    expect(k.tls).toBeNull();
    expect(k.anomalies).toEqual([]);
    expect(k.explanation).toMatch(/^The client closed first/);
  });

  it('clean close, server first (F(s)@7, A(c)@8, F(c)@9, A(s)@10)', async () => {
    const c = await one('clean-server-first');
    const k = c.close!;
    expect([k.kind, k.initiator, k.zeekState, k.history]).toEqual(['clean', 'server', 'SF', 'ShADadfF']);
    expect(states(c, 'server')).toEqual(['LISTEN@0', 'SYN_RECEIVED@1', 'ESTABLISHED@2', 'FIN_WAIT_1@7', 'FIN_WAIT_2@8', 'TIME_WAIT@9']);
    expect(states(c, 'client')).toEqual(['SYN_SENT@0', 'ESTABLISHED@1', 'CLOSE_WAIT@7', 'LAST_ACK@9', 'CLOSED@10']);
  });

  it('simultaneous close: the client FIN (ack 1) does not acknowledge the server FIN (seq 1)', async () => {
    const c = await one('simultaneous-close');
    const k = c.close!;
    expect([k.kind, k.initiator, k.simultaneous]).toEqual(['clean', 'server', true]);
    expect([k.zeekState, k.history]).toEqual(['SF', 'ShADafF']);
    expect(states(c, 'server')).toEqual(['LISTEN@0', 'SYN_RECEIVED@1', 'ESTABLISHED@2', 'FIN_WAIT_1@5', 'CLOSING@6', 'TIME_WAIT@7']);
    expect(states(c, 'client')).toEqual(['SYN_SENT@0', 'ESTABLISHED@1', 'FIN_WAIT_1@6', 'CLOSING@7', 'TIME_WAIT@8']);
    expect(k.explanation).toMatch(/simultaneous close/);
  });

  it('FIN then RST from the client (shutdown, then SO_LINGER 0 close 0.6 ms later)', async () => {
    const c = await one('fin-then-rst-linger0');
    const k = c.close!;
    expect([k.kind, k.initiator, k.finRstTogether, k.lateRst]).toEqual(['fin-then-rst', 'client', true, false]);
    expect(k.fin).toEqual({ client: true, server: false });
    expect(k.rst).toEqual({ client: true, server: false });
    // Zeek: the RST after the client's FIN resets the client endpoint while the server is established.
    expect([k.zeekState, k.history]).toEqual(['RSTO', 'ShADadFR']);
    expect(states(c, 'client')).toEqual(['SYN_SENT@0', 'ESTABLISHED@1', 'FIN_WAIT_1@7', 'CLOSED@8']);
    expect(states(c, 'server')).toEqual(['LISTEN@0', 'SYN_RECEIVED@1', 'ESTABLISHED@2', 'CLOSE_WAIT@7', 'CLOSED@8']);
    expect(k.anomalies).toEqual([{ packet: 8, kind: 'fin-rst-together' }]);
    expect(k.explanation).toMatch(/SO_LINGER/);
  });

  it('RST instead of FIN when the server closes with an unread request', async () => {
    const c = await one('rst-unread-data');
    const k = c.close!;
    expect([k.kind, k.initiator, k.zeekState, k.history]).toEqual(['reset', 'server', 'RSTR', 'ShADadr']);
    expect(k.fin).toEqual({ client: false, server: false });
    expect(states(c, 'server').at(-1)).toBe('CLOSED@9');
    expect(k.explanation).toMatch(/abortive close/);
  });

  it('abort mid-transfer: the client resets while the server is still sending', async () => {
    const c = await one('abort-mid-transfer');
    const k = c.close!;
    expect([k.kind, k.initiator, k.zeekState, k.history]).toEqual(['reset', 'client', 'RSTO', 'ShAdR']);
    expect(c.payloadBytes.client).toBe(0);
    expect(c.payloadBytes.server).toBeGreaterThan(100000);
    expect(k.explanation).toMatch(/aborted mid-way/);
  });

  it('refused: SYN answered by RST+ACK (seq 0)', async () => {
    const c = await one('refused');
    const k = c.close!;
    expect(c.handshake).toBe('partial');
    expect([k.kind, k.initiator, k.zeekState, k.history]).toEqual(['refused', 'server', 'REJ', 'Sr']);
    expect(states(c, 'client')).toEqual(['SYN_SENT@0', 'CLOSED@1']);
    expect(k.explanation).toMatch(/refused/);
  });

  it('half-close: client FIN@5, then five server data segments, then the server FIN@16', async () => {
    const c = await one('half-close');
    const k = c.close!;
    expect([k.kind, k.initiator, k.dataAfterFin]).toEqual(['clean', 'client', false]);
    expect([k.zeekState, k.history]).toEqual(['SF', 'ShADaFdf']);
    expect(c.payloadBytes.server).toBe(35);
    expect(states(c, 'client')).toEqual(['SYN_SENT@0', 'ESTABLISHED@1', 'FIN_WAIT_1@5', 'FIN_WAIT_2@6', 'TIME_WAIT@16']);
  });

  it('data after the peer closed: the server FIN@5, client data@7, server RST@8', async () => {
    const c = await one('data-after-peer-closed');
    const k = c.close!;
    expect([k.kind, k.initiator, k.lateRst, k.dataAfterFin]).toEqual(['fin-then-rst', 'server', false, false]);
    expect(k.fin).toEqual({ client: false, server: true });
    expect(k.rst).toEqual({ client: false, server: true });
    expect([k.zeekState, k.history]).toEqual(['RSTR', 'ShADafr']);
    expect(states(c, 'server')).toEqual(['LISTEN@0', 'SYN_RECEIVED@1', 'ESTABLISHED@2', 'FIN_WAIT_1@5', 'FIN_WAIT_2@6', 'CLOSED@8']);
  });

  it('TLS 1.2 with close_notify: a 31-byte alert record from each side before its FIN', async () => {
    const k = (await one('tls12-close-notify')).close!;
    expect(k.tls).toMatchObject({ version: 'TLS 1.2', alertBeforeFin: { client: true, server: true }, inferred: false });
    expect([k.kind, k.initiator]).toEqual(['clean', 'server']);
  });

  it('TLS 1.2 without close_notify: FINs with no alert record before them', async () => {
    const k = (await one('tls12-no-close-notify')).close!;
    expect(k.tls).toMatchObject({ version: 'TLS 1.2', alertBeforeFin: { client: false, server: false }, inferred: false });
    expect(k.explanation).toMatch(/without a TLS alert first/);
  });

  it('TLS 1.3 (with and without close_notify): the version is known, the alert cannot be seen', async () => {
    for (const name of ['tls13-close-notify', 'tls13-no-close-notify']) {
      const k = (await one(name)).close!;
      expect(k.tls?.version).toBe('TLS 1.3');
      expect(k.tls?.alertBeforeFin).toBeNull();
      expect(k.tls?.note).toMatch(/cannot be seen/);
    }
  });

  it('port reuse: the same client port twice makes two connections, the second marked', async () => {
    const s = await load('port-reuse');
    const cs = s.reports.toArray();
    expect(cs).toHaveLength(2);
    expect(cs.map((c) => c.client.port)).toEqual([40114, 40114]);
    expect(cs.map((c) => c.packets.client + c.packets.server)).toEqual([8, 8]);
    expect(cs.map((c) => c.close!.kind)).toEqual(['clean', 'clean']);
    expect(cs.map((c) => c.close!.initiator)).toEqual(['server', 'server']);
    expect(kinds(cs[1])).toEqual(['ports-reused']);
    expect(cs[1].close!.anomalies[0].packet).toBe(0);
  });

  it('unanswered SYN (listener with a full accept queue): three SYNs, same ISN, nothing back', async () => {
    const c = await one('unanswered-syn');
    const k = c.close!;
    expect(c.packets).toEqual({ client: 3, server: 0 });
    expect([k.kind, k.initiator, k.zeekState, k.history]).toEqual(['unanswered', null, 'S0', 'S']);
    expect(k.anomalies.map((a) => a.kind)).toEqual(['retransmission', 'retransmission']);
    expect(k.explanation).toMatch(/3 SYNs/);
  });

  it('IPv6 (::1) clean close, client first', async () => {
    const c = await one('ipv6-clean');
    expect(c.client.ip).toBe('::1');
    expect(c.server).toEqual({ ip: '::1', port: 40016 });
    expect([c.close!.kind, c.close!.initiator, c.close!.zeekState, c.close!.history]).toEqual(['clean', 'client', 'SF', 'ShADadFf']);
  });

  it('gives the UI a per-connection timeline with relative numbers (clean-client-first)', async () => {
    const s = await load('clean-client-first');
    const p = connectionPackets(s, '0');
    expect(p).toHaveLength(10);
    expect(p.map((x) => (x.fromClient ? 'c' : 's')).join('')).toBe('csccssccsc');
    expect(p.map((x) => [x.relSeq, x.relAck, x.payloadLength])).toEqual([
      [0, 0, 0], [0, 1, 0], [1, 1, 0], [1, 1, 18], [1, 19, 0], [1, 19, 25], [19, 26, 0], [19, 26, 0], [26, 20, 0], [20, 27, 0],
    ]);
    expect(p[0].frame).toBe(1);
    expect(p[9].index).toBe(9);
    expect(p[0].file).toBe('clean-client-first.pcap');
    expect(connectionPackets(s, '7')).toEqual([]);
  });
});
