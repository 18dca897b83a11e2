import { describe, expect, it } from 'vitest';
import { nearestCleanClose } from '../../src/engine/session';
import { buildFlowColumns } from './flow-columns-from-reports';
import type { CloseKind, ConnectionReport } from '../../src/model/report';

function conn(i: number, kind: CloseKind, server: string, port: number, startS: number): ConnectionReport {
  const start = new Date(Date.UTC(2024, 0, 1) + startS * 1000).toISOString();
  return {
    id: String(i), files: [], client: { ip: '192.0.2.1', port: 50000 + i }, server: { ip: server, port }, start, end: start,
    packets: { client: 1, server: 1 }, payloadBytes: { client: 0, server: 0 }, handshake: 'complete',
    close: {
      fin: { client: true, server: true }, rst: { client: false, server: false }, initiator: 'client', kind, simultaneous: false,
      finRstTogether: false, lateRst: false, dataAfterFin: false, zeekState: 'SF', history: '', states: { client: [], server: [] },
      anomalies: [], tls: null, explanation: '',
    },
  };
}

describe('nearest clean close', () => {
  const flows = buildFlowColumns([
    conn(0, 'fin-then-rst', '10.0.0.1', 443, 100),
    conn(1, 'clean', '10.0.0.2', 443, 101), // other server, same port, nearest in time
    conn(2, 'clean', '10.0.0.1', 443, 500), // same server, later
    conn(3, 'clean', '10.0.0.1', 443, 10), // same server, nearer
    conn(4, 'clean', '10.0.0.1', 22, 100), // same host, other service
    conn(5, 'reset', '10.0.0.9', 8080, 100),
    conn(6, 'reset', '10.0.0.1', 8443, 150), // same host as 2, 3, 4: the nearest of those (4) before 7
    conn(7, 'clean', '10.0.0.3', 8443, 150), // same port as 6 on another server, nearest in time to it
  ]);
  it('prefers the same server and port, nearest in time', () => expect(nearestCleanClose(flows, 0)).toBe(3));
  it('then the same server on another port', () => expect(nearestCleanClose(flows, 6)).toBe(4));
  it('then the same service port on another server', () => expect(nearestCleanClose(flows, 1)).toBe(3));
  it('never picks the row itself', () => expect(nearestCleanClose(flows, 3)).toBe(2));
  it('then any clean close of the loaded data, nearest in time', () => expect(nearestCleanClose(flows, 5)).toBe(4));
  it('only without anyServer gives none for an unrelated service', () => expect(nearestCleanClose(flows, 5, false)).toBeNull());
  it('gives none when the data holds no other clean close', () => {
    const one = buildFlowColumns([conn(0, 'reset', '10.0.0.1', 443, 1), conn(1, 'clean', '10.0.0.1', 443, 2)]);
    expect(nearestCleanClose(one, 0)).toBe(1);
    expect(nearestCleanClose(one, 1)).toBeNull();
  });
});
