/**
 * The firewall/vantage step of an analysis, run once after the connection tracker finished (engine hook):
 *  1. text captures that printed only times of day get the date of the firewall log loaded beside them
 *     (their packets are moved by whole days; order and gaps are unchanged);
 *  2. connections captured at two points are merged (analysis/vantage), using the log's NAT pairs as hints;
 *  3. the firewall log is correlated with the connections (correlate.ts): the connections' firewall facts go into
 *     a side table of the store (TrackedConnections.firewall, side.ts); log-only connections come back as a lazy
 *     list (LogOnlyConnections), built when read.
 * Mutates the table and the tracked connections (rows, times, side tables); returns the summary's `firewall` part
 * (or null).
 */
import { isFirewallLog } from '../../model/formats';
import type { CaptureSummary, InputReport } from '../../model/report';
import { undatedWarning } from '../../model/report';
import type { PacketTable } from '../../model/packet-table';
import type { TrackedConnections } from '../tracked';
import { closeOf, safeIsoTime } from '../connection-report';
import { mergeVantagePoints, type SameConnectionKeys, type VantageMerge } from '../vantage/merge';
import { correlateFirewallLog, reportSlot, type CorrelateResult, type PacketConnection } from './correlate';
import { FirewallSideTable } from './side';
import { pairsOf, type FirewallJoin } from './join';
import type { FirewallLog } from './log';

export interface FirewallStepInput {
  table: PacketTable;
  connections: TrackedConnections;
  inputs: InputReport[];
  files: readonly string[];
  /** The firewall log of the session and its joins; null when no firewall log was loaded. */
  firewall: { log: FirewallLog; join: FirewallJoin } | null;
}

export interface FirewallStepResult {
  summary: NonNullable<CaptureSummary['firewall']> | null;
  merges: VantageMerge[];
  correlation: CorrelateResult | null;
  /** Inputs whose undated packets were given the log's date. */
  dated: number[];
}

const DAY_US = 86400e6;

/** Gives undated text captures the firewall log's date; returns the inputs it moved. */
export function dateCapturesFromLog(s: FirewallStepInput): number[] {
  const undated = s.inputs.map((r, i) => (r.undated && !r.dateFrom ? i : -1)).filter((i) => i >= 0);
  if (!undated.length || !s.firewall || !s.firewall.log.days.size) return [];
  const date = s.firewall.log.mostCommonDate();
  if (!date) return [];
  const days = Date.parse(`${date}T00:00:00Z`) / 86400e3;
  const shift = new Set(undated);
  const { table, connections: t } = s;
  const touched = new Set<number>();
  for (let i = 0; i < t.count; i++) {
    for (const row of t.rows(i)) {
      if (!shift.has(table.input.get(row))) continue;
      table.timeUs.set(row, table.timeUs.get(row) + days * DAY_US);
      touched.add(i);
    }
  }
  for (const i of touched) {
    let first = Infinity;
    let last = -Infinity;
    for (const row of t.rows(i)) {
      const tu = table.timeUs.get(row);
      if (tu < first) first = tu;
      if (tu > last) last = tu;
    }
    // Keep the tracker's own first/last times in step when it has them (read by later steps).
    t.store.firstTimeUs[i] = first;
    t.store.lastTimeUs[i] = last;
  }
  for (const i of undated) {
    const r = s.inputs[i];
    r.dateFrom = 'firewall log';
    const logs = s.inputs.filter((x) => isFirewallLog(x.format)).map((x) => x.file);
    // The reader's warning (worded by undatedWarning, not matched on its words) now says where the date came from.
    const undatedNow = undatedWarning();
    for (const w of r.warnings) if (w.message === undatedNow) w.message = undatedWarning({ date, logs });
  }
  return undated;
}

export function applyFirewallAndVantage(s: FirewallStepInput): FirewallStepResult {
  const dated = dateCapturesFromLog(s);
  // NAT hints for the vantage merge: both views of a firewall connection share a pair (the last connection
  // with that pair names it).
  let sameConnection: SameConnectionKeys | undefined;
  const fw = s.firewall;
  if (fw && fw.log.conns.count) {
    const { log, join } = fw;
    const { connStart, connList } = pairsOf(join);
    sameConnection = (r) => {
      const slot = reportSlot(log, join, r);
      if (slot < 0 || connStart[slot + 1] === connStart[slot]) return [];
      const i = connList[connStart[slot + 1] - 1];
      return [`${log.names.at(log.conns.device[i])}/${log.connIdText(i)}/${i}`];
    };
  }
  const t = s.connections;
  const merges = mergeVantagePoints(s.table, t, s.files, sameConnection);
  if (!fw) return { summary: null, merges, correlation: null, dated };
  // Only connections whose address pair the log names (real or mapped) can get firewall facts.
  const named: number[] = [];
  const views: PacketConnection[] = [];
  for (let i = 0; i < t.count; i++) {
    if (t.mergedAway.has(i)) continue;
    const client = t.endpoint(i, 'client');
    const server = t.endpoint(i, 'server');
    if (reportSlot(fw.log, fw.join, { client, server }) < 0) continue;
    named.push(i);
    views.push(packetConnection(t, i, client, server));
  }
  const packets = { table: s.table, connections: t };
  const correlation = correlateFirewallLog(fw.log, fw.join, views, { packets, messageCounts: s.inputs.map((r) => r.firewallMessages) });
  t.firewall = new FirewallSideTable(fw.log, fw.join, correlation, named, packets);
  return { summary: correlation.summary, merges, correlation, dated };
}

/** What correlation reads of connection i: as its report states it. */
function packetConnection(t: TrackedConnections, i: number, client: PacketConnection['client'], server: PacketConnection['server']): PacketConnection {
  const { fin, rst } = closeOf(t, i, t.facts(i, 'client'), t.facts(i, 'server'));
  return { id: String(i), client, server, start: safeIsoTime(t.store.firstTimeUs[i]), end: safeIsoTime(t.store.lastTimeUs[i]), close: { fin, rst } };
}
