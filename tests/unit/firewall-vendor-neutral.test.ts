/**
 * The firewall analysis and the ladder key on the normalised deny cause, not on an ASA message id: only the decoder
 * knows that 106015 means "a TCP packet with no connection". A deny with that cause and another vendor's id is
 * counted, classed and explained the same way (named by its own id); an ICMP error about a TCP flow (313005, cause
 * no-connection too) is listed but is not a TCP no-connection deny.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { firewallMarks } from '../../src/render/ladder-events';
import { noConnectionMessageIds } from '../../src/analysis/firewall/message-numbers';
import { summaryText } from '../../src/cli/output';
import { decodeLines } from './syslog-helpers';
import { analyzeLog, firewallOf } from './firewall-session-helpers';

const H = '<166>Jun 20 2018 12:00:';
const lines = [
  `${H}00 fw1 : %ASA-6-302013: Built inbound TCP connection 1 for outside:198.51.100.9/1000 (198.51.100.9/1000) to inside:10.0.0.5/443 (203.0.113.5/443)`,
  `${H}10 fw1 : %ASA-6-302014: Teardown TCP connection 1 for outside:198.51.100.9/1000 to inside:10.0.0.5/443 duration 0:00:10 bytes 999 TCP FINs from inside`,
  `${H}10 fw1 : %ASA-6-106015: Deny TCP (no connection) from 10.0.0.5/443 to 198.51.100.9/1000 flags RST  on interface inside`,
  `${H}11 fw1 : %ASA-4-313005: No matching connection for ICMP error message: icmp src outside:198.51.100.9 dst inside:10.0.0.5 (type 3, code 3) on outside interface.  Original IP payload: tcp src 10.0.0.5/443 dst 198.51.100.9/1000.`,
];

describe('deny causes, not message ids', () => {
  it('the decoder gives 106015 and 313005 the cause no-connection; only the TCP deny is counted and classed', async () => {
    const events = decodeLines(lines, { year: 2018 }).events;
    expect(events.slice(2).map((e) => [e.messageId, e.kind, e.cause, e.protocol])).toEqual([
      ['106015', 'deny', 'no-connection', 'tcp'],
      ['313005', 'icmp-error', 'no-connection', 'icmp'],
    ]);
    const r = firewallOf(await analyzeLog(lines));
    expect(r.summary).toMatchObject({ denies106015: 1, deniesLateClose: 1, deniesUnknown: 0 });
    const fw = r.correlation.syslogConnections.at(0)!.firewall!;
    // Both joined the connection (313005 by the TCP flow inside it), each with its cause and the vendor's id.
    expect(fw.denies.map((d) => [d.messageId, d.cause])).toEqual([['106015', 'no-connection'], ['313005', 'no-connection']]);
    expect(fw.explanation).toContain('denied as "no connection" (106015 on inside): a late packet of this connection.');
    expect(fw.explanation).toContain('Also logged for this connection: 1× 313005.');
  });

  it("another vendor's no-connection deny is counted, classed and explained by its own id", async () => {
    const r = firewallOf(await analyzeLog(lines.slice(0, 3), { edit: (e, i) => i === 2 && (e.messageId = '900001') }));
    expect(r.summary).toMatchObject({ denies106015: 1, deniesLateClose: 1 });
    const fw = r.correlation.syslogConnections.at(0)!.firewall!;
    expect(fw.denies).toMatchObject([{ messageId: '900001', cause: 'no-connection', flags: 'RST' }]);
    expect(fw.explanation).toContain('denied as "no connection" (900001 on inside)');
    expect(fw.explanation).not.toContain('106015');
  });

  it('a 106015 with another cause is not classed (the cause decides, not the id)', async () => {
    const r = firewallOf(await analyzeLog(lines.slice(0, 3), { edit: (e, i) => i === 2 && (e.cause = 'security-policy') }));
    expect(r.summary).toMatchObject({ denies106015: 0, deniesLateClose: 0 });
    expect(r.correlation.syslogConnections.at(0)!.firewall!.explanation).toContain('Also logged for this connection: 1× 106015.');
  });

  it("the ladder says '(no connection)' by the deny's cause", async () => {
    const dir = new URL('../fixtures/seed/', import.meta.url);
    const files = ['asa-syslog.log', 'inside-capture.txt'];
    const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, dir))))));
    const d = ladderData(s, s.reports.toArray().find((c) => c.firewall?.denies.length)!);
    const deny = d.connection.firewall!.denies[0];
    const textOf = (messageId: string, cause: typeof deny.cause) => {
      const connection = { ...d.connection, firewall: { ...d.connection.firewall!, denies: [{ ...deny, messageId, cause }] } };
      return firewallMarks(connection, d.packets).find((m) => m.kind === 'deny')!.text;
    };
    expect(textOf('106015', 'no-connection')).toBe('106015 Deny RST (no connection)');
    expect(textOf('900001', 'no-connection')).toBe('900001 Deny RST (no connection)');
    expect(textOf('106015', 'access-rule')).toBe('106015 Deny RST');
  });

  it("message ids are kept as the vendor's text: not numbers, not padded, no ASA id made up", async () => {
    // Ids as other vendors print them: words, and a ten-digit number with leading zeros (FortiGate's logid shape).
    const ids = ['TRAFFIC start', 'TRAFFIC end', '0000000013'];
    const r = firewallOf(await analyzeLog(lines.slice(0, 3), { edit: (e, i) => (e.messageId = ids[i]) }));
    const { log, join } = r;
    expect(r.summary).toMatchObject({ denies106015: 1, deniesLateClose: 1, connectionLogging: true, deniesByMessage: { '0000000013': 1 } });
    const fw = r.correlation.syslogConnections.at(0)!.firewall!;
    expect(fw.messageIds).toEqual(['TRAFFIC start', 'TRAFFIC end']);
    expect(fw.denies.map((d) => d.messageId)).toEqual(['0000000013']);
    expect(fw.explanation).toContain('(0000000013 on inside)');
    expect(JSON.stringify(fw)).not.toMatch(/30201|106015/);
    // The flow table's numeric column reads a decimal id as its number, and a word as none.
    expect(log.messageNumber(log.conns.builtMsg[0])).toBe(0);
    expect(log.messageNumber(log.denies.messageId[0])).toBe(13);
    expect(join.noConnectionLogging).toBe(false);
  });

  it("the command line's summary names those denies by the log's own ids, and a log without connection messages without ASA ids", async () => {
    const summaryOf = async (logLines: string[], denyId?: string) => {
      const s = await analyzeLog(logLines, { edit: (e) => e.kind === 'deny' && denyId !== undefined && (e.messageId = denyId) });
      const { log } = firewallOf(s);
      const text = summaryText({ inputs: [], summary: s.summary }, noConnectionMessageIds(log.denies, log.names));
      // Less the decoder's count of the lines it read by their (ASA) ids: the ids edited here are the events'.
      return text.split('\n').filter((l) => !l.startsWith('firewall messages by id')).join('\n');
    };
    const three = lines.slice(0, 3);
    expect(await summaryOf(three)).toContain('firewall 106015 "no connection" denies: 1 (1 late packets');
    const other = await summaryOf(three, '0000000013');
    expect(other).toContain('firewall 0000000013 "no connection" denies: 1 (1 late packets');
    expect(other).not.toMatch(/106015|30201/);
    expect(await summaryOf(three.slice(0, 2))).toContain('firewall TCP "no connection" denies: 0 (0 late packets');
    const denyOnly = await summaryOf(three.slice(2), '0000000013');
    expect(denyOnly).toContain('the log has no connection messages (Built/Teardown) at all');
    expect(denyOnly).not.toMatch(/106015|30201/);
  });
});
