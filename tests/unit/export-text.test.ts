import { describe, expect, it } from 'vitest';
import { ladderToMermaid } from '../../src/export/mermaid';
import { connectionsToCsv } from '../../src/export/csv';
import type { SharedLadder } from '../../src/share/share-state';
import type { ConnectionReport } from '../../src/model/report';

const conn: ConnectionReport = {
  id: 'c1',
  files: ['a "b".pcap'],
  client: { ip: '198.51.100.77', port: 55132 },
  server: { ip: '10.20.30.15', port: 443 },
  start: '2018-06-20T12:00:47.907301Z',
  end: '2018-06-20T12:00:50.443748Z',
  packets: { client: 3, server: 2 },
  payloadBytes: { client: 0, server: 0 },
  handshake: 'none',
  firewall: {
    device: 'asa1',
    connId: '47772320',
    built: null,
    teardown: { time: '2018-06-20T12:00:50Z', reason: 'TCP FINs', reasonKind: 'fins', from: 'INSIDE' },
    denies: [{ time: '2018-06-20T12:00:50Z', flags: 'RST', interface: 'INSIDE', src: { ip: '10.20.30.15', port: 443 }, dst: { ip: '198.51.100.77', port: 55132 }, afterTeardownMs: 0, messageId: '106015', cause: 'no-connection' }],
    mapped: null,
  },
};

// The seed case's inside capture: server FIN, client ACK, client FIN, client RST, server RST (dropped).
const seed: SharedLadder = {
  connection: conn,
  // 12:00:47.907301, the server's FIN (the log's stamps are whole seconds of the same day).
  t0Us: Date.UTC(2018, 5, 20, 12, 0, 47) * 1000 + 907301,
  totalPackets: 5,
  packets: [
    { t: 0, c: 0, f: 0x11, s: 1, a: 1, l: 0, w: 65535, x: [], v: 3, i: 0 },
    { t: 45179, c: 1, f: 0x10, s: 1, a: 2, l: 0, w: 65535, x: [], v: 3, i: 1 },
    { t: 2536386, c: 1, f: 0x11, s: 1, a: 2, l: 0, w: 65535, x: [], v: 3, i: 2 },
    { t: 2536386, c: 1, f: 0x14, s: 2, a: 2, l: 0, w: 0, x: ['fin-rst-together'], v: 3, i: 3 },
    { t: 2536447, c: 0, f: 0x04, s: 2, a: 0, l: 0, w: 0, x: ['rst-after-close'], v: 1, i: 4 },
  ],
};

describe('Mermaid export', () => {
  it('draws every packet, the firewall lane, the dropped RST and the log events', () => {
    const text = ladderToMermaid(seed);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines.filter((l) => /^\s+[CS](->>|-x)/.test(l))).toHaveLength(5);
    expect(text).toContain('participant F as Firewall asa1');
    // A segment without ACK shows no ack number (#16 item 5).
    expect(text).toMatch(/S-x F: RST seq 2 \(\+0\.061 ms\) rst-after-close \(not seen beyond the firewall\)/);
    expect(text).not.toContain('ack 0');
    // Firewall notes in time order: the deny right after the RST it denies.
    const rst = lines.findIndex((l) => l.includes('S-x F: RST'));
    expect(lines[rst + 1]).toMatch(/^\s+Note over F: Deny RST on INSIDE \(106015\)/);
    expect(text).toContain('Note over F: Teardown TCP FINs from INSIDE');
    expect(lines.findIndex((l) => l.includes('Teardown'))).toBeLessThan(rst);
  });
  it('keeps Mermaid syntax out of labels taken from files', () => {
    const evil = { ...seed, connection: { ...conn, firewall: { ...conn.firewall!, device: 'x;\nNote over C: <script>#' } } };
    const text = ladderToMermaid(evil);
    expect(text).not.toContain('<script>');
    expect(text.split('\n').filter((l) => l.includes('participant F'))).toHaveLength(1);
  });
});

describe('CSV export', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    const csv = connectionsToCsv([{ ...conn, id: '=HYPERLINK("x")' }]);
    const [header, row] = csv.split('\r\n');
    expect(header.split(',')[0]).toBe('id');
    expect(row.startsWith(`"'=HYPERLINK(""x"")"`)).toBe(true);
    expect(row).toContain('"a ""b"".pcap"');
    expect(row).toContain('198.51.100.77:55132,10.20.30.15:443');
  });
});

import { writeCapture } from '../../src/export/pcap-writer';

describe('capture writer', () => {
  it('writes pcap for one link type, pcapng for several or for frames past 256 KiB', () => {
    const frame = (len: number, linkType = 1) => ({ timeUs: 1_700_000_000_123_456, linkType, data: new Uint8Array(len), originalLength: len });
    const magic = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);
    expect(magic(writeCapture([frame(60), frame(60)]))).toBe(0xa1b23c4d);
    expect(magic(writeCapture([frame(60), frame(60, 101)]))).toBe(0x0a0d0d0a);
    expect(magic(writeCapture([frame(300_000)]))).toBe(0x0a0d0d0a);
  });
});
