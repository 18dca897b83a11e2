/**
 * The connections of an analysis as a list of ConnectionReports built on demand. The compact per-connection
 * store (ConnStore + TrackedConnections) stays the source of truth: a report (~1 KB of objects) is made only when
 * read (a ladder, an export, the CLI writing JSON one connection at a time), so 100,000 connections do not cost
 * 100,000 reports held at once. Reports the firewall/vantage step changed (FirewallFacts, VantageFacts, merged
 * timelines) are kept as objects by connection index and returned as they are; log-only ("syslog") connections
 * follow the packet connections, as in the analyze JSON.
 */
import type { ConnectionReport } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import type { TrackedConnections } from './connections';
import { buildConnectionReport } from './connection-report';

/** Reports listed after the packet connections (log-only connections), each possibly built when read. */
export interface ExtraReports {
  readonly length: number;
  at(k: number): ConnectionReport | undefined;
  /** True when no entry has close facts (log-only connections): a summary can skip building them. */
  readonly closeless?: boolean;
}

/** a then b as one list. */
function concat(a: ExtraReports, b: ExtraReports | undefined): ExtraReports {
  if (!b || b.length === 0) return a;
  if (a.length === 0) return b;
  return { length: a.length + b.length, at: (k) => (k < a.length ? a.at(k) : b.at(k - a.length)), closeless: !!a.closeless && !!b.closeless };
}

export class ConnectionList implements Iterable<ConnectionReport> {
  private constructor(
    readonly tracked: TrackedConnections,
    readonly table: PacketTable,
    readonly files: readonly string[],
    /** Packet connections listed, in order; null = every connection 0 .. n-1. */
    private readonly ids: Uint32Array | null,
    /** Reports kept as objects, by connection index (changed by the firewall/vantage step). */
    private readonly kept: ReadonlyMap<number, ConnectionReport>,
    /** Log-only connections, after the packet connections. */
    private readonly extra: ExtraReports,
  ) {}

  /** Every tracked connection, each report built when read. */
  static lazy(t: TrackedConnections, table: PacketTable, files: readonly string[]): ConnectionList {
    return new ConnectionList(t, table, files, null, new Map(), []);
  }

  /**
   * From a full list of reports (after the firewall/vantage step changed some): keeps only the reports that carry
   * what the store cannot rebuild (firewall, vantage, log-only); the rest are built again when read.
   */
  static fromReports(t: TrackedConnections, table: PacketTable, files: readonly string[], reports: readonly ConnectionReport[], logOnly?: ExtraReports): ConnectionList {
    const ids: number[] = [];
    const kept = new Map<number, ConnectionReport>();
    const extra: ConnectionReport[] = [];
    for (const r of reports) {
      const i = Number(r.id);
      const packets = (r.source ?? 'packets') === 'packets' && Number.isInteger(i) && i >= 0 && i < t.store.count;
      if (!packets || extra.length) {
        extra.push(r); // log-only (or anything after one): kept as is, in order
        continue;
      }
      ids.push(i);
      if (r.firewall !== undefined || r.vantage !== undefined) kept.set(i, r);
    }
    const all = ids.length === t.store.count && ids.every((id, k) => id === k);
    return new ConnectionList(t, table, files, all ? null : Uint32Array.from(ids), kept, concat(extra, logOnly));
  }

  /**
   * Every tracked connection, plus the reports the firewall step changed or added (`changed`: any subset of the
   * packet connections' reports, in order, then log-only ones): those with firewall/vantage facts are kept.
   */
  static withChanged(t: TrackedConnections, table: PacketTable, files: readonly string[], changed: readonly ConnectionReport[], logOnly?: ExtraReports): ConnectionList {
    const kept = new Map<number, ConnectionReport>();
    const extra: ConnectionReport[] = [];
    for (const r of changed) {
      const i = Number(r.id);
      const packets = (r.source ?? 'packets') === 'packets' && Number.isInteger(i) && i >= 0 && i < t.store.count;
      if (!packets) extra.push(r);
      else if (r.firewall !== undefined || r.vantage !== undefined) kept.set(i, r);
    }
    return new ConnectionList(t, table, files, null, kept, concat(extra, logOnly));
  }

  get length(): number {
    return (this.ids ? this.ids.length : this.tracked.store.count) + this.extra.length;
  }

  /** True when the entries after the packet connections have no close facts (log-only connections). */
  get closelessExtra(): boolean {
    return this.extra.length === 0 || !!this.extra.closeless;
  }

  /** Number of packet connections (they come first). */
  get packetCount(): number {
    return this.ids ? this.ids.length : this.tracked.store.count;
  }

  /** Connection (store) index of entry k, for k < packetCount. */
  connIndex(k: number): number {
    return this.ids ? this.ids[k] : k;
  }

  /** The report kept as an object for entry k (firewall/vantage/log-only), or undefined when built on demand. */
  keptAt(k: number): ConnectionReport | undefined {
    const n = this.packetCount;
    if (k >= n) return this.extra.at(k - n);
    return this.kept.get(this.connIndex(k));
  }

  /** Entry k's report (a fresh object unless kept), undefined when out of range. */
  at(k: number): ConnectionReport | undefined {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) return undefined;
    const kept = this.keptAt(k);
    if (kept) return kept;
    return buildConnectionReport(this.tracked, this.table, this.connIndex(k), this.files);
  }

  *[Symbol.iterator](): Iterator<ConnectionReport> {
    for (let k = 0; k < this.length; k++) yield this.at(k)!;
  }

  /** Every report at once (an export); large. */
  toArray(): ConnectionReport[] {
    const out: ConnectionReport[] = new Array(this.length);
    for (let k = 0; k < out.length; k++) out[k] = this.at(k)!;
    return out;
  }
}
