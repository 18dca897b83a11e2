/**
 * A finished firewall log (log.ts, after finish()) as another thread reads it: its columns (shared, not copied, when
 * they were made shared: model/firewall-store.ts shareColumns), its names and the little else the reports and deny
 * records read. The reading side gets a FirewallLog to read, never to add to: the command line's writer thread
 * (cli/write-thread.ts) writes records from it with the same code as the main thread.
 */
import { FirewallConnColumns, FirewallDenyColumns } from '../../model/firewall-store';
import { Names, type NamesSnapshot } from '../../model/names';
import { FirewallLog } from './log';
import type { FirewallJoin } from './join';

type Columns = FirewallConnColumns | FirewallDenyColumns;

/** A table's typed-array columns by name, and its row count. */
export interface ColumnsSnapshot {
  count: number;
  arrays: Record<string, ArrayBufferView>;
}

export interface FirewallLogSnapshot {
  names: NamesSnapshot;
  normIds: Int32Array<ArrayBuffer>;
  conns: ColumnsSnapshot;
  denies: ColumnsSnapshot;
  files: string[];
  loggedAfterClose: boolean[];
}

function columnsOf(cols: Columns): ColumnsSnapshot {
  const arrays: Record<string, ArrayBufferView> = {};
  for (const [k, v] of Object.entries(cols)) if (ArrayBuffer.isView(v)) arrays[k] = v;
  return { count: cols.count, arrays };
}

function adopt<C extends Columns>(cols: C, s: ColumnsSnapshot): C {
  Object.assign(cols, s.arrays);
  cols.count = s.count;
  return cols;
}

/** Whether every column of the log is on shared memory (a snapshot then copies none of them). */
export function columnsShared(log: FirewallLog): boolean {
  const all = [...Object.values(columnsOf(log.conns).arrays), ...Object.values(columnsOf(log.denies).arrays)];
  return typeof SharedArrayBuffer === 'function' && all.every((a) => a.buffer instanceof SharedArrayBuffer);
}

export function logSnapshot(log: FirewallLog): FirewallLogSnapshot {
  return {
    names: log.names.snapshot(), normIds: log.normIds, conns: columnsOf(log.conns), denies: columnsOf(log.denies),
    files: log.files, loggedAfterClose: log.loggedAfterClose,
  };
}

/** The log of a snapshot, to read (its pairing state is empty: it is finished). */
export function logFromSnapshot(s: FirewallLogSnapshot): FirewallLog {
  const log = new FirewallLog();
  (log as { names: Names }).names = Names.fromSnapshot(s.names);
  adopt(log.conns, s.conns);
  adopt(log.denies, s.denies);
  log.normIds = s.normIds;
  log.files = s.files;
  log.loggedAfterClose = s.loggedAfterClose;
  return log;
}

/** The join's results that reports and deny records read (not its pair lookups, released by then). */
export type FirewallJoinSnapshot = Omit<FirewallJoin, 'pairs'>;

export function joinSnapshot(join: FirewallJoin): FirewallJoinSnapshot {
  const { denyConn, denyClass, connDenyStart, connDenyList, byClass, noConnectionLogging } = join;
  return { denyConn, denyClass, connDenyStart, connDenyList, byClass, noConnectionLogging };
}

export function joinFromSnapshot(s: FirewallJoinSnapshot): FirewallJoin {
  return { ...s, pairs: null };
}
