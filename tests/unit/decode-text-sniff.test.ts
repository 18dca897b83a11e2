/**
 * The text formats' votes live with their decoders and the registry collects them: each text entry of
 * decode/formats.ts votes for a line of its own grammar and not for the others' lines, and sniffTextFormat picks
 * by those votes. Lines: the seed case's ASA syslog and show capture, a FortiGate traffic log line, a tcpdump -n line.
 */
import { describe, expect, it } from 'vitest';
import { FORMAT_ENTRIES, sniffTextFormat } from '../../src/decode/formats';

const LINES: Record<string, string> = {
  'asa-syslog': '<166>Jun 20 2018 12:00:50 : %ASA-6-106015: Deny TCP (no connection) from 10.20.30.15/443 to 198.51.100.77/55132 flags RST  on interface INSIDE',
  'fortigate-traffic': '<189>date=2018-06-20 time=12:00:50 devname="fw1" logid="0000000013" type="traffic" subtype="forward" srcip=198.51.100.77 srcport=55132 dstip=10.20.30.15 dstport=443 sessionid=1 proto=6 action="close" duration=125',
  'asa-show-capture': '   5: 12:00:50.064507       10.20.30.15.443 > 198.51.100.77.55132: R 2219539467:2219539467(0) win 0',
  'tcpdump-text': '12:00:50.064507 IP 10.20.30.15.443 > 198.51.100.77.55132: Flags [R], seq 2219539467, win 0, length 0',
};

describe('text formats vote with their own decoder', () => {
  const text = FORMAT_ENTRIES.filter((e) => e.sniff);

  it('every text entry has a vote and a decoder; each votes for its own grammar only', () => {
    expect(text.map((e) => e.info.name)).toEqual(Object.keys(LINES));
    for (const e of text) {
      expect(e.decode, e.info.name).toBeDefined();
      for (const [format, line] of Object.entries(LINES)) {
        const v = e.sniff!().line(line, 2);
        if (format === e.info.name) expect(v, `${e.info.name} on its own line`).toBeGreaterThan(0);
        else expect(v, `${e.info.name} on a ${format} line`).toBe(0);
      }
    }
  });

  it('the registry picks the format with the most votes', () => {
    const enc = (lines: string[]) => new TextEncoder().encode(lines.join('\n'));
    for (const [format, line] of Object.entries(LINES)) expect(sniffTextFormat(enc([line, line]))).toBe(format);
    expect(sniffTextFormat(enc([LINES['tcpdump-text'], LINES['tcpdump-text'], LINES['asa-show-capture']]))).toBe('tcpdump-text');
    // Other daemons' syslog lines alone: the syslog entry's weak claim.
    expect(sniffTextFormat(enc(['Jun 20 12:00:50 host sshd[1]: Accepted publickey', 'Jun 20 12:00:51 host cron[2]: job']))).toBe('asa-syslog');
  });
});
