/** Share links are untrusted input: hand-made parts must neither crash the views nor exhaust memory. */
import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { encodeBase64url } from '../../src/lib/base64url';
import { decodeShareFragment, MAX_PART_JSON } from '../../src/share/link-codec';
import { SHARE_DICTIONARY_V1 } from '../../src/share/dictionary';
import { anonymiseJson, collectAddresses, createPseudonymizer } from '../../src/share/anonymise';
import { connectionsToCsv } from '../../src/export/csv';
import { ladderToMermaid } from '../../src/export/mermaid';

const packBytes = (bytes: Uint8Array) => encodeBase64url(deflateSync(bytes, { level: 9, dictionary: SHARE_DICTIONARY_V1 }));
const pack = (value: unknown) => packBytes(strToU8(JSON.stringify(value)));
const view = pack({ timeMode: 'even' });

describe('share links from strangers', () => {
  it('fills in missing nested lists so the views can read them (regression: close without states)', () => {
    const connection = {
      client: { ip: '192.0.2.1', port: 50000 },
      server: { ip: '192.0.2.2', port: 443 },
      close: { kind: 'reset', states: { client: 'x', server: [{ state: 'CLOSED', packet: 1 }, { state: 7 }] }, anomalies: 5, tls: 'no' },
      firewall: { device: 3, teardown: { reason: 'TCP Reset-I' } },
      vantage: { points: ['a', 2] },
    };
    const packets = [[0, 1, 4, 1, 1, 0, 0, 0, 0, 'rst-after-close']];
    const d = decodeShareFragment(`#s=1.${view}.${pack({ connection, t0Us: 0, packets })}`)!;
    const c = d.state.ladders[0].connection;
    expect(c.close!.states).toEqual({ client: [], server: [{ state: 'CLOSED', packet: 1 }] });
    expect(c.close!.anomalies).toEqual([]);
    expect(c.close!.fin).toEqual({ client: false, server: false });
    expect(c.close!.tls).toBeNull();
    expect(c.firewall).toMatchObject({ device: '', denies: [], mapped: null, teardown: { reason: 'TCP Reset-I', reasonKind: 'other-reset', from: null } });
    expect(c.vantage).toEqual({ points: ['a'], dropped: [], clockOffsetMs: 0 });
    expect(connectionsToCsv([c])).toContain('reset');
    expect(ladderToMermaid(d.state.ladders[0])).toContain('Teardown TCP Reset-I');
  });

  it('refuses a part that inflates past the cap instead of allocating it (regression: deflate bomb)', () => {
    // A valid ladder followed by megabytes of JSON whitespace: it parses whole if nothing caps it.
    const ladder = strToU8(JSON.stringify({ connection: { client: { ip: '192.0.2.1', port: 1 }, server: { ip: '192.0.2.2', port: 2 } }, packets: [] }));
    const json = new Uint8Array(MAX_PART_JSON + 1024).fill(0x20);
    json.set(ladder);
    const bomb = packBytes(json);
    expect(bomb.length).toBeLessThan(20000);
    const d = decodeShareFragment(`#s=1.${view}.${bomb}`)!;
    expect(d.state.ladders).toEqual([]);
    expect(d.dropped.join(" ")).toMatch(/ladder 1 is larger than Teardown draws/);
  });
});

describe('pseudonyms in free text', () => {
  it('replaces each port once, even when a pseudonym equals another real port (regression)', () => {
    const p = createPseudonymizer(['198.51.100.77', '10.20.30.15'], { ports: true });
    p.ip('198.51.100.77');
    p.ip('10.20.30.15');
    expect(p.port(55132)).toBe(50000);
    expect(p.port(50000)).toBe(50001);
    expect(p.text('from 198.51.100.77:55132 to 10.20.30.15:50000')).toBe('from 192.0.2.1:50000 to 192.0.2.2:50001');
  });

  it('rewrites only what the analysis registered, never a number that looks like an address or a port (issue 16)', () => {
    const p = createPseudonymizer(['198.51.100.77', '4.2.2.13'], { ports: true });
    p.ip('198.51.100.77');
    p.port(9293);
    p.port(1122);
    const prose = 'a FIN (RFC 1122 4.2.2.13, RFC 9293 3.6) from 198.51.100.77:9293, or port 9293 of 10.9.8.7';
    expect(p.text(prose)).toBe('a FIN (RFC 1122 4.2.2.13, RFC 9293 3.6) from 192.0.2.1:50000, or port 50000 of 10.9.8.7');
  });

  it('pseudonymises a connection\'s endpoints, firewall device and the prose naming them, and nothing else', () => {
    const conn = {
      client: { ip: '198.51.100.77', port: 55132 }, server: { ip: '10.20.30.15', port: 443 },
      firewall: { device: '10.0.0.254', explanation: 'Firewall 10.0.0.254 tore 198.51.100.77:55132 down (RFC 1122 4.2.2.13).' },
    };
    const p = createPseudonymizer(collectAddresses(conn), { ports: false });
    const out = anonymiseJson(conn, p);
    expect(out.firewall.explanation).toBe('Firewall 192.0.2.3 tore 192.0.2.1:55132 down (RFC 1122 4.2.2.13).');
    expect(out.firewall.device).toBe('192.0.2.3');
    expect(JSON.stringify(out)).not.toMatch(/198\.51\.100\.77|10\.20\.30\.15|10\.0\.0\.254/);
  });

  it('does not rewrite an IPv6 address inside a longer one, nor its first group as a port', () => {
    const p = createPseudonymizer(['2001:db8::1', '2001:db8::1f'], { ports: true });
    p.ip('2001:db8::1');
    p.ip('2001:db8::1f');
    p.port(2001);
    expect(p.text('2001:db8::1 and [2001:DB8::1F]:2001')).toBe('2001:db8::2 and [2001:db8::3]:50000');
  });
});
