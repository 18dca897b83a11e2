/**
 * The firewall log's facts per packet connection as a side table of the store (TrackedConnections.firewall): which
 * firewall connection row (or which denies alone) each correlated connection got, by connection index. The
 * FirewallFacts themselves are made only when a report is (ConnectionReport serializer), from the log's columns.
 */
import type { ConnectionReport, FirewallFacts } from '../../model/report';
import type { FirewallFlowFacts, FirewallSide } from '../side-tables';
import { firewallFactsOf, type CorrelateResult } from './correlate';
import type { PacketRows } from './facts';
import { DENIES_PER_CONNECTION, type FirewallJoin } from './join';
import type { FirewallLog } from './log';
import { connectionAt } from './materialize';

export class FirewallSideTable implements FirewallSide {
  /** Connection index -> position in the correlated list. */
  private readonly at = new Map<number, number>();

  constructor(
    private readonly log: FirewallLog,
    private readonly join: FirewallJoin,
    private readonly result: CorrelateResult,
    /** Connection index of each packet connection correlated, in the order correlated. */
    connections: readonly number[],
    private readonly packets: PacketRows,
  ) {
    const { row, loose } = result.matches;
    connections.forEach((i, k) => {
      if (row[k] >= 0 || loose.has(k)) this.at.set(i, k);
    });
  }

  has(i: number): boolean {
    return this.at.has(i);
  }

  factsOf(i: number, r: ConnectionReport): FirewallFacts {
    return firewallFactsOf(this.log, this.join, this.result, this.at.get(i)!, r, this.packets)!;
  }

  flowFacts(i: number): FirewallFlowFacts {
    const k = this.at.get(i)!;
    const row = this.result.matches.row[k];
    if (row < 0) return { reason: null, reasonCode: null, denied: true, messageId: 0 }; // denies alone (looseFacts)
    const c = connectionAt(this.log, row);
    const first = c.built?.messageId || c.teardown?.messageId;
    const denies = Math.min(DENIES_PER_CONNECTION, this.join.connDenyStart[row + 1] - this.join.connDenyStart[row]);
    return {
      reason: c.teardown ? c.teardown.reason ?? '' : null,
      reasonCode: c.teardown ? this.log.conns.tdReasonCode[row] : null,
      denied: denies > 0,
      messageId: Number(first ?? 0) || 0,
    };
  }
}
