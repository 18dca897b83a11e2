/**
 * Sources in, analysis out: decodes every input into one connection tracker (one pass over the
 * packets; the per-connection analyses ride along), then the session: the store, the input reports, the summary
 * (from the store) and the connections as reports built when read (analysis/connection-list.ts). The analyze
 * JSON document is made only at an edge that writes it whole (`analyzeReport`). Used by the CLI (`analyze`) and
 * the worker. Per-connection packet timelines for the UI come from
 * `connectionPackets` on demand, from the PacketTable columns.
 */
import { formatInfo, isFirewallLog } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import type { AnalyzeReport, CaptureSummary, ConnectionReport, InputReport } from '../model/report';
import { PacketTable } from '../model/packet-table';
import { createProblemLog } from '../model/problems';
import type { FirewallEvent } from '../model/firewall';
import type { TriageInput } from '../model/firewall-triage';
import { anomalyNames } from '../model/anomalies';
import { decodeInput } from '../decode/index';
import { KeyLog } from '../tls/keylog';
import { createConnectionTracker, type TrackedConnections, type TrackerOptions } from '../analysis/connections';
import { summarizeList } from '../analysis/summary';
import { ConnectionList } from '../analysis/connection-list';
import { applyFirewallAndVantage } from '../analysis/firewall/apply';
import { FirewallLog } from '../analysis/firewall/log';
import { joinFirewallLog, releasePairs, type FirewallJoin } from '../analysis/firewall/join';
import type { CorrelateResult } from '../analysis/firewall/correlate';
import { triageInputSteps } from '../analysis/firewall/triage-input';
import { runSteps, type Steps } from '../lib/steps';

export interface AnalyzeProgress {
  /** Index and name of the input being read. */
  input: number;
  file: string;
  bytesRead: number;
  packets: number;
  connections: number;
}

export interface AnalyzeOptions {
  year?: number;
  date?: string;
  /** Time zone of syslog stamps that name none (DecodeOptions.tz). */
  tz?: string;
  onProgress?: (p: AnalyzeProgress) => void;
  isCancelled?: () => boolean;
  /** What decodes each input: decodeInput unless a driver brings its own with the same contract (the command
   *  line's two-thread decode, cli/threaded-decode.ts). */
  decode?: typeof decodeInput;
  /** Connections to make room for at the first one (createConnectionTracker's `expected`): the command line's estimate. */
  expectedConnections?: number;
  /**
   * Analyses left out because the caller reads none of their facts (analysis/connections.ts TrackerOptions): the
   * command line's readable table. The session's reports then lack what they would have said.
   */
  leaveOut?: TrackerOptions;
  /** Given the firewall log's store before any input is read (the page reads its rows while they come: engine/live-rows.ts). */
  onFirewallLog?: (log: FirewallLog) => void;
  /**
   * Given the firewall log once every input is read, before it is joined and correlated; `captured`: how many
   * connections the captures had (none: every firewall connection is a log-only one, in row order).
   */
  onLogRead?: (log: FirewallLog, captured: number) => void;
}

export interface AnalysisSession {
  /** What each input was and the problems met reading it, by input index. */
  inputs: InputReport[];
  /** Counts over every connection (from the store). */
  summary: CaptureSummary;
  /** The connections, each report built when read (the analyze JSON's `connections` order). */
  reports: ConnectionList;
  table: PacketTable;
  connections: TrackedConnections;
  /** Names of the inputs, by input index. */
  files: string[];
  /** The firewall log (columns), its joins and correlation; null when no firewall log was loaded. */
  firewall: { log: FirewallLog; join: FirewallJoin; correlation: CorrelateResult | null } | null;
  /** The firewall log as the triage view's columns (built on first read); null without a firewall log. */
  readonly triage: TriageInput | null;
  /** The same as steps (lib/steps.ts), for the worker to build it in slices; kept once built. */
  triageSteps(): Steps<TriageInput | null>;
  /** TLS secrets from key log inputs and pcapng DSBs; they stay in the engine (never in a report or export). */
  keyLog: KeyLog;
  /** By input: what a binary capture's framer noted for re-reading one record (engine/reread-frame.ts). */
  rereadNotes: (readonly number[] | undefined)[];
  cancelled: boolean;
}

/** One packet of a connection's timeline, as the UI ladder wants it. */
export interface ConnectionPacket {
  /** Index within the connection (0-based). */
  index: number;
  timeUs: number;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  /** Sequence/acknowledgement numbers relative to each side's initial sequence number. */
  relSeq: number;
  relAck: number;
  payloadLength: number;
  window: number;
  anomalies: string[];
  frame: number;
  file: string;
}

export async function analyzeSources(sources: readonly ByteSource[], options: AnalyzeOptions = {}): Promise<AnalysisSession> {
  const table = new PacketTable();
  const tracker = createConnectionTracker(table, options.expectedConnections, options.leaveOut);
  const inputs: InputReport[] = [];
  const files = sources.map((s) => s.name);
  // Firewall hook: syslog inputs deliver each event here (the decoder's scratch object), copied into columns.
  const fwLog = new FirewallLog();
  fwLog.files = files;
  if (sources.length > 1) fwLog.foldDuplicatesAcrossInputs();
  // The join's pair index, room made at its first connection: a pair per 512 bytes of input (a 5 M-line ASA log has
  // ~2 per 900 bytes). Too much costs 4 bytes a pair (a deny-only log of 850 MB: 16 MB), too little a rehash.
  fwLog.pairs.expect(Math.min(sources.reduce((n, s) => n + (s.size ?? 0), 0) / 512, 1 << 23));
  options.onFirewallLog?.(fwLog);
  const keyLog = new KeyLog();
  const rereadNotes: (readonly number[] | undefined)[] = sources.map(() => undefined);
  let cancelled = false;

  for (let i = 0; i < sources.length; i++) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const source = sources[i];
    const problems = createProblemLog(source.name);
    fwLog.problems = problems;
    const report = await (options.decode ?? decodeInput)(
      source,
      i,
      {
        segments: tracker,
        firewall: { event: (e, text, at) => fwLog.add(e as FirewallEvent, text, at), records: fwLog },
        secrets: (text) => keyLog.add(text),
        rereadNotes: (notes) => void (rereadNotes[i] = notes),
      },
      {
        problems,
        year: options.year,
        date: options.date,
        tz: options.tz,
        isCancelled: options.isCancelled,
        onProgress: (bytesRead) =>
          options.onProgress?.({
            input: i,
            file: source.name,
            bytesRead,
            packets: tracker.packetCount,
            // A firewall log's connections as its lines are read (its Built or Teardown lines; before any join).
            connections: tracker.connectionCount + fwLog.conns.count,
          }),
      },
    );
    if (problems.dropped > 0) problems.warn(`${problems.dropped} more problems were not listed`);
    inputs.push(report);
    fwLog.loggedAfterClose[i] = formatInfo(report.format).teardownStamp === 'after-close';
    if (options.isCancelled?.()) cancelled = true;
  }

  const connections = tracker.finish();
  fwLog.finish();
  if (!cancelled) options.onLogRead?.(fwLog, connections.count);
  const hasLog = fwLog.events > 0 || inputs.some((r) => isFirewallLog(r.format));
  // Deny-only address pairs are indexed only when captured connections may have them.
  const join = hasLog ? joinFirewallLog(fwLog, connections.count > 0) : null;
  const firewall = join ? { log: fwLog, join, correlation: null as CorrelateResult | null } : null;
  // FIREWALL / VANTAGE HOOK (src/analysis/firewall/apply.ts), with several inputs or a firewall log: undated text
  // captures get the firewall log's date, connections seen at two capture points are merged (vantage side table),
  // and the firewall log is correlated (firewall side table; log-only connections come back as a lazy list).
  const needsStep = inputs.filter((r) => formatInfo(r.format).yields !== 'secrets').length > 1 || hasLog;
  const fw = needsStep ? applyFirewallAndVantage({ table, connections, inputs, files, firewall }) : null;
  if (firewall && fw) firewall.correlation = fw.correlation;
  // Nothing correlates after this: the pair lookups go before any output is written.
  if (join) releasePairs(join);
  const list = new ConnectionList(connections, table, files, fw?.correlation?.syslogConnections);
  const summary = summarizeList(list);
  if (fw?.summary) summary.firewall = fw.summary;
  const logFormats = [...new Set(inputs.map((r) => r.format).filter(isFirewallLog))];
  let triage: TriageInput | null | undefined;
  function* triageSteps(): Steps<TriageInput | null> {
    if (triage === undefined) triage = firewall ? yield* triageInputSteps(firewall.log, firewall.join, firewall.correlation, list, logFormats) : null;
    return triage;
  }
  return {
    inputs, summary, reports: list, table, connections, files, firewall, keyLog, rereadNotes, cancelled, triageSteps,
    get triage() {
      return runSteps(triageSteps());
    },
  };
}

/** The analyze JSON document of a session (`analyze --json`, the page's JSON export): every report built now. */
export function analyzeReport(session: AnalysisSession): AnalyzeReport {
  return { inputs: session.inputs, connections: session.reports.toArray(), summary: session.summary };
}

/** The packets of one connection (by index / id), oldest first. */
export function connectionPackets(session: AnalysisSession, connectionId: string | number): ConnectionPacket[] {
  const i = typeof connectionId === 'number' ? connectionId : Number(connectionId);
  const t = session.connections;
  if (!t.has(i)) return [];
  return connectionPacketRange(session, i, 0, t.rowCount(i));
}

/** Packets [from, end) of connection i (indices within the connection), as the ladder wants them. */
export function connectionPacketRange(session: AnalysisSession, i: number, from: number, end: number): ConnectionPacket[] {
  const t = session.connections;
  const table = session.table;
  const client = t.facts(i, 'client');
  const server = t.facts(i, 'server');
  const out: ConnectionPacket[] = [];
  for (let k = from; k < end; k++) {
    const row = t.row(i, k);
    const fromClient = table.fromClient.get(row) === 1;
    const me = fromClient ? client : server;
    const peer = fromClient ? server : client;
    const seq = table.seq.get(row);
    const ack = table.ack.get(row);
    const flags = table.flags.get(row);
    out.push({
      index: k,
      timeUs: table.timeUs.get(row),
      fromClient,
      flags,
      seq,
      ack,
      relSeq: me.baseSet ? (seq - me.base) >>> 0 : seq,
      relAck: flags & 0x10 && peer.baseSet ? (ack - peer.base) >>> 0 : 0,
      payloadLength: table.payloadLength.get(row),
      window: table.window.get(row),
      anomalies: anomalyNames(table.anomalies.get(row)),
      frame: table.frame.get(row),
      file: session.files[table.input.get(row)] ?? '',
    });
  }
  return out;
}
