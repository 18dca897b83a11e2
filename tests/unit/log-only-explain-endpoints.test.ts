/**
 * A log-only connection's explanation names a late deny's endpoints: written as bytes (`analyze --ndjson`, the
 * addresses from their IPv4 values: lib/phrase.ts Ipv4Value) and read by the page (`at`), the same text, IPv6 in
 * brackets and uncompressed addresses normalised.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { JsonBytes, utf8 } from '../../src/lib/json-bytes';

const LOG = [
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302013: Built inbound TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 (2001:db8::5/443) to inside:2001:db8::10/50000 (2001:db8::10/50000)',
  '<166>Jun 20 2018 00:00:04 fw-c : %ASA-6-302014: Teardown TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 to inside:2001:db8::10/50000 duration 0:00:03 bytes 10 TCP FINs',
  '<166>Jun 20 2018 00:00:05 fw-c : %ASA-6-106015: Deny TCP (no connection) from 2001:db8::5/443 to 2001:db8::10/50000 flags RST  on interface outside',
  '<166>Jun 20 2018 00:00:06 fw-c : %ASA-6-302013: Built outbound TCP connection 9 for outside:192.0.2.10/443 (192.0.2.10/443) to inside:10.0.0.3/40000 (203.0.113.3/40000)',
  '<166>Jun 20 2018 00:00:08 fw-c : %ASA-6-302014: Teardown TCP connection 9 for outside:192.0.2.10/443 to inside:10.0.0.3/40000 duration 0:00:02 bytes 99 TCP FINs',
  '<166>Jun 20 2018 00:00:08 fw-c : %ASA-6-106015: Deny TCP (no connection) from 192.0.2.10/443 to 203.0.113.3/40000 flags FIN ACK  on interface outside',
].join('\n');

describe('log-only explanations: a late deny\'s endpoints', () => {
  it('are the same text written as bytes and read as a report', async () => {
    const s = await analyzeSources([createBytesSource('ends.log', new TextEncoder().encode(`${LOG}\n`))]);
    const logOnly = s.firewall!.correlation!.syslogConnections;
    expect(logOnly.length).toBe(2);
    const explained = [0, 1].map((k) => {
      const w = new JsonBytes(new Uint8Array(16));
      expect(logOnly.write(w, k, utf8('{'))).toBe(true);
      const written = JSON.parse(new TextDecoder().decode(w.buf.subarray(0, w.n)));
      expect(written).toEqual(logOnly.at(k));
      return written.firewall.explanation as string;
    });
    expect(explained[0]).toContain('A RST from the client ([2001:db8::5]:443 to [2001:db8::10]:50000) came 1.00 s after the teardown');
    expect(explained[1]).toContain('A FIN ACK from the server (192.0.2.10:443 to 203.0.113.3:40000) came in the same second as the teardown');
  });
});
