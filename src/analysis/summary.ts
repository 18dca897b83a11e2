/**
 * CaptureSummary: counts over all connections of a session (kinds, initiators, servers, RST senders), read straight
 * from the store (no ConnectionReport per connection), in list order (so byKind keys come in first-seen order).
 */
import type { CaptureSummary, CloseKind, Side } from '../model/report';
import type { ConnectionList } from './connection-list';
import { closeInitiatorOf, closeKindOf } from './connection-report';
import { ipPort } from '../model/endpoint-text';
import { SideFacts } from './conn-state';
import type { ConnKeys } from './conn-keys';
import { grown } from './typed-grown';
import { AddrTable } from './address-table';
import { CLOSE_KINDS, kindCode } from '../model/close-kinds';

const MAX_SERVERS = 100;
const MAX_RST_SENDERS = 20;

type ServerRow = { server: string; connections: number; byKind: Partial<Record<CloseKind, number>> };
type RstRow = { host: string; role: Side; rsts: number };

/**
 * The summary of a ConnectionList, from the store: close kind, initiator and RST counts of every packet connection
 * (a second capture point or the firewall log changes none of them); log-only connections have no close facts and
 * are only counted.
 */
export function summarizeList(list: ConnectionList): CaptureSummary {
  const t = list.tracked;
  const tally = new StoreTally(t.keys);
  // The two sides' facts are refilled for each connection, and only the kind and initiator of the close decision
  // are made: objects per connection were most of what the summary allocated (75 MB for 100,000 connections).
  const client = new SideFacts();
  const server = new SideFacts();
  for (let k = 0; k < list.packetCount; k++) {
    const i = list.connIndex(k);
    t.facts(i, 'client', false, client);
    t.facts(i, 'server', false, server);
    tally.close(closeKindOf(t, i, client, server), closeInitiatorOf(t, i, client, server), i, t.side(i, 'server'));
    tally.rstsAfterBothFins += t.store.lateRsts[i];
    tally.rst(i, t.side(i, 'client'), ROLE_CLIENT, t.rstCount(i, 'client'));
    tally.rst(i, t.side(i, 'server'), ROLE_SERVER, t.rstCount(i, 'server'));
  }
  tally.connections = list.length;
  return tally.result();
}

const KINDS = CLOSE_KINDS;
const ROLES: readonly Side[] = ['client', 'server'];
const ROLE_CLIENT = 0;
const ROLE_SERVER = 1;

/**
 * The counts, keyed by raw address words instead of texts: a server is (address, port), a RST sender (address,
 * role), numbered in first-seen order by an AddrTable. Texts are made only for the rows that can make the output:
 * servers are ranked by count then by text (a total order), so only those tied with or above the MAX_SERVERS-th
 * count are formatted; RST senders are all formatted, then sorted by count, then text, tied rows of one host (as
 * client and as server) in first-seen order.
 */
class StoreTally {
  connections = 0;
  readonly byKind: Partial<Record<CloseKind, number>> = {};
  readonly byInitiator = { client: 0, server: 0, none: 0 };
  rstsAfterBothFins = 0;
  private readonly servers = new AddrTable();
  /**
   * Per server: connections; kind counts (server * KINDS.length + kind); how many kinds the server has shown so far,
   * and for each kind the rank (1, 2, ...) at which it first showed, 0 when not yet (so byKind keeps first-seen order).
   */
  private serverConns = new Uint32Array(256);
  private serverKinds = new Uint32Array(256 * KINDS.length);
  private serverKindCount = new Uint8Array(256);
  private serverKindRank = new Uint8Array(256 * KINDS.length);
  private readonly rsts = new AddrTable();
  private rstCounts = new Float64Array(256);

  constructor(private readonly keys: ConnKeys) {}

  /** A connection i whose server is side `ss`. */
  close(kind: CloseKind, initiator: Side | null, i: number, ss: number): void {
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.byInitiator[initiator ?? 'none']++;
    const s = this.servers.id(this.keys, i, ss, this.keys.port(i, ss));
    if (s >= this.serverConns.length) {
      this.serverConns = grown(this.serverConns, s + 1);
      this.serverKindCount = grown(this.serverKindCount, s + 1);
      this.serverKinds = grown(this.serverKinds, (s + 1) * KINDS.length);
      this.serverKindRank = grown(this.serverKindRank, (s + 1) * KINDS.length);
    }
    this.serverConns[s]++;
    const at = s * KINDS.length + kindCode(kind);
    if (this.serverKinds[at]++ === 0) this.serverKindRank[at] = ++this.serverKindCount[s];
  }

  /** n RSTs sent by side `side` of connection i in role `role`. */
  rst(i: number, side: number, role: number, n: number): void {
    if (n <= 0) return;
    const r = this.rsts.id(this.keys, i, side, role);
    if (r >= this.rstCounts.length) this.rstCounts = grown(this.rstCounts, r + 1);
    this.rstCounts[r] += n;
  }

  result(): CaptureSummary {
    const { connections, byKind, byInitiator, rstsAfterBothFins } = this;
    return { connections, byKind, byInitiator, byServer: this.topServers(), topRstSenders: this.topRstSenders(), rstsAfterBothFins };
  }

  private topServers(): ServerRow[] {
    const n = this.servers.count;
    const counts = this.serverConns.subarray(0, n);
    // The MAX_SERVERS-th highest count: servers below it cannot make the list.
    const least = n <= MAX_SERVERS ? 0 : counts.slice().sort()[n - MAX_SERVERS];
    const rows: ServerRow[] = [];
    for (let s = 0; s < n; s++) {
      if (counts[s] < least) continue;
      const byKind: Partial<Record<CloseKind, number>> = {};
      const first = s * KINDS.length;
      for (let rank = 1; rank <= this.serverKindCount[s]; rank++) {
        const code = this.serverKindRank.subarray(first, first + KINDS.length).indexOf(rank);
        byKind[KINDS[code]] = this.serverKinds[first + code];
      }
      const i = this.servers.conn(s);
      const side = this.servers.side(s);
      rows.push({ server: ipPort(this.keys.addressText(i, side), this.keys.port(i, side)), connections: counts[s], byKind });
    }
    return rows.sort((a, b) => b.connections - a.connections || (a.server < b.server ? -1 : 1)).slice(0, MAX_SERVERS);
  }

  private topRstSenders(): RstRow[] {
    const rows: RstRow[] = [];
    for (let r = 0; r < this.rsts.count; r++) {
      rows.push({ host: this.keys.addressText(this.rsts.conn(r), this.rsts.side(r)), role: ROLES[this.rsts.extra(r)], rsts: this.rstCounts[r] });
    }
    return rows.sort((a, b) => b.rsts - a.rsts || (a.host < b.host ? -1 : 1)).slice(0, MAX_RST_SENDERS);
  }
}


