import { describe, expect, it } from 'vitest';
import { nearestCleanClose } from '../../src/engine/session';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { logOnlyFlowRows } from '../../src/engine/firewall-records';
import { createTextSource } from '../../src/lib/byte-source';
import type { FlowColumns } from '../../src/model/flow-table';
import { captureText, connectionLines, type MadeClose } from './capture-lines';

/** Connection i: from 192.0.2.1/50000+i, starting and closing at second `startS` of the day. */
const conn = (i: number, close: MadeClose, server: string, port: number, startS: number) =>
  connectionLines({ client: `192.0.2.1.${50000 + i}`, server: `${server}.${port}`, startSec: startS, endSec: startS, close });

/** The flow table of the connections as the engine's session fills it, and the row of connection i. */
async function flowsOf(conns: string[][]): Promise<{ flows: FlowColumns; row: (i: number) => number }> {
  const s = await analyzeSources([createTextSource('cap.txt', captureText(conns.flat()))], { date: '2024-01-01' });
  const flows = flowColumnsOf(s.reports, logOnlyFlowRows(s));
  expect(flows.count).toBe(conns.length);
  const row = (i: number) => {
    const r = flows.clientPort.indexOf(50000 + i);
    if (r < 0) throw new Error(`no row for connection ${i}`);
    return r;
  };
  return { flows, row };
}

describe('nearest clean close', async () => {
  const { flows, row } = await flowsOf([
    conn(0, 'fin-then-rst', '10.0.0.1', 443, 100),
    conn(1, 'clean', '10.0.0.2', 443, 101), // other server, same port, nearest in time
    conn(2, 'clean', '10.0.0.1', 443, 500), // same server, later
    conn(3, 'clean', '10.0.0.1', 443, 10), // same server, nearer
    conn(4, 'clean', '10.0.0.1', 22, 100), // same host, other service
    conn(5, 'reset', '10.0.0.9', 8080, 100),
    conn(6, 'reset', '10.0.0.1', 8443, 150), // same host as 2, 3, 4: the nearest of those (4) before 7
    conn(7, 'clean', '10.0.0.3', 8443, 150), // same port as 6 on another server, nearest in time to it
  ]);
  it('prefers the same server and port, nearest in time', () => expect(nearestCleanClose(flows, row(0))).toBe(row(3)));
  it('then the same server on another port', () => expect(nearestCleanClose(flows, row(6))).toBe(row(4)));
  it('then the same service port on another server', () => expect(nearestCleanClose(flows, row(1))).toBe(row(3)));
  it('never picks the row itself', () => expect(nearestCleanClose(flows, row(3))).toBe(row(2)));
  it('then any clean close of the loaded data, nearest in time', () => expect(nearestCleanClose(flows, row(5))).toBe(row(4)));
  it('only without anyServer gives none for an unrelated service', () => expect(nearestCleanClose(flows, row(5), false)).toBeNull());
  it('gives none when the data holds no other clean close', async () => {
    const one = await flowsOf([conn(0, 'reset', '10.0.0.1', 443, 1), conn(1, 'clean', '10.0.0.1', 443, 2)]);
    expect(nearestCleanClose(one.flows, one.row(0))).toBe(one.row(1));
    expect(nearestCleanClose(one.flows, one.row(1))).toBeNull();
  });
});
