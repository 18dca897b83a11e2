/**
 * Firewall correlation: a firewall log (log.ts columns, joined in join.ts) with the packet connections.
 *  (a) firewall connections no packet connection matches become ConnectionReports of their own (source
 *      "syslog"), built when read (LogOnlyConnections), never all at once;
 *  (b) 106015 denies are classed and joined in join.ts (late-close, idle-timeout, no-connection);
 *  (c) packet connections get the firewall connection with the same 4-tuple (real or mapped) whose lifetime
 *      overlaps theirs once the capture/firewall clock offset (estimated from Teardown stamps vs the captures' last
 *      packets, for logs that stamp the teardown at the close: model/formats.ts teardownStamp) is applied, or the denies of their pair alone; their FirewallFacts are made when a report is
 *      (`firewallFactsOf`, side.ts).
 * Every lookup goes through the join's pair index: linear in events + connections.
 */
import type { CaptureSummary, ConnectionReport, FirewallFacts } from '../../model/report';
import { DENY_CLASS, DENY_CLASSES, type DenyClassName } from '../../model/firewall-triage';
import { DENY_CAUSES } from '../../model/deny-causes';
import { protoName, shareable } from '../../model/firewall-store';
import { factsFor, joinedConnection, looseFacts, median, parseIsoUs, type PacketRows } from './facts';
import { LogOnlyConnections } from './log-only';
import type { FirewallLog } from './log';
import { LATE_DENY_WINDOW_S, MATCH_SLACK_US, pairsOf, type FirewallJoin } from './join';
import { endpointCode, pairFind } from './pair-index';

export { LATE_DENY_WINDOW_S, IDLE_DENY_WINDOW_S } from './join';
export type FirewallSummary = NonNullable<CaptureSummary['firewall']>;

export interface CorrelateOptions {
  /** The packet rows, to time denied packets precisely (optional). */
  packets?: PacketRows;
  /** Per-input message counts (InputReport.firewallMessages), summed into the summary. */
  messageCounts?: readonly (Record<string, number> | undefined)[];
}

/** What correlation needs of a packet connection (a ConnectionReport has it; the engine makes only this). */
export interface PacketConnection {
  id: string;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  start: string;
  end: string;
  close?: { fin: { client: boolean; server: boolean }; rst: { client: boolean; server: boolean } };
}

/** Per packet connection (by position in the list correlated): its firewall connection row, or the denies alone. */
export interface FirewallMatches {
  /** Firewall connection row, -1 for none. */
  row: Int32Array;
  /** Deny indexes of connections with no firewall connection but denies of their pair. */
  loose: Map<number, number[]>;
}

export interface CorrelateResult {
  /** Firewall connections no packet connection matched (every protocol), built when read. */
  syslogConnections: LogOnlyConnections;
  summary: FirewallSummary;
  /** Firewall clock minus capture clock, µs (0 when within the stamps' precision or unknown). */
  clockOffsetUs: number;
  /** Packet connections that got FirewallFacts. */
  matched: number;
  /** Per firewall connection row: 1 when a packet connection matched it. */
  matchedRows: Uint8Array;
  /** Per firewall connection row: the id (connection index) of the packet report it matched, -1 for none. */
  matchedReport: Int32Array;
  /** Per packet connection correlated (in the order given). */
  matches: FirewallMatches;
}

export function sumMessageCounts(counts: CorrelateOptions['messageCounts']): Record<string, number> {
  const messagesById: Record<string, number> = {};
  for (const m of counts ?? []) for (const [id, n] of Object.entries(m ?? {})) messagesById[id] = (messagesById[id] ?? 0) + n;
  return messagesById;
}

/** Pair slot of a packet report's client/server in the join's index, -1 when the log never names that pair. */
export function reportSlot(log: FirewallLog, join: FirewallJoin, r: { client: { ip: string; port: number }; server: { ip: string; port: number } }): number {
  const a = log.names.find(r.client.ip);
  const b = log.names.find(r.server.ip);
  if (a < 0 || b < 0) return -1;
  return pairFind(pairsOf(join).index, endpointCode(a, r.client.port), endpointCode(b, r.server.port));
}

const precOf = (p: number): number => (Number.isFinite(p) ? p : 1e6);

export function correlateFirewallLog(log: FirewallLog, join: FirewallJoin, packetReports: readonly PacketConnection[], options: CorrelateOptions = {}): CorrelateResult {
  const c = log.conns;
  const matches: FirewallMatches = { row: new Int32Array(packetReports.length).fill(-1), loose: new Map() };
  const slots = packetReports.map((r) => reportSlot(log, join, r));
  const { connStart, connList, denySlot } = pairsOf(join);
  // (c) packet connections -> firewall connections. First the clock offset, from unambiguous pairs.
  const samples: number[] = [];
  let precision = 1e6;
  packetReports.forEach((r, k) => {
    const s = slots[k];
    if (s < 0 || connStart[s + 1] - connStart[s] !== 1) return;
    const x = connList[connStart[s]];
    const td = c.tdUs[x];
    // A teardown logged after the close (FortiGate: when the session left the table) times no packet: it would read
    // the firewall's timers as clock skew.
    if (!(c.seen[x] & 2) || log.loggedAfterClose[c.tdInput[x]] || !Number.isFinite(td) || !r.close || (!r.close.fin.client && !r.close.fin.server && !r.close.rst.client && !r.close.rst.server)) return;
    const prec = precOf(c.tdPrec[x]);
    precision = Math.min(precision, prec);
    const end = parseIsoUs(r.end);
    // Stamps are truncated: the teardown happened in [stamp, stamp + precision).
    if (Number.isFinite(end)) samples.push(td + prec / 2 - end);
  });
  let clockOffsetUs = median(samples);
  if (!Number.isFinite(clockOffsetUs) || Math.abs(clockOffsetUs) <= precision) clockOffsetUs = 0;

  const matchedRows = new Uint8Array(c.count);
  const matchedReport = new Int32Array(c.count).fill(-1);
  let matched = 0;
  packetReports.forEach((r, k) => {
    const s = slots[k];
    if (s < 0) return;
    const start = parseIsoUs(r.start) + clockOffsetUs;
    const end = parseIsoUs(r.end) + clockOffsetUs;
    let best = -1;
    let bestGap = Infinity;
    for (let q = connStart[s]; q < connStart[s + 1]; q++) {
      const x = connList[q];
      const prec = Math.max(c.seen[x] & 1 ? precOf(c.builtPrec[x]) : 1e6, c.seen[x] & 2 ? precOf(c.tdPrec[x]) : 1e6);
      const fs = Number.isFinite(c.startUs[x]) ? c.startUs[x] - prec : -Infinity;
      const fe = c.seen[x] & 2 && Number.isFinite(c.endUs[x]) ? c.endUs[x] + prec : Infinity;
      const gap = Math.max(0, fs - end, start - fe);
      if (gap < bestGap) {
        bestGap = gap;
        best = x;
      }
    }
    if (best < 0 || bestGap > MATCH_SLACK_US) return;
    matchedRows[best] = 1;
    matchedReport[best] = Number.isInteger(Number(r.id)) ? Number(r.id) : -1;
    matched++;
    matches.row[k] = best;
  });
  // Packet connections the log has no connection for, but whose packets it denied (asymmetric routing, a
  // connection the firewall expired or never saw open): those denies alone.
  const wanted = new Map<number, number[]>();
  packetReports.forEach((r, k) => {
    if (matches.row[k] < 0 && slots[k] >= 0) wanted.set(slots[k], []);
  });
  if (wanted.size) {
    const d = log.denies;
    for (let j = 0; j < d.count; j++) if (join.denyConn[j] < 0 && denySlot[j] >= 0) wanted.get(denySlot[j])?.push(j);
    packetReports.forEach((r, k) => {
      const list = matches.row[k] >= 0 ? undefined : wanted.get(slots[k]);
      if (!list?.length) return;
      const start = parseIsoUs(r.start) + clockOffsetUs - MATCH_SLACK_US;
      const end = parseIsoUs(r.end) + clockOffsetUs + LATE_DENY_WINDOW_S * 1e6;
      const mine = list.filter((j) => d.timeUs[j] >= start && d.timeUs[j] <= end);
      if (mine.length) matches.loose.set(k, mine);
    });
  }

  // (a) the rest: connections known from the log only.
  let n = 0;
  for (let i = 0; i < c.count; i++) if (!matchedRows[i]) n++;
  const rows = shareable(Int32Array, n);
  n = 0;
  for (let i = 0; i < c.count; i++) if (!matchedRows[i]) rows[n++] = i;
  return {
    syslogConnections: new LogOnlyConnections(log, join, rows),
    summary: firewallSummary(log, join, sumMessageCounts(options.messageCounts)),
    clockOffsetUs,
    matched,
    matchedRows,
    matchedReport,
    matches,
  };
}

/**
 * The summary's `firewall` part. deniesLateClose: 106015 denies of the late-close class; deniesUnknown: those of
 * no connection in the log (the no-connection class; before the idle-timeout class existed it also held denies
 * after idle timeouts beyond 120 s, and the late count held those within 120 s); deniesIdleTimeout: the
 * idle-timeout class. denies106015 = deniesLateClose + deniesIdleTimeout + deniesUnknown.
 */
export function firewallSummary(log: FirewallLog, join: FirewallJoin, messagesById: Record<string, number>): FirewallSummary {
  const byClass = Object.fromEntries(DENY_CLASSES.map((k, i) => [k.name, join.byClass[i]])) as Record<DenyClassName, number>;
  return {
    denies106015: log.deniesNoConnectionTcp,
    deniesLateClose: join.byClass[DENY_CLASS['late-close']],
    deniesUnknown: join.byClass[DENY_CLASS['no-connection']],
    messagesById,
    deniesIdleTimeout: join.byClass[DENY_CLASS['idle-timeout']],
    deniesByClass: byClass,
    connectionLogging: !join.noConnectionLogging,
    duplicateLines: log.duplicateLines,
    ...storyCounts(log),
  };
}

/**
 * The log's denies by message id, cause and protocol (repeats counted), and its connections by protocol: counted in
 * arrays by the byte value (cause, protocol) and by runs of one message id, not a Map look-up per row (a big log's
 * million denies made three each: a tenth of the work after its last line).
 */
function storyCounts(log: FirewallLog): Pick<FirewallSummary, 'deniesByMessage' | 'deniesByCause' | 'deniesByProtocol' | 'connectionsByProtocol'> {
  const d = log.denies;
  const msg = new Map<number, number>();
  const causeN = new Float64Array(256);
  const protoN = new Float64Array(256);
  const seen = new Uint8Array(512); // cause k at k, protocol k at 256 + k
  let runId = -1;
  let runN = 0;
  for (let j = 0; j < d.count; j++) {
    const n = d.repeat[j];
    const id = d.messageId[j];
    if (id !== runId) {
      if (runId >= 0) msg.set(runId, (msg.get(runId) ?? 0) + runN);
      runId = id;
      runN = 0;
    }
    runN += n;
    causeN[d.cause[j]] += n;
    seen[d.cause[j]] = 1;
    protoN[d.proto[j]] += n;
    seen[256 + d.proto[j]] = 1;
  }
  if (runId >= 0) msg.set(runId, (msg.get(runId) ?? 0) + runN);
  const cause = new Map<number, number>();
  const proto = new Map<number, number>();
  for (let k = 0; k < 256; k++) {
    if (seen[k]) cause.set(k, causeN[k]);
    if (seen[256 + k]) proto.set(k, protoN[k]);
  }
  const connN = new Float64Array(256);
  const cp = log.conns.proto;
  for (let i = 0; i < log.conns.count; i++) connN[cp[i]]++;
  const conns = new Map<number, number>();
  for (let k = 0; k < 256; k++) if (connN[k]) conns.set(k, connN[k]);
  const record = (m: Map<number, number>, key: (k: number) => string) =>
    Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([k, n]) => [key(k), n]));
  // Message ids by their text (the vendor's), ties in text order.
  const byText = [...msg].map(([k, n]) => [log.names.list[k], n] as const);
  return {
    deniesByMessage: Object.fromEntries(byText.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
    deniesByCause: record(cause, (k) => DENY_CAUSES[k].name),
    deniesByProtocol: record(proto, protoName),
    connectionsByProtocol: record(conns, protoName),
  };
}

/** FirewallFacts of the k-th packet connection correlated, for its report `r`; undefined when it has none. */
export function firewallFactsOf(
  log: FirewallLog, join: FirewallJoin, result: CorrelateResult, k: number, r: ConnectionReport, packets: PacketRows | undefined,
): FirewallFacts | undefined {
  const row = result.matches.row[k];
  if (row >= 0) return factsFor(log, join, joinedConnection(log, join, row), r, result.clockOffsetUs, packets);
  const loose = result.matches.loose.get(k);
  return loose ? looseFacts(log, loose, r) : undefined;
}
