/**
 * What `analyze` writes, streamed to stdout with backpressure (cli/stdout.ts; no whole-document string, no array of rows):
 *  - the readable table, in blocks of rows (cli/table-blocks.ts), each row written as it is laid out from its
 *    columns (cli/connection-columns.ts); column widths are those of the rows so far (they only grow), so a table of
 *    millions of rows never holds them all. After the connections, a firewall log's denies as a second table
 *    (cli/deny-columns.ts), the same way;
 *  - `--json`: one AnalyzeReport document, a connection at a time; if anything fails midway the document is still
 *    closed (with an "error" member) so no reader is left with unterminated JSON;
 *  - `--ndjson`: one record per line: {"record":"connection",...report}, {"record":"deny",...} for each deny,
 *    drop and ICMP error (engine/firewall-records.ts), then one {"record":"summary","inputs":[...],"summary":{...}} line.
 */
import type { AnalyzeReport, ConnectionReport } from '../model/report';
import type { DenyRecord } from '../model/deny-record';
import { reportIdTable, type DenyJson } from '../engine/firewall-records';
import { formatProblem } from '../model/problems';
import { putConnections, type LogOnlyJson } from './json-connections';
import { DENY_CLASSES } from '../model/firewall-triage';
import { IDLE_DENY_WINDOW_S, LATE_DENY_WINDOW_S } from '../analysis/firewall/join';
import { writeBlocks } from './table-blocks';
import { connectionTable } from './connection-columns';
import { denyTable } from './deny-columns';
import type { AnalysisSession } from '../engine/analyze-sources';
import { noConnectionMessageIds } from '../analysis/firewall/message-numbers';
import { TextOut } from './text-out';
import { toStdoutBehind, type Out } from './stdout';
import type { RecordSplit } from './threaded-write';
import { denyBlockRows, type TableThread } from './threaded-table';

type Head = Omit<AnalyzeReport, 'connections'>;

const DONE = Promise.resolve();

/**
 * The connections' table (cli/connection-columns.ts), a block at a time, then the firewall denies' table
 * (cli/deny-columns.ts; when there are any), then the summary and each input's warnings; to stdout unless `to`.
 * Each block is copied into TextOut's two buffers and written on another thread (toStdoutBehind) while the next is
 * laid out. `tables`: the table thread of a big log (cli/threaded-table.ts), which may be writing the connections'
 * table (what follows waits for it) and lays out blocks of the denies' table; ended here.
 */
export async function writeTable(session: AnalysisSession, to: Out = toStdoutBehind, tables: TableThread | null = null): Promise<void> {
  const text = new TextOut(to);
  const out: Out = (chunk) => text.copy(chunk) ?? DONE;
  const connections = async () => {
    if (!(await tables?.connectionsWritten)) await writeBlocks(connectionTable(session.reports, session.firewall), undefined, out);
  };
  // (Before the denies: meanwhile the table thread may still be writing the connection table.)
  const log = session.firewall?.log;
  const ids = log ? noConnectionMessageIds(log.denies, log.names) : [];
  try {
    const fw = session.firewall;
    if (!fw) await connections();
    else {
      const idOf = reportIdTable(session);
      const denies = denyTable(session, idOf)!;
      const title = '\nfirewall denies, drops and ICMP errors:\n';
      if (!(await tables?.denies(denies, fw.join.denyConn, idOf, title, out, connections))) {
        await connections();
        await writeBlocks(denies, title, out, denyBlockRows());
      }
    }
  } finally {
    await tables?.end();
  }
  await out(`${summaryText({ inputs: session.inputs, summary: session.summary }, ids)}\n`);
  await text.flush();
}

/** The summary and each input's warnings; `noConnectionIds`: the log's message ids of its TCP no-connection denies. */
export function summaryText(report: Head, noConnectionIds: readonly string[] = []): string {
  const out: string[] = [];
  const s = report.summary;
  if (s) {
    out.push('', `connections: ${s.connections}`);
    out.push(`by kind: ${Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || '-'}`);
    out.push(`closed first by: client ${s.byInitiator.client}, server ${s.byInitiator.server}, none ${s.byInitiator.none}`);
    out.push(`RSTs after both FINs: ${s.rstsAfterBothFins}`);
    if (s.topRstSenders.length) out.push(`top RST senders: ${s.topRstSenders.slice(0, 5).map((r) => `${r.host} (${r.role}) ${r.rsts}`).join(', ')}`);
    for (const sv of s.byServer.slice(0, 10)) {
      out.push(`server ${sv.server}: ${sv.connections} (${Object.entries(sv.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
    }
    const fw = s.firewall;
    if (fw) {
      // Named by the log's own message ids for them (an ASA log: 106015), as the triage panel names them.
      const noConnIds = noConnectionIds.length ? noConnectionIds.join(', ') : 'TCP';
      out.push(
        `firewall ${noConnIds} "no connection" denies: ${fw.denies106015} (${fw.deniesLateClose} late packets of just-closed connections, ` +
        `${fw.deniesIdleTimeout ?? 0} after idle timeouts, ${fw.deniesUnknown} unknown traffic)`,
      );
      if (fw.connectionLogging === false && fw.denies106015 > 0) {
        out.push('  the log has no connection messages (Built/Teardown) at all: connection logging is off or the log was filtered, so no deny can be tied to a connection');
      } else {
        const shown = DENY_CLASSES.map((c) => [c, fw.deniesByClass?.[c.name] ?? 0] as const).filter(([, n]) => n > 0);
        for (const [c, n] of shown) {
          const window = c.name === 'late-close' ? ` (within ${LATE_DENY_WINDOW_S} s)` : c.name === 'idle-timeout' ? ` (within ${IDLE_DENY_WINDOW_S / 3600} h)` : '';
          out.push(`  ${c.label}${window}: ${n}. ${c.explain}`);
        }
      }
      if (fw.duplicateLines) out.push(`firewall duplicate lines folded: ${fw.duplicateLines}`);
      const counts = (m: Record<string, number> | undefined) => Object.entries(m ?? {}).map(([k, n]) => `${k} ${n}`).join(', ');
      if (fw.connectionsByProtocol && Object.keys(fw.connectionsByProtocol).length) out.push(`firewall connections by protocol: ${counts(fw.connectionsByProtocol)}`);
      if (fw.deniesByMessage && Object.keys(fw.deniesByMessage).length) {
        out.push(`firewall denies, drops and ICMP errors by message: ${counts(fw.deniesByMessage)}`);
        out.push(`  by cause: ${counts(fw.deniesByCause)}; by protocol: ${counts(fw.deniesByProtocol)}`);
      }
      const ids = Object.entries(fw.messagesById).sort((a, b) => b[1] - a[1]);
      if (ids.length) out.push(`firewall messages by id: ${ids.slice(0, 12).map(([id, n]) => `${id} ${n}`).join(', ')}`);
    }
  }
  for (const inp of report.inputs) {
    out.push('', `${inp.file}: ${inp.format}${inp.gzip ? ' (gzip)' : ''}, ${inp.packets} records, ${inp.tcpPackets} TCP segments`);
    const skipped = Object.entries(inp.skipped);
    if (skipped.length) out.push(`  skipped: ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const p of inp.errors) out.push(`  error: ${formatProblem(p)}`);
    for (const p of inp.warnings) out.push(`  warning: ${formatProblem(p)}`);
  }
  return out.join('\n');
}

/**
 * The report as one JSON document, written a connection at a time, each report built as it is written: neither
 * the whole document as one string nor every report at once is held. Returns false when it had to stop early
 * (the document then ends with an "error" member, and is still valid JSON).
 */
export async function writeJson(
  report: Head,
  connections: Iterable<ConnectionReport>,
  timeline?: (c: ConnectionReport) => unknown[],
  denies?: Denies,
  logOnlyJson?: LogOnlyJson | null,
  to: Out = toStdoutBehind,
  split?: RecordSplit | null,
): Promise<boolean> {
  const out = new TextOut(to);
  await out.put(`{"inputs":${JSON.stringify(report.inputs)},\n"connections":[`);
  const done = { n: 0 };
  const extend = timeline ? (c: ConnectionReport) => (c.source !== 'syslog' ? { ...c, timeline: timeline(c) } : c) : undefined;
  try {
    await putConnections(out, connections, '{', (k) => (k ? ',\n' : '\n'), '', done, logOnlyJson, extend, split);
  } catch (e) {
    await out.put(`\n],\n"error":${JSON.stringify(`stopped after ${done.n} connections: ${(e as Error)?.message ?? String(e)}`)}}\n`);
    await out.flush();
    return false;
  }
  await out.put('\n]');
  if (denies) {
    const begun = { n: 0 };
    try {
      await putDenies(out, denies, (i) => (i ? ',\n' : ',\n"denies":[\n'), '', begun, split);
    } catch (e) {
      const i = begun.n;
      await out.put(`${i ? '\n]' : ''},\n"error":${JSON.stringify(`stopped after ${i} denies: ${(e as Error)?.message ?? String(e)}`)}}\n`);
      await out.flush();
      return false;
    }
    if (begun.n) await out.put('\n]');
  }
  if (report.summary !== undefined) await out.put(`,\n"summary":${JSON.stringify(report.summary)}`);
  await out.put('}\n');
  await out.flush();
  return true;
}

/** Denies to write: written as bytes from the firewall columns (engine/firewall-records.ts), or records or their text. */
type Denies = DenyJson | Iterable<DenyRecord | string>;

/**
 * Writes every deny, with `sep(i)` before the i-th and `end` after each (ASCII punctuation, stored as bytes when the
 * denies are written as bytes; `sep` tells only the first apart); `begun.n` counts those begun. `split`: written as
 * bytes on two threads (cli/threaded-write.ts).
 */
async function putDenies(out: TextOut, denies: Denies, sep: (i: number) => string, end: string, begun: { n: number }, split?: RecordSplit | null): Promise<void> {
  let w: Promise<void> | undefined;
  if (!('write' in denies)) {
    for (const d of denies) {
      if ((w = out.put(sep(begun.n++)))) await w;
      if ((w = out.put(typeof d === 'string' ? d : JSON.stringify(d)))) await w;
      if (end && (w = out.put(end))) await w;
    }
    return;
  }
  if (split && denies.count) {
    const run = { kind: 'deny' as const, count: denies.count, base: begun.n, head: '{', sep0: sep(0), sep: sep(1), end };
    return split.run(out, run, (w, j) => denies.write(w, j), begun);
  }
  for (let j = 0; j < denies.count; j++) {
    out.bytes.ascii(sep(begun.n++));
    const at = out.bytes.n;
    try {
      denies.write(out.bytes, j);
    } catch (e) {
      out.bytes.n = at; // no half record before the caller's error member
      throw e;
    }
    out.bytes.ascii(end);
    if ((w = out.written())) await w;
  }
}

/** One JSON record per line: connections, then denies (every message), then the summary line. */
export async function writeNdjson(
  report: Head,
  connections: Iterable<ConnectionReport>,
  denies: Denies,
  logOnlyJson?: LogOnlyJson | null,
  to: Out = toStdoutBehind,
  split?: RecordSplit | null,
): Promise<boolean> {
  const out = new TextOut(to);
  let ok = true;
  try {
    await putConnections(out, connections, '{"record":"connection",', () => '', '\n', { n: 0 }, logOnlyJson, undefined, split);
    await putDenies(out, denies, () => '', '\n', { n: 0 }, split);
  } catch (e) {
    ok = false;
    process.stderr.write(`analyze: --ndjson stopped early: ${(e as Error)?.message ?? String(e)}\n`);
  }
  await out.put(`${JSON.stringify({ record: 'summary', inputs: report.inputs, summary: report.summary ?? null, complete: ok })}\n`);
  await out.flush();
  return ok;
}
