/**
 * CaptureSummary: counts over all connections of a session (kinds, initiators, servers, RST senders).
 * `summarizeList` reads packet connections straight from the store (no ConnectionReport per connection);
 * `summarize` reads reports. Both count in list order, so key orders (byKind) are the same either way.
 */
import type { CaptureSummary, CloseKind, ConnectionReport, Side } from '../model/report';
import type { TrackedConnections } from './connections';
import type { ConnectionList } from './connection-list';
import { closeInitiator, serverKey } from './connection-report';
import { closeKind } from './close';

const MAX_SERVERS = 100;
const MAX_RST_SENDERS = 20;

type ServerRow = { server: string; connections: number; byKind: Partial<Record<CloseKind, number>> };
type RstRow = { host: string; role: Side; rsts: number };

class Tally {
  connections = 0;
  readonly byKind: Partial<Record<CloseKind, number>> = {};
  readonly byInitiator = { client: 0, server: 0, none: 0 };
  readonly servers = new Map<string, ServerRow>();
  readonly rstSenders = new Map<string, RstRow>();
  rstsAfterBothFins = 0;

  close(kind: CloseKind, initiator: Side | null, server: string): void {
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.byInitiator[initiator ?? 'none']++;
    let s = this.servers.get(server);
    if (!s) this.servers.set(server, (s = { server, connections: 0, byKind: {} }));
    s.connections++;
    s.byKind[kind] = (s.byKind[kind] ?? 0) + 1;
  }

  rst(host: string, role: Side, n: number): void {
    if (n <= 0) return;
    const key = `${role} ${host}`;
    const e = this.rstSenders.get(key);
    if (e) e.rsts += n;
    else this.rstSenders.set(key, { host, role, rsts: n });
  }

  /** One connection from its report; with `t`, RST counts come from the store. */
  report(r: ConnectionReport, t: TrackedConnections | null): void {
    const close = r.close;
    if (!close) return;
    this.close(close.kind, close.initiator, serverKey(r.server.ip, r.server.port));
    if (t) {
      const i = Number(r.id);
      if (i >= 0 && i < t.store.count) this.stored(t, i, r.client.ip, r.server.ip);
    } else {
      if (close.lateRst) this.rstsAfterBothFins++;
      if (close.rst.client) this.rst(r.client.ip, 'client', 1);
      if (close.rst.server) this.rst(r.server.ip, 'server', 1);
    }
  }

  /** RST counts of stored connection i. */
  stored(t: TrackedConnections, i: number, clientIp: string, serverIp: string): void {
    this.rstsAfterBothFins += t.store.lateRsts[i];
    const cs = t.clientSide[i];
    this.rst(clientIp, 'client', t.store.rstCount[2 * i + cs]);
    this.rst(serverIp, 'server', t.store.rstCount[2 * i + (cs ^ 1)]);
  }

  result(): CaptureSummary {
    const byServer = [...this.servers.values()].sort((a, b) => b.connections - a.connections || (a.server < b.server ? -1 : 1)).slice(0, MAX_SERVERS);
    const topRstSenders = [...this.rstSenders.values()].sort((a, b) => b.rsts - a.rsts || (a.host < b.host ? -1 : 1)).slice(0, MAX_RST_SENDERS);
    const { connections, byKind, byInitiator, rstsAfterBothFins } = this;
    return { connections, byKind, byInitiator, byServer, topRstSenders, rstsAfterBothFins };
  }
}

export function summarize(reports: readonly ConnectionReport[], t: TrackedConnections | null): CaptureSummary {
  const tally = new Tally();
  for (const r of reports) tally.report(r, t);
  tally.connections = reports.length;
  return tally.result();
}

/** The summary of a ConnectionList: packet connections from the store, kept reports as they are. */
export function summarizeList(list: ConnectionList): CaptureSummary {
  const t = list.tracked;
  const tally = new Tally();
  const n = list.packetCount;
  for (let k = 0; k < list.length; k++) {
    const kept = list.keptAt(k);
    if (kept || k >= n) {
      if (kept) tally.report(kept, t);
      continue;
    }
    // Close facts of a packet connection come from the store alone (firewall/vantage do not change them).
    const i = list.connIndex(k);
    const cs = t.clientSide[i];
    const client = t.store.loadSide(i, cs);
    const server = t.store.loadSide(i, cs ^ 1);
    const serverIp = t.keys.addressText(i, cs ^ 1);
    tally.close(closeKind(client, server), closeInitiator(client, server), serverKey(serverIp, t.keys.port(i, cs ^ 1)));
    tally.stored(t, i, t.keys.addressText(i, cs), serverIp);
  }
  tally.connections = list.length;
  return tally.result();
}
