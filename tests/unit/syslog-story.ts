// One short firewall story, written in every log shape the shape tests read: a connection Built, torn down on
// "TCP FINs" from inside, and the server's late RST denied as "no connection" (106015), the seed case's pattern.
// Message texts follow Cisco's format strings (formats.md §1.3, §1.7); addresses are documentation ranges.
import { expect } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createTextSource } from '../../src/lib/byte-source';
import type { ConnectionReport, InputReport } from '../../src/model/report';

export const BUILT = '%ASA-6-302013: Built inbound TCP connection 4711 for outside:198.51.100.77/55132 (198.51.100.77/55132) to inside:10.20.30.15/443 (203.0.113.15/443)';
export const TEARDOWN = '%ASA-6-302014: Teardown TCP connection 4711 for outside:198.51.100.77/55132 to inside:10.20.30.15/443 duration 0:02:05 bytes 107244 TCP FINs from inside';
export const DENY = '%ASA-6-106015: Deny TCP (no connection) from 10.20.30.15/443 to 198.51.100.77/55132 flags RST  on interface inside';

/** The story's three messages with their times: 11:58:45 built, 12:00:50 teardown and deny. */
export const STORY: [time: string, message: string][] = [
  ['2024-03-05T11:58:45', BUILT],
  ['2024-03-05T12:00:50', TEARDOWN],
  ['2024-03-05T12:00:50', DENY],
];

export async function analyzeText(name: string, text: string, options: { tz?: string; year?: number } = {}) {
  const s = await analyzeSources([createTextSource(name, text)], options);
  return { input: s.inputs[0] as InputReport, connections: s.reports.toArray() as ConnectionReport[] };
}

/** The story came out whole: one connection, paired Built/Teardown, the 106015 joined, times shifted by `offsetS`. */
export function expectStory(c: ConnectionReport[], device: string, offsetS = 0): void {
  expect(c).toHaveLength(1);
  const t = (iso: string) => new Date(Date.parse(`${iso}Z`) - offsetS * 1000).toISOString().replace('.000Z', '.000000Z');
  expect(c[0]).toMatchObject({
    source: 'syslog',
    client: { ip: '198.51.100.77', port: 55132 },
    server: { ip: '10.20.30.15', port: 443 },
  });
  expect(c[0].firewall).toMatchObject({
    device,
    connId: '4711',
    built: t('2024-03-05T11:58:45'),
    teardown: { time: t('2024-03-05T12:00:50'), reason: 'TCP FINs', from: 'inside' },
    bytes: 107244,
    interfaces: { client: 'outside', server: 'inside' },
    mapped: { server: { ip: '203.0.113.15', port: 443 } },
  });
  expect(c[0].firewall!.denies).toEqual([
    expect.objectContaining({ messageId: '106015', flags: 'RST', interface: 'inside', time: t('2024-03-05T12:00:50'), afterTeardownMs: 0 }),
  ]);
}
