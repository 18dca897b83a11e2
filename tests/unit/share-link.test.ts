import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeShareFragment, encodeShareFragment } from '../../src/share/link-codec';
import { makeShareState, type LadderPacketLike } from '../../src/share/make-share';
import { DEFAULT_VIEW } from '../../src/share/share-state';
import type { ConnectionReport } from '../../src/model/report';
import { firewallMarks } from '../../src/render/ladder-events';
import type { SharedLadder } from '../../src/share/share-state';

// The seed case's anomalous close and a clean close, as the analysis reports them.
function connection(client: string, cport: number, server: string, explanation: string): ConnectionReport {
  return {
    id: `${client}:${cport}-${server}:443`,
    files: ['inside-capture.txt', 'asa-syslog.log'],
    client: { ip: client, port: cport },
    server: { ip: server, port: 443 },
    start: '2018-06-20T11:58:45.000000Z',
    end: '2018-06-20T12:00:50.443748Z',
    packets: { client: 40, server: 60 },
    payloadBytes: { client: 2000, server: 105000 },
    handshake: 'complete',
    close: {
      fin: { client: true, server: true },
      rst: { client: true, server: true },
      initiator: 'server',
      kind: 'fin-then-rst',
      simultaneous: false,
      finRstTogether: true,
      lateRst: true,
      dataAfterFin: false,
      zeekState: 'RSTR',
      history: 'ShADadFfRr',
      states: {
        client: [{ state: 'ESTABLISHED', packet: 2 }, { state: 'CLOSE_WAIT', packet: 95 }, { state: 'CLOSED', packet: 98 }],
        server: [{ state: 'ESTABLISHED', packet: 2 }, { state: 'FIN_WAIT_1', packet: 95 }, { state: 'FIN_WAIT_2', packet: 96 }, { state: 'CLOSED', packet: 99 }],
      },
      anomalies: [{ packet: 98, kind: 'fin-rst-together' }, { packet: 99, kind: 'rst-after-close' }, { packet: 4, kind: 'retransmission' }],
      tls: null,
      explanation,
    },
    firewall: {
      device: 'asa',
      connId: '47772320',
      built: '2018-06-20T11:58:45Z',
      teardown: { time: '2018-06-20T12:00:50Z', reason: 'TCP FINs', reasonKind: 'fins', from: 'INSIDE' },
      denies: [{ time: '2018-06-20T12:00:50Z', flags: 'RST', interface: 'INSIDE', src: { ip: server, port: 443 }, dst: { ip: client, port: cport }, afterTeardownMs: 0.06, messageId: '106015', cause: 'no-connection' }],
      mapped: { client: { ip: client, port: cport }, server: { ip: '203.0.113.15', port: 443 } },
    },
  };
}

function packets(n: number, t0: number): LadderPacketLike[] {
  return Array.from({ length: n }, (_, i) => ({
    index: 90 + i,
    timeUs: t0 + i * 1234.5,
    fromClient: i % 2 === 0,
    flags: i === n - 3 ? 0x11 : i === n - 1 ? 0x04 : 0x10,
    relSeq: 1000 + i * 1448,
    relAck: 500 + i,
    payloadLength: i < 4 ? 1448 : 0,
    window: 65535,
    anomalies: i === n - 1 ? ['rst-after-close'] : [],
  }));
}

const seedText =
  'The server 10.20.30.15 closed first: it sent FIN at 12:00:47.907 and the client 198.51.100.77 acknowledged it. 2.5 s later the client sent its own FIN and a RST in the same millisecond, and the server answered the FIN with a RST 0.06 ms later. Harmless for the data, which had all arrived, but the firewall had already torn the connection down on the FINs, so it denied the last RST as "no connection".';

const ladders = () => [
  { connection: connection('198.51.100.77', 55132, '10.20.30.15', seedText), packets: packets(10, 1_529_496_047_907_301) },
  { connection: connection('192.0.2.44', 61422, '10.20.30.15', 'The client 192.0.2.44 closed first, the server answered with its FIN after 0.2 ms; both FINs were acknowledged.'), packets: packets(10, 1_529_504_571_372_035) },
];

describe('share links', () => {
  it('round-trips two ladders exactly and stays under 2,000 characters', () => {
    const state = makeShareState(ladders(), DEFAULT_VIEW, { anonymise: false, ports: false, whole: true });
    const fragment = encodeShareFragment(state);
    console.log(`share link for two 10-packet closes: ${fragment.length} characters`);
    expect(fragment.length).toBeLessThan(2000);
    const back = decodeShareFragment('#' + fragment);
    expect(back?.dropped).toEqual([]);
    const withoutIds = (s: typeof state) => ({ ...s, ladders: s.ladders.map((l) => ({ ...l, connection: { ...l.connection, id: '' } })) });
    expect(withoutIds(back!.state)).toEqual(withoutIds(state));
    expect(back?.state.ladders[0].connection.id).toBe('shared:198.51.100.77:55132-10.20.30.15:443');
  });

  // Links made before teardowns carried `reasonKind` (written then; the format is unchanged): one ASA connection,
  // torn down at 12:00:47 with "TCP Reset-O" (first) or "TCP FINs", packets ACK, FIN, ACK, FIN, RST, RST that second.
  const OLD_RESET_LINK = 's=1.o6NVAA.fVnLDoMgEPwha3gbvqJJj2048A3toRf_vbO8FimavRhnEYSZ0YVRQE04cf18adHjO644ACBVDqqRXqGAw-9b04jFFqP411BNTK7eielKO_QkIZ5NQrOc1F3KmahL8zCorzN9CU6jkZ8obOrrmJne2jf29vxtmLj75C1o-AfHf1ARdLuz6Vdf7F2_81vqbAeWGSmt8sY7YbY8g7h_oKjrJquQ1BXWVTqKsLxQ1SeqjgSWwHBSUtopBGMKmG7tNIIxDYw2oBPRKRgygGgl6XKxCIZsCPsP';
  const OLD_FINS_LINK = 's=1.o6NVAA.fVlJDsMgDPxQFJk14iutOPCG9tBL_t4xmyklkS9RxgRiZiYBZgF14aT9_eFJT6-04wCAVTmpRgWNBRx-37pGHLYY6V9DLTG7-iCmO-3wk4geXUKrnNxdzlmoy8gwuK8rfZGk8cgvFLb0dVRmtPZDvL18GxbuvngLHv6N4zdTHC1_MFvu6QRW6KicDjZ4skcpH-7_8NMPlaoM9ZVyjYsUtyeW9JmnM3sVMByT1HYaIZgGZno7gxDMAOPd58xyDoEsIJ5GvtwcQiAX4_kF';
  const teardownAfter = (l: SharedLadder) => {
    const pk = l.packets.map((p) => ({ index: p.i, timeUs: l.t0Us + p.t, fromClient: p.c === 1, flags: p.f, relSeq: p.s, relAck: p.a, payloadLength: p.l, window: p.w, anomalies: p.x }));
    return firewallMarks(l.connection, pk).find((m) => m.kind === 'teardown')?.after;
  };

  it('opens a link made before reasonKind: the reason read from its words, the Teardown at the same packet as then', () => {
    const reset = decodeShareFragment(OLD_RESET_LINK)!;
    expect(reset.dropped).toEqual([]);
    const l = reset.state.ladders[0];
    expect(l.connection.firewall!.teardown).toEqual({ time: '2018-06-20T12:00:47Z', reason: 'TCP Reset-O', reasonKind: 'other-reset', from: 'outside' });
    expect(teardownAfter(l)).toBe(4); // the first RST
    const fins = decodeShareFragment(OLD_FINS_LINK)!.state.ladders[0];
    expect(fins.connection.firewall!.teardown!.reasonKind).toBe('other-fin');
    expect(teardownAfter(fins)).toBe(3); // the last FIN
  });

  it("the ladder places the Teardown by the normalised reason, not by the vendor's words", () => {
    const l = decodeShareFragment(OLD_FINS_LINK)!.state.ladders[0];
    const td = l.connection.firewall!.teardown!;
    const at = (reason: string, reasonKind: typeof td.reasonKind) => teardownAfter({ ...l, connection: { ...l.connection, firewall: { ...l.connection.firewall!, teardown: { ...td, reason, reasonKind } } } });
    expect(at('close', 'fins')).toBe(3); // FortiGate's words for a close with FINs
    expect(at('server-rst', 'reset-server')).toBe(4);
    expect(at('TCP FINs', 'reset-outside')).toBe(4); // the kind decides, whatever the text says
    expect(at('Idle Timeout', 'idle-timeout')).toBe(3); // no close packet implied: the last FIN, as before
    const round = decodeShareFragment(encodeShareFragment(makeShareState([{ connection: { ...l.connection, firewall: { ...l.connection.firewall!, teardown: { ...td, reasonKind: 'fins' } } }, packets: [] }], DEFAULT_VIEW, { anonymise: false, ports: false, whole: true })))!;
    expect(round.state.ladders[0].connection.firewall!.teardown!.reasonKind).toBe('fins');
  });

  it('keeps firewall endpoints named with long object names (no pseudonyms)', () => {
    // A log names endpoints by object names: an ASA object name has up to 64 characters, an FQDN object more.
    const long = `inside:${'web-frontend-production-cluster-'.repeat(3)}east`;
    const fqdn = `outside:${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example.com`;
    const ls = ladders();
    const fw = ls[0].connection.firewall!;
    fw.denies = [{ ...fw.denies[0], src: { ip: long, port: 443 }, dst: { ip: fqdn, port: 55132 } }];
    fw.mapped = { client: { ip: fqdn, port: 55132 }, server: { ip: long, port: 443 } };
    expect(long.length).toBeGreaterThan(64);
    const state = makeShareState(ls, DEFAULT_VIEW, { anonymise: false, ports: false, whole: true });
    const back = decodeShareFragment('#' + encodeShareFragment(state))!;
    expect(back.dropped).toEqual([]);
    const got = back.state.ladders[0].connection.firewall!;
    expect(got.denies.map((d) => [d.src.ip, d.dst.ip])).toEqual([[long, fqdn]]);
    expect(got.mapped).toEqual(fw.mapped);
  });

  it('anonymised links contain none of the original addresses, consistently mapped', () => {
    const state = makeShareState(ladders(), DEFAULT_VIEW, { anonymise: true, ports: true, whole: true });
    const json = JSON.stringify(state);
    for (const ip of ['198.51.100.77', '10.20.30.15', '192.0.2.44', '203.0.113.15']) expect(json).not.toContain(ip);
    for (const port of ['55132', '61422']) expect(json).not.toContain(port);
    expect(json).not.toContain('inside-capture.txt');
    const [a, b] = state.ladders;
    expect(a.connection.server.ip).toBe(b.connection.server.ip); // same server, same pseudonym
    expect(a.connection.close?.explanation).toContain(a.connection.server.ip);
    expect(a.connection.server.port).toBe(443); // well-known ports are kept
    expect(encodeShareFragment(state).length).toBeLessThan(2000);
  });

  it('trims to the close by default and keeps packet indices', () => {
    const state = makeShareState(ladders(), DEFAULT_VIEW, { anonymise: false, ports: false, whole: false });
    const l = state.ladders[0];
    expect(l.totalPackets).toBe(10);
    expect(l.packets[0].i).toBe(93); // CLOSE_LEAD (4) packets before the first FIN at index 97, as the explorer draws it
    expect(l.connection.close?.anomalies.map((a) => a.packet)).toEqual([98, 99]);
  });

  it('a truncated link keeps the ladders before the damage and says what it dropped', () => {
    const fragment = encodeShareFragment(makeShareState(ladders(), DEFAULT_VIEW, { anonymise: false, ports: false, whole: true }));
    const cut = decodeShareFragment(fragment.slice(0, fragment.length - 40));
    expect(cut?.state.ladders).toHaveLength(1);
    expect(cut?.dropped.join(' ')).toMatch(/ladder 2 was damaged or cut off/);
  });

  it('a newer-version link shows what it can', () => {
    const fragment = encodeShareFragment(makeShareState(ladders(), DEFAULT_VIEW, { anonymise: false, ports: false, whole: true }));
    const newer = decodeShareFragment(fragment.replace(/^s=1\./, 's=7.'));
    expect(newer?.state.ladders).toHaveLength(2);
    expect(newer?.dropped[0]).toMatch(/newer Teardown/);
  });

  it('never throws on arbitrary fragments', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string({ unit: 'grapheme-ascii' }), { maxLength: 4 }), (head, parts) => {
        const r = decodeShareFragment(`s=${head}.${parts.join('.')}`);
        expect(r === null || Array.isArray(r.dropped)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
