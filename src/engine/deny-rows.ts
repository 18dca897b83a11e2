/**
 * The page's deny table (model/deny-record.ts DenyQuery): every deny, drop and ICMP error of the loaded firewall
 * log, filtered by protocol, message id, cause, address and time in one pass over the deny columns (no object per
 * deny), with records made only for the page of rows shown. Runs in the worker.
 */
import { DENY_CAUSES } from '../model/deny-causes';
import type { DenyPage, DenyQuery } from '../model/deny-record';
import { NONE, protoName } from '../model/firewall-store';
import { connectionFlowRowSteps } from '../analysis/firewall/triage-input';
import { runSteps, STEP, type Steps } from '../lib/steps';
import { normalIp } from '../analysis/firewall/keys';
import type { AnalysisSession } from './analyze-sources';
import { denyRecordMaker } from './firewall-records';

/** What a session's deny queries reuse: the flow row of each firewall connection, counts for the filter lists. */
export interface DenyTable {
  flowRow: Int32Array;
  byProtocol: DenyPage['byProtocol'];
  byMessage: DenyPage['byMessage'];
  byCause: DenyPage['byCause'];
}

export function denyTableOf(session: AnalysisSession): DenyTable | null {
  return runSteps(denyTableSteps(session));
}

/** denyTableOf as steps (lib/steps.ts: the worker runs them in slices). */
export function* denyTableSteps(session: AnalysisSession): Steps<DenyTable | null> {
  const fw = session.firewall;
  if (!fw) return null;
  const d = fw.log.denies;
  const protos = new Map<number, number>();
  const msgs = new Map<number, number>();
  const causes = new Map<number, number>();
  for (let j = 0; j < d.count; j++) {
    if ((j & (STEP - 1)) === 0) yield;
    protos.set(d.proto[j], (protos.get(d.proto[j]) ?? 0) + 1);
    msgs.set(d.messageId[j], (msgs.get(d.messageId[j]) ?? 0) + 1);
    causes.set(d.cause[j], (causes.get(d.cause[j]) ?? 0) + 1);
  }
  const sorted = <T>(m: Map<number, number>, f: (k: number, n: number) => T) => [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([k, n]) => f(k, n));
  return {
    flowRow: yield* connectionFlowRowSteps(fw.log, fw.correlation, session.reports),
    byProtocol: sorted(protos, (proto, count) => ({ proto, name: protoName(proto), count })),
    // Message ids by their text (the vendor's), ties in text order.
    byMessage: [...msgs].map(([k, count]) => ({ id: fw.log.names.list[k], count })).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    byCause: [...causes].sort((a, b) => a[0] - b[0]).map(([cause, count]) => ({ cause, count })),
  };
}

/** `10.0.0.1`, `10.0.0.1:443`, `[2001:db8::1]:443`, `:443`, `443` as an address (lower case) and/or port. */
function parseAddress(q: string): { ip: string | null; port: number | null } | null {
  const s = q.trim().toLowerCase();
  if (!s) return null;
  if (/^:?\d{1,5}$/.test(s)) return { ip: null, port: Number(s.replace(':', '')) };
  const br = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (br) return { ip: br[1], port: Number(br[2]) };
  const v4p = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(s);
  if (v4p) return { ip: v4p[1], port: Number(v4p[2]) };
  return { ip: s, port: null };
}

export function queryDenies(session: AnalysisSession, table: DenyTable, q: DenyQuery): DenyPage {
  const fw = session.firewall!;
  const { log, join } = fw;
  const d = log.denies;
  const protos = q.protocols.length ? new Set(q.protocols) : null;
  // Message ids chosen (their text) as names ids; a text the log never had matches nothing.
  const msgs = q.messages.length ? new Set(q.messages.map((t) => log.names.find(t))) : null;
  const causes = q.causes.length ? new Set(q.causes) : null;
  const addr = parseAddress(q.address);
  // The address filter decided once per interned normalised address, not per row.
  const ipOk = new Map<number, boolean>();
  const okIp = (norm: number): boolean => {
    if (!addr?.ip) return true;
    if (norm === NONE) return false;
    let v = ipOk.get(norm);
    if (v === undefined) ipOk.set(norm, (v = normalIp(log.names.list[norm]).toLowerCase() === addr.ip));
    return v;
  };
  const from = q.fromUs ?? -Infinity;
  const to = q.toUs ?? Infinity;
  const timed = q.fromUs != null || q.toUs != null;
  const make = denyRecordMaker(session)!;
  const rows: DenyPage['rows'] = [];
  let total = 0;
  for (let j = 0; j < d.count; j++) {
    if (protos && !protos.has(d.proto[j])) continue;
    if (msgs && !msgs.has(d.messageId[j])) continue;
    if (causes && !causes.has(d.cause[j])) continue;
    if (timed && !(d.timeUs[j] >= from && d.timeUs[j] <= to)) continue;
    if (addr) {
      const sOk = okIp(log.normId(d.srcAddr[j])) && (addr.port === null || d.srcPort[j] === addr.port);
      const dOk = okIp(log.normId(d.dstAddr[j])) && (addr.port === null || d.dstPort[j] === addr.port);
      if (!sOk && !dOk) continue;
    }
    if (total >= q.offset && rows.length < q.limit) {
      const conn = join.denyConn[j];
      const row = conn >= 0 ? table.flowRow[conn] : -1;
      rows.push({ deny: make(j), row: row >= 0 ? row : null });
    }
    total++;
  }
  return { total, rows, byProtocol: table.byProtocol, byMessage: table.byMessage, byCause: table.byCause };
}

/** Labels of the cause codes, for callers that show the counts. */
export const causeLabel = (code: number): string => DENY_CAUSES[code]?.label ?? 'other';
