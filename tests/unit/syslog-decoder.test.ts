// The streaming ASA syslog decoder: ByteSource slices, CRLF, BOM, UTF-8 across slices, the Apache-2.0
// logstash spec samples, the seed log, and fuzzing (never throws, problems name the file and line).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { decodeTextInput } from '../../src/decode/text/index';
import { copyFirewallEvent, type FirewallEvent } from '../../src/model/firewall';
import { createProblemLog } from '../../src/model/problems';
import type { InputReport } from '../../src/model/report';
import { RST, SYN } from '../../src/model/segment';
import { decodeLines } from './syslog-helpers';

const FIX = new URL('../fixtures/', import.meta.url);

function smallSlices(name: string, bytes: Uint8Array, size: number): ByteSource {
  const base = createBytesSource(name, bytes);
  return { ...base, slices: (offset = 0) => base.slices(offset, size) };
}

async function decodeBytes(name: string, bytes: Uint8Array, sliceSize = 7, year?: number) {
  const problems = createProblemLog(name);
  const report: InputReport = { file: name, format: 'asa-syslog', bytes: 0, linkTypes: [], packets: 0, tcpPackets: 0, skipped: {}, warnings: [], errors: [] };
  const events: FirewallEvent[] = [];
  await decodeTextInput('asa-syslog', smallSlices(name, bytes, sliceSize), 0, {
    segments: { segment() {} },
    firewall: { event: (e) => events.push(copyFirewallEvent(e as FirewallEvent)) },
  }, { problems, year }, report);
  return { events, problems, report };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('streaming syslog decoder', () => {
  it('decodes the seed log in 7-byte slices with CRLF line ends and a BOM, same as in one piece', async () => {
    const text = readFileSync(new URL('seed/asa-syslog.log', FIX), 'utf8');
    const whole = await decodeBytes('asa-syslog.log', enc(text), 1 << 20);
    const crlf = await decodeBytes('asa-syslog.log', enc('\ufeff' + text.replace(/\n/g, '\r\n')), 7);
    expect(crlf.events.map((e) => [e.line, e.messageId, e.timeUs])).toEqual(whole.events.map((e) => [e.line, e.messageId, e.timeUs]));
    expect(whole.events.map((e) => e.messageId)).toEqual(['302013', '302014', '106015', '609001', '302013', '302014', '609002']);
    expect(whole.report).toMatchObject({ packets: 7, bytes: text.length, firewallEvents: 7 });
    expect(whole.report.firewallMessages).toEqual({ '106015': 1, '302013': 2, '302014': 2, '609001': 1, '609002': 1 });
    const deny = whole.events[2];
    expect(deny).toMatchObject({ line: 3, tcpFlags: RST, iface: 'INSIDE', file: 'asa-syslog.log' });
    expect(new Date(deny.timeUs / 1000).toISOString()).toBe('2018-06-20T12:00:50.000Z');
  });

  it('keeps non-ASCII user names intact across slice boundaries', async () => {
    const line = 'Nov 17 2023 11:05:08: %ASA-6-302014: Teardown TCP connection 2 for outside:192.0.2.15/63790(LOCAL\\Speciäl Ö01) to inside:10.0.0.1/53 duration 0:35:58 bytes 27451 TCP FINs from outside (Speciäl Ö01)\n';
    for (const size of [1, 2, 3, 5, 64]) {
      const { events } = await decodeBytes('u.log', enc(line + line), size);
      expect(events.map((e) => e.user)).toEqual(['Speciäl Ö01', 'Speciäl Ö01']);
      expect(events[1].line).toBe(2);
    }
  });

  it('decodes every tagged line of the logstash-patterns-core spec with a supported ID into the right fields', () => {
    const spec = readFileSync(new URL('asa/logstash__firewalls_spec.rb', FIX), 'utf8');
    const lines = [...spec.matchAll(/["']([^"'\n]*(?:ASA|PIX|FTD)-\d-\d{6}[^"'\n]*)["']/g)].map((m) => m[1]).filter((l) => l.length > 20);
    const d = decodeLines(lines, { year: 2020 });
    const byId = new Map(d.events.map((e) => [e.messageId, e]));
    expect([...byId.keys()].sort()).toEqual(['106001', '106006', '106014', '106021', '302013', '313001', '419001', '419002']);
    expect(d.events).toHaveLength(9); // 302013 twice
    expect(d.skipped).toEqual({});
    expect(byId.get('106001')).toMatchObject({ tcpFlags: SYN, iface: 'out111', src: { addr: '192.168.2.2', port: 43803 }, dst: { addr: '10.10.10.10', port: 14322 } });
    expect(byId.get('106006')).toMatchObject({ protocol: 'udp', direction: 'inbound', iface: 'fw111', src: { port: 65020 }, dst: { port: 65021 } });
    expect(byId.get('106014')).toMatchObject({ icmp: { type: 8, code: 0 }, src: { iface: 'fw111', addr: '10.10.10.10' }, dst: { iface: 'fw111', addr: '10.10.10.11' } });
    expect(byId.get('313001')).toMatchObject({ icmp: { type: 3, code: 3 }, iface: 'Outside', src: { addr: '10.2.3.5' } });
    expect(byId.get('419001')).toMatchObject({ reason: 'MSS exceeded, MSS 1380, data 1460', src: { iface: 'outside', port: 80 }, dst: { iface: 'inside', port: 49043 } });
    expect(byId.get('419002')).toMatchObject({ src: { iface: 'OUTSIDE', addr: '10.10.66.2', port: 65087 }, dst: { iface: 'INSIDE', addr: '10.10.1.6', port: 443 } });
    expect(byId.get('106021')).toMatchObject({ protocol: 'tcp', cause: 'spoofing', iface: 'fw111', src: { addr: '192.168.2.2', port: -1 }, dst: { addr: '10.10.10.10', port: -1 } });
    const built = d.events.filter((e) => e.messageId === '302013');
    expect(built[0]).toMatchObject({ direction: 'outbound', connId: '11757', src: { iface: 'outside', addr: '100.66.205.104', port: 80 }, dst: { iface: 'inside', addr: '172.31.98.44', port: 1772 } });
    expect(built[1]).toMatchObject({ device: 'abc-asa1', connId: '906569140', dst: { iface: 'ent-v1124', mappedAddr: '10.125.1.11', mappedPort: 37785 } });
    expect(new Date(built[1].timeUs / 1000).toISOString()).toBe('2020-08-01T14:01:20.000Z');
    expect(d.messages).toMatchObject({ '106021': 1, '402117': 1, '710001': 1, '733100': 1 });
  });
});

describe('syslog decoder fuzzing', () => {
  const seed = readFileSync(new URL('seed/asa-syslog.log', FIX), 'utf8').split('\n').filter(Boolean);
  const spec = readFileSync(new URL('asa/logstash__firewalls_spec.rb', FIX), 'utf8');
  const samples = [...seed, ...[...spec.matchAll(/["'](%?(?:ASA|PIX)-\d-\d{6}[^"'\n]*)["']/g)].map((m) => `Jun 20 2018 11:58:45 : ${m[1]}`)];

  /** A line mutated: cut, chars replaced/duplicated/deleted, tokens swapped. */
  const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 4 })), { maxLength: 6 }), fc.nat())
    .map(([line, edits, cut]) => {
      let s = line;
      for (const [a, b, ins] of edits) {
        const i = a % (s.length + 1);
        const j = Math.min(s.length, i + (b % 5));
        s = s.slice(0, i) + ins + s.slice(j);
      }
      return cut % 4 === 0 ? s.slice(0, cut % (s.length + 1)) : s;
    });

  it('never throws, keeps good lines, every problem names the file and a line', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.oneof(mutated, fc.string({ maxLength: 80 }), fc.constantFrom(...samples)), { maxLength: 30 }), async (lines) => {
      const text = lines.join('\n');
      const { events, problems } = await decodeBytes('fuzz.log', enc(text), 13, 2018);
      for (const p of [...problems.warnings, ...problems.errors]) {
        expect(p.file).toBe('fuzz.log');
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.line).toBeLessThanOrEqual(lines.length);
      }
      // Unmutated sample lines decode exactly as alone.
      lines.forEach((l, i) => {
        if (!samples.includes(l)) return;
        const alone = decodeLines([l], { year: 2018 }).events;
        const got = events.filter((e) => e.line === i + 1);
        expect(got.map((e) => e.messageId)).toEqual(alone.map((e) => e.messageId));
        if (alone.length) expect({ ...got[0], line: 0, file: '' }).toEqual({ ...alone[0], line: 0, file: '' });
      });
    }), { numRuns: 300 });
  });

  it('survives random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
      const { problems } = await decodeBytes('bytes.log', bytes, 11);
      for (const p of problems.warnings) expect(p.file).toBe('bytes.log');
    }), { numRuns: 200 });
  });
});
