/** CaptureSummary: counts over all connections of a session (kinds, initiators, servers, RST senders). */
import type { CaptureSummary, CloseKind, ConnectionReport } from '../model/report';
import type { TrackedConnections } from './connections';

const MAX_SERVERS = 100;
const MAX_RST_SENDERS = 20;

export function summarize(reports: readonly ConnectionReport[], t: TrackedConnections | null): CaptureSummary {
  const byKind: Partial<Record<CloseKind, number>> = {};
  const byInitiator = { client: 0, server: 0, none: 0 };
  const servers = new Map<string, { server: string; connections: number; byKind: Partial<Record<CloseKind, number>> }>();
  const rstSenders = new Map<string, { host: string; role: 'client' | 'server'; rsts: number }>();
  let rstsAfterBothFins = 0;
  for (const r of reports) {
    const close = r.close;
    if (!close) continue;
    byKind[close.kind] = (byKind[close.kind] ?? 0) + 1;
    byInitiator[close.initiator ?? 'none']++;
    const key = r.server.ip.includes(':') ? `[${r.server.ip}]:${r.server.port}` : `${r.server.ip}:${r.server.port}`;
    let s = servers.get(key);
    if (!s) servers.set(key, (s = { server: key, connections: 0, byKind: {} }));
    s.connections++;
    s.byKind[close.kind] = (s.byKind[close.kind] ?? 0) + 1;
    if (t) {
      const i = Number(r.id);
      if (i >= 0 && i < t.store.count) {
        rstsAfterBothFins += t.store.lateRsts[i];
        const cs = t.clientSide[i];
        addRst(rstSenders, r.client.ip, 'client', t.store.rstCount[2 * i + cs]);
        addRst(rstSenders, r.server.ip, 'server', t.store.rstCount[2 * i + (cs ^ 1)]);
      }
    } else {
      if (close.lateRst) rstsAfterBothFins++;
      if (close.rst.client) addRst(rstSenders, r.client.ip, 'client', 1);
      if (close.rst.server) addRst(rstSenders, r.server.ip, 'server', 1);
    }
  }
  const byServer = [...servers.values()].sort((a, b) => b.connections - a.connections || (a.server < b.server ? -1 : 1)).slice(0, MAX_SERVERS);
  const topRstSenders = [...rstSenders.values()].sort((a, b) => b.rsts - a.rsts || (a.host < b.host ? -1 : 1)).slice(0, MAX_RST_SENDERS);
  return { connections: reports.length, byKind, byInitiator, byServer, topRstSenders, rstsAfterBothFins };
}

function addRst(m: Map<string, { host: string; role: 'client' | 'server'; rsts: number }>, host: string, role: 'client' | 'server', n: number): void {
  if (n <= 0) return;
  const key = `${role} ${host}`;
  const e = m.get(key);
  if (e) e.rsts += n;
  else m.set(key, { host, role, rsts: n });
}
