// Teardown reasons (#14): the ASA/FTD decoder's words for each normalised reason (model/teardown-reasons.ts), spelled
// as Cisco's 302014 reasons table and devices print them (formats.md §1.3), and what the analysis reads from the
// code the decoder stored: the explanation's phrase and the side sentence.
import { describe, expect, it } from 'vitest';
import { TEARDOWN_REASONS, isTimeoutReason } from '../../src/model/teardown-reasons';
import { ASA_TEARDOWN_REASONS, teardownReasonName, teardownReasonSpelling } from '../../src/decode/text/syslog-teardown-reasons';
import { analyzeText } from './syslog-story';

describe('teardown reasons', () => {
  it('Cisco spellings (with or without spaces around the dash, any case) are one reason each', () => {
    const cases: [string | null, string][] = [
      ['TCP FINs', 'fins'], ['TCP Reset-I', 'reset-inside'], ['TCP Reset - I', 'reset-inside'], ['TCP Reset - O', 'reset-outside'],
      ['TCP Reset - APPLIANCE', 'reset-by-firewall'], ['TCP Reset-APPLIANCE', 'reset-by-firewall'], ['SYN Timeout', 'syn-timeout'],
      ['FIN Timeout', 'fin-timeout'], ['Idle Timeout', 'idle-timeout'], ['Conn-timeout', 'conn-timeout'], ['Flow timed out', 'flow-timed-out'],
      ['Connection timeout', 'connection-timeout'], ['Flow timed out with reset', 'timed-out-with-reset'], ['Deny Terminate', 'inspection-deny'],
      ['Flow closed by inspection', 'closed-by-inspection'], ['Xlate Clear', 'admin-clear'], ['tcp fins', 'fins'],
      ['Flow reset by IPS', 'other-reset'], ['Probe received FIN', 'other-fin'], ['Pinhole Timeout', 'other'], ['  ', 'none'], [null, 'none'],
    ];
    for (const [text, name] of cases) expect([text, teardownReasonName(text)]).toEqual([text, name]);
  });

  it("Cisco's spelling of each reason is what the ASA/FTD decoder makes of it, and is its own spelling", () => {
    for (const [, name, spelling] of ASA_TEARDOWN_REASONS) {
      expect([spelling, teardownReasonName(spelling), teardownReasonSpelling(spelling)]).toEqual([spelling, name, null]);
      expect(TEARDOWN_REASONS.find((r) => r.name === name)?.asWritten).toBe(false);
    }
  });

  it("a text written otherwise gets Cisco's spelling; a reason no table knows keeps its text", () => {
    expect(teardownReasonSpelling('TCP Reset - I')).toBe('TCP Reset-I');
    expect(teardownReasonSpelling('tcp fins')).toBe('TCP FINs');
    expect(teardownReasonSpelling(' TCP FINs')).toBe('TCP FINs');
    expect(teardownReasonSpelling('Pinhole Timeout')).toBe(null);
    expect(teardownReasonSpelling(null)).toBe(null);
    const asWritten = TEARDOWN_REASONS.filter((r) => r.asWritten).map((r) => r.name);
    expect(asWritten).toEqual(['none', 'other', 'other-reset', 'other-fin']);
  });

  it('timeouts are the firewall ending the connection, not an endpoint', () => {
    const timeouts = TEARDOWN_REASONS.filter((_, i) => isTimeoutReason(i)).map((r) => r.name);
    expect(timeouts).toEqual(['syn-timeout', 'fin-timeout', 'idle-timeout', 'conn-timeout', 'flow-timed-out', 'connection-timeout', 'timed-out-with-reset']);
  });

  it('the explanation reads the stored reason: its phrase, and an RST side for a reset', async () => {
    const line = (reason: string) =>
      `2024-03-05T12:00:50Z fw %ASA-6-302014: Teardown TCP connection 4711 for outside:198.51.100.77/55132 to inside:10.20.30.15/443 duration 0:02:05 bytes 10 ${reason} from inside`;
    const explain = async (reason: string) => (await analyzeText('f.log', `${line(reason)}\n`)).connections[0].firewall?.explanation;
    expect(await explain('TCP Reset - I')).toContain('"TCP Reset - I" from inside, an RST that came from the inside (higher-security) interface. Per the log the RST came from the server\'s side (inside).');
    expect(await explain('Conn-timeout')).toContain('"Conn-timeout" from inside, the idle timeout on the firewall. Per the log the server\'s side (inside) started the close.');
    expect(await explain('Flow reset by IPS')).toContain('"Flow reset by IPS" from inside. Per the log the RST came from');
  });
});
