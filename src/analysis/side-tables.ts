/**
 * Facts the steps after the tracker learn about some connections, kept beside the store by connection index
 * (TrackedConnections.vantage / .firewall): only connections that have them get an entry. The reports
 * (connection-members.ts), the flow table's columns, the table rows and the summary read them; nothing edits a
 * ConnectionReport.
 */
import type { CloseKind, ConnectionReport, FirewallFacts, Side, VantageFacts } from '../model/report';

/** How a connection closed, as every view states it (connection-report.ts closeOf). */
export interface CloseDecision {
  kind: CloseKind;
  initiator: Side | null;
  fin: { client: boolean; server: boolean };
  rst: { client: boolean; server: boolean };
  finRstTogether: boolean;
  lateRst: boolean;
}

/** A connection seen at two capture points (vantage/merge.ts), on its primary (the lower input's) connection. */
export interface VantageRecord {
  facts: VantageFacts;
  /** The connection merged into this one (listed no more). */
  secondary: number;
  /** Names of the inputs of both points. */
  files: string[];
  /** Packets seen at the secondary point only, which joined the timeline, by sender. */
  added: { client: number; server: number };
  /** The primary's own rows before the merge: its close facts (anomalies, RFC states) number these. */
  before: Uint32Array;
  /** Packet index in `before` -> index in the merged timeline; null when the merge added no packet. */
  renumber: Map<number, number> | null;
  /** What the two points add to the close's explanation (vantage/explain.ts). */
  sentences: { add: string[]; lateRst: string | null };
  /**
   * The close from what both points saw, with its explanation, when it differs from the primary point's own: the
   * report, the summary, the flow table and the command line then state this one (connection-report.ts closeOf).
   */
  close?: CloseDecision & { explanation: string };
}

/** What the flow table shows of a connection's firewall facts, without making them. */
export interface FirewallFlowFacts {
  /** The teardown's reason ('' when it gave none); null without a teardown. */
  reason: string | null;
  /** The reason normalised (model/teardown-reasons.ts TEARDOWN_REASON code); null without a teardown. */
  reasonCode: number | null;
  /** Whether any deny is listed. */
  denied: boolean;
  /** First message id (Built, then Teardown) as a number, 0 when none. */
  messageId: number;
}

/** The firewall log's facts per packet connection (analysis/firewall/side.ts), made when read. */
export interface FirewallSide {
  has(i: number): boolean;
  /** FirewallFacts of connection i, for its report `r` (whose endpoints and times they speak of). */
  factsOf(i: number, r: ConnectionReport): FirewallFacts;
  flowFacts(i: number): FirewallFlowFacts;
}
