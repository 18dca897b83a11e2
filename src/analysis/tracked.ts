/**
 * The tracked connections of an analysis: the one model every later step reads. Per connection it holds the
 * packet-table rows (capture order), which side is the client, the addresses and ports (ConnKeys) and the analysis
 * facts per side (ConnStore). Read it through the methods below (rows of a connection, client/server side, facts
 * per side, endpoints): the row layout (`order`/`starts`) and the side numbering (`clientSide`, 0 = a = the sender
 * of the first packet) are the store's own business, written only by the tracker (connections.ts, replay.ts) and
 * the vantage merge (`setRows`).
 */
import type { ConnStore, StoredSide } from './conn-store';
import type { ConnKeys } from './conn-keys';
import type { ClientBy } from './client-rule';
import type { FirewallSide, VantageRecord } from './side-tables';

/** A connection's two roles. */
export type Role = 'client' | 'server';

export class TrackedConnections {
  /** Connections seen at two capture points, by primary connection (written by the vantage merge). */
  readonly vantage = new Map<number, VantageRecord>();
  /** Connections the vantage merge joined into another: they are listed no more. */
  readonly mergedAway = new Set<number>();
  /** The firewall log's facts per connection (written by the firewall step); null without a firewall log. */
  firewall: FirewallSide | null = null;

  constructor(
    /** Packet-table rows grouped by connection, capture order within each: rows of conn i are order[starts[i] .. starts[i+1]). */
    private order: Uint32Array,
    private starts: Uint32Array,
    /** Client side per connection: 0 = a (first packet's sender), 1 = b. */
    private readonly clientSide: Uint8Array,
    readonly clientBy: ClientBy[],
    /** Addresses and ports per connection (side a / b). */
    readonly keys: ConnKeys,
    /** Analysis results per connection. */
    readonly store: ConnStore,
    /**
     * Per connection: the connection it was split off from by the 4-tuple reuse rule (the same capture point, a
     * later connection), -1 otherwise. The vantage merge never pairs a connection with one it was split off from.
     */
    readonly reuseOf?: Int32Array,
    /** tshark's tcp.stream per connection (tcp-stream.ts). */
    readonly tcpStream?: Uint32Array,
    /** Shift of the windows side a, then side b, sends: two per connection, -1 unknown (window-scale.ts). */
    private readonly shifts?: Int8Array,
  ) {}

  /** Number of connections (connection indexes are 0 .. count-1). */
  get count(): number {
    return this.starts.length - 1;
  }

  /** Whether i is a connection index. */
  has(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.count;
  }

  /** Number of packets (table rows) of connection i. */
  rowCount(i: number): number {
    return this.starts[i + 1] - this.starts[i];
  }

  /** Table row of connection i's packet k (0-based within the connection, capture order). */
  row(i: number, k: number): number {
    return this.order[this.starts[i] + k];
  }

  /** Table rows of connection i's packets [from, to) (a view: copy it before the rows change). */
  rows(i: number, from = 0, to = this.rowCount(i)): Uint32Array {
    return this.order.subarray(this.starts[i] + from, this.starts[i] + to);
  }

  /** The store's side index (0 = a, 1 = b) of connection i's client or server. */
  side(i: number, role: Role): number {
    const cs = this.clientSide[i];
    return role === 'client' ? cs : cs ^ 1;
  }

  /**
   * The analysis facts of connection i's client or server (a fresh object, or `into` refilled); RFC state changes
   * with `withStates`.
   */
  facts(i: number, role: Role, withStates = false, into?: StoredSide): StoredSide {
    return this.store.loadSide(i, this.side(i, role), withStates, into);
  }

  /** Address text of connection i's client or server. */
  address(i: number, role: Role): string {
    return this.keys.addressText(i, this.side(i, role));
  }

  /**
   * Connection i's client or server address as a uint32 when it is an IPv4 address, else -1: for writers that print
   * it from the number (address() makes its text by a lookup of the distinct addresses).
   */
  ipv4(i: number, role: Role): number {
    return this.keys.ipVersion(i) === 4 ? this.keys.addressWord(i, this.side(i, role), 0) : -1;
  }

  /** A number per distinct address (ConnKeys.addressId): connections with the same one have the same address(). */
  addressId(i: number, role: Role): number {
    return this.keys.addressId(i, this.side(i, role));
  }

  /** Port of connection i's client or server. */
  port(i: number, role: Role): number {
    return this.keys.port(i, this.side(i, role));
  }

  /** Address and port of connection i's client or server. */
  endpoint(i: number, role: Role): { ip: string; port: number } {
    const side = this.side(i, role);
    return { ip: this.keys.addressText(i, side), port: this.keys.port(i, side) };
  }

  /** RSTs sent by connection i's client or server. */
  rstCount(i: number, role: Role): number {
    return this.store.rstCount[2 * i + this.side(i, role)];
  }

  /** Shift of the windows connection i's client or server sends (analysis/window-scale.ts); -1 unknown. */
  windowShift(i: number, role: Role): number {
    return this.shifts ? this.shifts[2 * i + this.side(i, role)] : -1;
  }

  /** Replaces every connection's rows (the vantage merge, which joins two connections' timelines into one). */
  setRows(order: Uint32Array, starts: Uint32Array): void {
    this.order = order;
    this.starts = starts;
  }
}
