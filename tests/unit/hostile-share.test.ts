/**
 * Issue 15 item 6: small share links that froze the tab. The decoder applies the explorer's own limits (4 ladders,
 * 4,000 packets each), reads no part past the fourth, and caps each part's JSON while inflating.
 */
import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { encodeBase64url } from '../../src/lib/base64url';
import { decodeShareFragment, MAX_SHARED_LADDERS, MAX_SHARED_PACKETS } from '../../src/share/link-codec';
import { SHARE_DICTIONARY_V1 } from '../../src/share/dictionary';
import { cpuMsSync } from './cpu-time';

const pack = (value: unknown) => encodeBase64url(deflateSync(strToU8(JSON.stringify(value)), { level: 9, dictionary: SHARE_DICTIONARY_V1 }));
const view = pack({ timeMode: 'even' });
const connection = { client: { ip: '192.0.2.1', port: 40000 }, server: { ip: '192.0.2.2', port: 443 } };

/** One ladder of `n` identical packets: deflate turns it into a few hundred characters. */
export function manyPacketsLink(n: number): string {
  return `#s=1.${view}.${pack({ connection, t0Us: 0, totalPackets: n, packets: new Array(n).fill([0, 1, 0x10, 1, 1, 0, 512, 0, 0]) })}`;
}

describe('share link limits', () => {
  it('a 20,000-packet ladder in under 2,000 characters draws its first 4,000 packets and says so', () => {
    const link = manyPacketsLink(20_000);
    expect(link.length).toBeLessThan(2000);
    const d = decodeShareFragment(link)!;
    expect(d.state.ladders).toHaveLength(1);
    expect(d.state.ladders[0].packets).toHaveLength(MAX_SHARED_PACKETS);
    expect(d.state.ladders[0].totalPackets).toBe(20_000);
    expect(d.dropped.join(' ')).toMatch(/holds 20000 packets; the first 4000 are shown/);
  });

  it('30,000 tiny parts: only 4 ladders are read, quickly', () => {
    const part = pack({ connection, packets: [] });
    const link = `#s=1.${view}.${new Array(30_000).fill(part).join('.')}`;
    const { value: d, ms } = cpuMsSync(() => decodeShareFragment(link)!);
    expect(d.state.ladders).toHaveLength(MAX_SHARED_LADDERS);
    expect(d.dropped.join(' ')).toMatch(/holds 30000 ladders; the first 4 are shown/);
    expect(ms).toBeLessThan(1000); // was ~10 s: 8 MiB allocated per part
  });

  it('100,000 packets in a link of a few thousand characters: refused while inflating, with the reason', () => {
    const link = manyPacketsLink(100_000);
    expect(link.length).toBeLessThan(8000);
    const { value: d, ms } = cpuMsSync(() => decodeShareFragment(link)!);
    expect(ms).toBeLessThan(1500);
    expect(d.state.ladders).toEqual([]);
    expect(d.dropped.join(' ')).toMatch(/ladder 1 is larger than Teardown draws \(over 2 MiB unpacked\)/);
  });
});
