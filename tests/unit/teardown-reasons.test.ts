// Teardown reasons (#14): the ASA/FTD decoder's words for each normalised reason (model/teardown-reasons.ts), spelled
// as Cisco's 302014 reasons table and devices print them (formats.md §1.3), and what the analysis reads from the
// code the decoder stored: the explanation's phrase and the side sentence.
import { describe, expect, it } from 'vitest';
import { TEARDOWN_REASONS, TEARDOWN_REASON, isTimeoutReason, reasonLabel } from '../../src/model/teardown-reasons';
import { teardownReasonName } from '../../src/decode/text/syslog-teardown-reasons';
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

  it('every reason with a spelling of its own is what the decoder makes of that spelling', () => {
    for (const r of TEARDOWN_REASONS) if (r.label) expect(teardownReasonName(r.label)).toBe(r.name);
  });

  it('timeouts are the firewall ending the connection, not an endpoint; labels fall back to the vendor text', () => {
    const timeouts = TEARDOWN_REASONS.filter((_, i) => isTimeoutReason(i)).map((r) => r.name);
    expect(timeouts).toEqual(['syn-timeout', 'fin-timeout', 'idle-timeout', 'conn-timeout', 'flow-timed-out', 'connection-timeout', 'timed-out-with-reset']);
    expect(reasonLabel(TEARDOWN_REASON['reset-inside'], 'TCP Reset - I')).toBe('TCP Reset-I');
    expect(reasonLabel(TEARDOWN_REASON.other, ' Pinhole Timeout ')).toBe('Pinhole Timeout');
    expect(reasonLabel(TEARDOWN_REASON.none, null)).toBe('');
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
