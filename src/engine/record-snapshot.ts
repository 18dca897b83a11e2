/**
 * What writes a firewall log's log-only connection reports and deny records, as another thread gets it
 * (cli/threaded-write.ts): the log's columns (shared memory, not copied: model/firewall-store.ts shareColumns), its
 * names, the join's results, the log-only rows and the report id of each connection row. The other thread makes the
 * same writers from it (recordWriters) as the main thread has (correlate.ts LogOnlyConnections, firewall-records.ts
 * denyJsonOf), so either thread writes any record the same bytes.
 */
import type { AnalysisSession } from './analyze-sources';
import { denyJsonOf, reportIdTable, type DenyJson } from './firewall-records';
import { LogOnlyConnections } from '../analysis/firewall/log-only';
import {
  columnsShared, joinFromSnapshot, joinSnapshot, logFromSnapshot, logSnapshot, type FirewallJoinSnapshot, type FirewallLogSnapshot,
} from '../analysis/firewall/log-snapshot';

export interface RecordsSnapshot {
  log: FirewallLogSnapshot;
  join: FirewallJoinSnapshot;
  /** Connection rows of the log-only connections, in order (LogOnlyConnections.rows). */
  logOnlyRows: Int32Array;
  /** firewall-records.ts reportIdTable. */
  reportIdOf: Float64Array;
}

/**
 * The snapshot of a session's firewall log (`reportIdOf`: its reportIdTable when made already); null when it has
 * none, or its columns are not shared (it would copy them).
 */
export function recordsSnapshot(session: AnalysisSession, reportIdOf?: Float64Array): RecordsSnapshot | null {
  const fw = session.firewall;
  if (!fw || !columnsShared(fw.log)) return null;
  return {
    log: logSnapshot(fw.log), join: joinSnapshot(fw.join), logOnlyRows: fw.correlation?.syslogConnections.rows ?? new Int32Array(0),
    reportIdOf: reportIdOf ?? reportIdTable(session),
  };
}

export interface RecordWriters {
  logOnly: LogOnlyConnections;
  denies: DenyJson;
}

/** The writers of a snapshot's records (on the thread that received it). */
export function recordWriters(s: RecordsSnapshot): RecordWriters {
  const log = logFromSnapshot(s.log);
  const join = joinFromSnapshot(s.join);
  return { logOnly: new LogOnlyConnections(log, join, s.logOnlyRows), denies: denyJsonOf(log, join, s.reportIdOf) };
}
