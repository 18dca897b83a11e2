/**
 * The engine behind EngineApi, in plain TypeScript (runs in the worker, and in Node for tests).
 * Holds the loaded analysis; answers table queries and ladder requests from it.
 */
import { createBlobSource, createBytesSource, createTextSource, type ByteSource } from '../lib/byte-source';
import type { ConnectionReport } from '../model/report';
import { analyzeReport, analyzeSources, type AnalysisSession, type AnalyzeOptions, type AnalyzeProgress } from './analyze-sources';
import { connectionPacketWindow } from './packet-window';
import { ladderPackets, packetPage, readPacketBytes } from './packet-rows';
import { loadOptionsProblem } from '../model/load-options';
import { queryFlows, type FlowColumns, type FlowQueryCache } from '../model/flow-table';
import { flowOverview, flowWindow } from '../model/flow-window';
import { kindCode, REFERENCE_KIND } from '../model/close-kinds';
import type { LadderData } from '../render/ladder-types';
import { exportConnectionsCapture } from './export-frames';
import { readPacketDetail } from './packet-detail';
import { applyTlsView, readConnectionTls } from './tls-view';
import { flowColumnsOf } from './flow-columns';
import { logOnlyFlowRows } from './firewall-records';
import { cleanLogClose, prepareTriage, rowDenyClasses, triageViewSteps, type TriagePrep } from '../analysis/firewall/triage';
import { createFlowColumns, MARK_SYSLOG_ONLY } from '../model/flow-table';
import { denyTableSteps, queryDenies, type DenyTable } from './deny-rows';
import { nextTask, runSliced } from '../lib/steps';
import { LiveLogRows } from './live-rows';
import { pickTellingRow } from './telling-row';
import type { EngineApi, InputSpec, LoadOptions, LoadProgress, LoadResult, LadderRequest } from './api';

const PROGRESS_EVERY_MS = 100;
const EMPTY_FLOWS = createFlowColumns(0).c;
const DEFAULT_LIMIT = 4000;

export function toSource(spec: InputSpec): ByteSource {
  switch (spec.kind) {
    case 'blob': return createBlobSource(spec.name, spec.blob);
    case 'text': return createTextSource(spec.name, spec.text);
    case 'bytes': return createBytesSource(spec.name, spec.bytes);
  }
}

/** `source`, telling `onPosition` how far into it its slices (or another thread reading its blob) have read. */
function countingSource(source: ByteSource, onPosition: (pos: number) => void): ByteSource {
  return {
    name: source.name,
    size: source.size,
    blob: source.blob,
    readElsewhere: onPosition,
    async *slices(offset = 0, sliceSize?: number) {
      let pos = offset;
      for await (const slice of source.slices(offset, sliceSize)) {
        pos += slice.length;
        onPosition(pos);
        yield slice;
      }
    },
    read: (offset, length) => source.read(offset, length),
  };
}

/** Ladder data of one connection: its packets (at most `limit`, kept around the close). */
export function ladderData(s: AnalysisSession, conn: ConnectionReport, limit = DEFAULT_LIMIT): LadderData {
  // Objects only for the packets drawn: a connection may hold tens of millions (packet-window.ts).
  const win = connectionPacketWindow(s, conn.id, limit);
  const packets = ladderPackets(s, conn, win.packets, win.rows);
  return { connection: conn, packets, totalPackets: win.total, origin: '' };
}

/**
 * The ladder of flow-table entry `row` with its TLS read again from the input: record labels on the arrows, and
 * the alerts (decrypted with the loaded key log when it has the secrets) in the close's TLS facts and explanation.
 * Only for connections the packet pass found TLS on; others get the plain ladder.
 */
export async function ladderWithTls(s: AnalysisSession, sources: readonly ByteSource[], row: number, limit = DEFAULT_LIMIT): Promise<LadderData | null> {
  const conn = s.reports.at(row);
  if (!conn) return null;
  const data = ladderData(s, conn, limit);
  if (!conn.close?.tls || row >= s.reports.packetCount) return data;
  const view = await readConnectionTls(s, sources, row, s.keyLog);
  if (!view) return data;
  const i = s.reports.connIndex(row);
  const frameOf = (packet: number) => s.table.frame.get(s.connections.row(i, packet));
  return { ...data, ...applyTlsView(conn, data.packets, view, frameOf) };
}

/**
 * Row of the clean close to compare `row` with, nearest in time within the first tier that has one: the same server
 * (ip:port), the same server on another port, the same service port on another server, then (with `anyServer`) any
 * clean close of the loaded data, which still beats a built-in example from another capture. Null when none.
 */
export function nearestCleanClose(flows: FlowColumns, row: number, anyServer = true): number | null {
  const clean = kindCode(REFERENCE_KIND);
  const t = flows.startUs[row];
  const best = [-1, -1, -1, -1];
  const nearer = (i: number, b: number) => b < 0 || Math.abs(flows.startUs[i] - t) < Math.abs(flows.startUs[b] - t);
  for (let i = 0; i < flows.count; i++) {
    if (i === row || flows.kind[i] !== clean) continue;
    const sameIp = flows.serverIp[i] === flows.serverIp[row];
    const samePort = flows.serverPort[i] === flows.serverPort[row];
    const tier = sameIp && samePort ? 0 : sameIp ? 1 : samePort ? 2 : 3;
    if (nearer(i, best[tier])) best[tier] = i;
  }
  const found = best.slice(0, anyServer ? 4 : 3).find((b) => b >= 0);
  return found ?? null;
}

interface Loaded {
  session: AnalysisSession;
  /** Kept to re-read frames for "export as pcap" (Blobs are read in slices, not held). */
  sources: ByteSource[];
  flows: FlowColumns;
  cache: FlowQueryCache;
  /**
   * Firewall-log triage columns, made on first use in slices (lib/steps.ts: table queries are answered meanwhile);
   * null: no firewall log.
   */
  triage?: Promise<{ prep: TriagePrep; rowClasses: Uint8Array } | null>;
  /** The deny table's flow rows and counts, made on first use in slices (null: no firewall log). */
  denies?: Promise<DenyTable | null>;
  /** The report of the row the packet list last asked about (it asks again for every screen of rows). */
  pageConn?: { row: number; conn: ConnectionReport };
}

function triageOf(l: Loaded): Promise<{ prep: TriagePrep; rowClasses: Uint8Array } | null> {
  return (l.triage ??= (async () => {
    // After a load the page asks for the table's rows and the triage at once: the rows first.
    await nextTask();
    const input = await runSliced(l.session.triageSteps());
    return input ? { prep: prepareTriage(input), rowClasses: rowDenyClasses(input, l.flows.count) } : null;
  })());
}

function denyTable(l: Loaded): Promise<DenyTable | null> {
  return (l.denies ??= nextTask().then(() => runSliced(denyTableSteps(l.session))));
}

export interface EngineSessionOptions {
  /** What decodes each input of a load (AnalyzeOptions.decode): the worker's two-thread log decode (worker/nested-log.ts). */
  decode?: AnalyzeOptions['decode'];
}

export function createEngineSession(engine: EngineSessionOptions = {}): EngineApi {
  let loaded: Loaded | null = null;
  let cancelled = false;
  /** A load is reading its inputs (a cancel can still stop it). */
  let reading = false;

  /** The rows of a log being read for a load that shows them (EngineApi.load showRows): while set, every query is about them. */
  let live: LiveLogRows | null = null;
  /** The load under way, settled when it ends (either way). */
  let loading: Promise<void> = Promise.resolve();

  async function loadInputs(inputs: InputSpec[], options: LoadOptions, onProgress: ((p: LoadProgress) => void) | undefined, showRows: boolean): Promise<LoadResult> {
    const t0 = Date.now();
    cancelled = false;
    reading = true;
    // What is loaded stays until this load has a result: a failed load (or a cancelled one, when something was
    // loaded before) leaves it intact, so the page and the worker keep agreeing.
    const optionsProblem = loadOptionsProblem(options);
    if (optionsProblem) throw new Error(optionsProblem);
    // Progress counts the input's own bytes as they are read (compressed bytes for a .gz), never past its size.
    const at = inputs.map(() => 0);
    const sources = inputs.map((spec, i) => countingSource(toSource(spec), (pos) => (at[i] = Math.max(at[i], pos))));
    const sizes = sources.map((s) => s.size ?? 0);
    const bytesTotal = sizes.reduce((a, b) => a + b, 0);
    let last = 0;
    let p: LoadProgress = { phase: 'reading', file: sources[0]?.name ?? null, bytesRead: 0, bytesTotal, packets: 0, connections: 0 };
    const report = (force = false) => {
      const now = Date.now();
      if (!onProgress || (!force && now - last < PROGRESS_EVERY_MS)) return;
      last = now;
      // The rows' teardown reasons counted now, with the row count of this same report (one snapshot).
      onProgress(p.liveRows && live ? { ...p, liveLogEnds: live.logEnds() } : { ...p });
    };
    report(true);
    const session = await analyzeSources(sources, {
      year: options.year,
      date: options.date,
      tz: options.tz,
      decode: engine.decode,
      isCancelled: () => cancelled,
      onFirewallLog: (log) => void (live = showRows ? new LiveLogRows(log) : null),
      // Read whole: the page hears it now, before the joins and the table are made (one task: no cancel is taken then).
      // Its counts are the whole log's (those of the last report fell behind by up to PROGRESS_EVERY_MS of reading).
      onLogRead: (log, captured) => {
        reading = false;
        const liveRows = p.liveRows ? log.conns.count : 0;
        p = { ...p, phase: 'analyzing', bytesRead: Math.max(p.bytesRead, bytesTotal), connections: captured + log.conns.count, liveRows };
        report(true);
      },
      onProgress: (a: AnalyzeProgress) => {
        let before = 0;
        for (let i = 0; i < a.input; i++) before += sizes[i];
        const own = sizes[a.input] ? Math.min(sizes[a.input], at[a.input]) : a.bytesRead;
        // Rows of a log alone as they come (none once a packet is read: its connections go first in the table).
        const liveRows = live && a.packets === 0 ? live.count : 0;
        const firstRows = liveRows > 0 && !p.liveRows;
        p = { phase: 'reading', file: a.file, bytesRead: before + own, bytesTotal, packets: a.packets, connections: a.connections, liveRows };
        if (liveRows) {
          p.liveProtocols = live!.protocols();
          if (p.bytesRead > 0) live!.expect(Math.ceil((liveRows * bytesTotal) / p.bytesRead));
        }
        report(firstRows); // the first rows at once
      },
    });
    reading = false;
    // Read whole: the rows' columns go, their memory the loaded table's when it has no packets.
    const room = live?.release(session.reports.packetCount === 0 ? session.reports.length : 0);
    const stopped = session.cancelled || cancelled;
    // All read, unless cancelled: then the count stays where reading stopped.
    p = { ...p, phase: 'analyzing', bytesRead: stopped ? p.bytesRead : Math.max(p.bytesRead, bytesTotal), packets: session.table.length, connections: session.reports.length };
    report(true);
    if (stopped && loaded) {
      p = { ...p, phase: 'cancelled' };
      report(true);
      const kept = loaded.session;
      return {
        inputs: kept.inputs, summary: kept.summary, flows: flowOverview(loaded.flows),
        cancelled: true, previousKept: true, elapsedMs: Date.now() - t0, packets: kept.table.length,
        tellingRow: pickTellingRow(loaded.flows),
      };
    }
    const flows = flowColumnsOf(session.reports, logOnlyFlowRows(session), room ?? undefined);
    loaded = { session, sources, flows, cache: {} };
    p = { ...p, phase: stopped ? 'cancelled' : 'done' };
    report(true);
    return {
      inputs: session.inputs,
      summary: session.summary,
      flows: flowOverview(flows),
      cancelled: session.cancelled || cancelled,
      elapsedMs: Date.now() - t0,
      packets: session.table.length,
      tellingRow: pickTellingRow(flows),
    };
  }

  return {
    async load(inputs, options, onProgress, showRows = false): Promise<LoadResult> {
      const done = loadInputs(inputs, options, onProgress, showRows);
      loading = done.then(() => {}, () => {});
      try {
        return await done;
      } finally {
        live = null;
        reading = false;
      }
    },

    cancel() {
      if (!reading) return false;
      cancelled = true;
      return true;
    },

    async query(q, upTo) {
      // While a log is read, its rows so far (engine/live-query.ts); once it is read whole, the loaded table's rows.
      const rows = live?.query(q, upTo);
      if (rows) return rows;
      if (live) await loading;
      const l = loaded;
      if (!l) return new Uint32Array(0);
      const rowClasses = q.denyClasses ? (await triageOf(l))?.rowClasses : undefined;
      return queryFlows(l.flows, q, l.cache, rowClasses);
    },

    async flowRows(rows) {
      if (live) return live.window(rows);
      return flowWindow(loaded?.flows ?? EMPTY_FLOWS, rows);
    },

    async ladder(req: LadderRequest) {
      if (live) return live.ladder(req.row);
      if (!loaded) return null;
      return ladderWithTls(loaded.session, loaded.sources, req.row, req.limit ?? DEFAULT_LIMIT);
    },

    async cleanCloseFor(row) {
      const l = loaded;
      if (live || !l || row < 0 || row >= l.flows.count) return null;
      const fromLog = async () => {
        const t = await triageOf(l);
        return t ? cleanLogClose(t.prep, row) : null;
      };
      if (l.flows.marks[row] & MARK_SYSLOG_ONLY) return (await fromLog()) ?? nearestCleanClose(l.flows, row);
      return nearestCleanClose(l.flows, row, false) ?? (await fromLog()) ?? nearestCleanClose(l.flows, row);
    },

    async ladderAside(inputs, options, kind) {
      const s = await analyzeSources(inputs.map(toSource), { year: options.year, date: options.date, tz: options.tz });
      for (const conn of s.reports) if (conn.close?.kind === kind) return ladderData(s, conn);
      return null;
    },

    async connectionsAside(inputs, options) {
      const s = await analyzeSources(inputs.map(toSource), { year: options.year, date: options.date, tz: options.tz });
      const out: LadderData[] = [];
      for (let k = 0; k < Math.min(50, s.reports.length); k++) out.push(ladderData(s, s.reports.at(k)!));
      return out;
    },

    async triage(filter) {
      // The first call builds the triage columns, seconds on a log of millions of lines, in slices.
      const t = !live && loaded && (await triageOf(loaded));
      return t ? runSliced(triageViewSteps(t.prep, filter)) : null;
    },

    async denies(q) {
      const l = live ? null : loaded;
      const table = l && (await denyTable(l));
      return l && table ? queryDenies(l.session, table, q) : null;
    },

    async report() {
      if (live || !loaded) return null;
      // A plain document built for this export (the session keeps no report objects).
      return analyzeReport(loaded.session);
    },

    async exportCapture(rows, pseudonyms) {
      return loaded && !live ? exportConnectionsCapture(loaded.session, loaded.sources, rows, pseudonyms) : null;
    },

    async connectionTls(row) {
      if (live || !loaded) return null;
      const data = await ladderWithTls(loaded.session, loaded.sources, row);
      const tls = data?.connection.close?.tls;
      if (!data || !tls || !tls.decryption) return null;
      const labels = data.packets.flatMap((p) => (p.tls ? [{ packet: p.index, label: p.tls }] : []));
      return { tls, explanation: data.connection.close!.explanation, labels };
    },

    async packetDetail(row, packetIndex) {
      return loaded && !live ? readPacketDetail(loaded.session, loaded.sources, row, packetIndex) : null;
    },

    async packetPage(req) {
      if (live || !loaded) return null;
      if (loaded.pageConn?.row !== req.row) {
        const conn = loaded.session.reports.at(req.row);
        if (!conn) return null;
        loaded.pageConn = { row: req.row, conn };
      }
      return packetPage(loaded.session, loaded.pageConn.conn, req);
    },

    async packetBytes(row, packetIndex) {
      return loaded && !live ? readPacketBytes(loaded.session, loaded.sources, row, packetIndex) : null;
    },
  };
}
