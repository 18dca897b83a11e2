/**
 * The connections of an analysis as a list of ConnectionReports made when read. The store (TrackedConnections:
 * ConnStore, rows, and the side tables the vantage and firewall steps wrote) is the only model: a report (~1 KB of
 * objects) is made only for what is read (a ladder, an export, the CLI writing JSON one connection at a time), so
 * 100,000 connections do not cost 100,000 reports held at once. Packet connections come first, in index order
 * (without those a vantage merge joined into another); log-only ("syslog") connections follow, as in the analyze
 * JSON.
 */
import type { ConnectionReport } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import type { TrackedConnections } from './tracked';
import { PacketReports } from './connection-members';

/** Reports listed after the packet connections (log-only connections), each built when read. */
export interface ExtraReports {
  readonly length: number;
  at(k: number): ConnectionReport | undefined;
}

const NONE: ExtraReports = { length: 0, at: () => undefined };

export class ConnectionList implements Iterable<ConnectionReport> {
  /** Packet connections listed, in order; null = every connection 0 .. n-1. */
  private readonly ids: Uint32Array | null;
  /** Log-only connections, after the packet connections. */
  private readonly extra: ExtraReports;
  /** The packet connections' reports (and their JSON), made when first needed. */
  private made: PacketReports | null = null;

  constructor(
    readonly tracked: TrackedConnections,
    readonly table: PacketTable,
    readonly files: readonly string[],
    logOnly?: ExtraReports | null,
  ) {
    const gone = tracked.mergedAway;
    if (gone.size === 0) this.ids = null;
    else {
      const ids = new Uint32Array(tracked.count - gone.size);
      let n = 0;
      for (let i = 0; i < tracked.count; i++) if (!gone.has(i)) ids[n++] = i;
      this.ids = ids;
    }
    this.extra = logOnly ?? NONE;
  }

  get length(): number {
    return this.packetCount + this.extra.length;
  }

  /** Number of packet connections (they come first). */
  get packetCount(): number {
    return this.ids ? this.ids.length : this.tracked.count;
  }

  /** Connection (store) index of entry k, for k < packetCount. */
  connIndex(k: number): number {
    return this.ids ? this.ids[k] : k;
  }

  /** The log-only connection's report at entry k (k >= packetCount); undefined for a packet connection. */
  keptAt(k: number): ConnectionReport | undefined {
    const n = this.packetCount;
    return k >= n ? this.extra.at(k - n) : undefined;
  }

  /** Entry k's report (a fresh object), undefined when out of range. */
  at(k: number): ConnectionReport | undefined {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) return undefined;
    if (k >= this.packetCount) return this.keptAt(k);
    return this.reports.report(this.connIndex(k));
  }

  /** The packet connections' report members over the store (connection-members.ts). */
  get reports(): PacketReports {
    return (this.made ??= new PacketReports(this.tracked, this.table, this.files));
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
