/**
 * The one typed interface between the UI and the engine. The worker (src/worker/engine.worker.ts)
 * exposes an EngineApi built by src/engine/session.ts; the UI reaches it through
 * src/worker/client.ts and imports only types from here.
 *
 * Results travel compactly: the flow table's columns stay in the worker; the page gets an overview at load and the
 * rows it draws as typed-array columns, a window at a time (transferred, not copied); per-connection details only
 * when a ladder is opened.
 */
import type { AnalyzeReport, CaptureSummary, InputReport, TlsFacts } from '../model/report';
import type { BlobLike } from '../lib/byte-source';
import type { FlowColumns, FlowQuery } from '../model/flow-table';
import type { LadderData } from '../render/ladder-types';
import type { CaptureExport, CapturePseudonyms } from './export-frames';
import type { PacketDetail } from './packet-detail';
import type { PacketBytes, PacketPage, PacketPageRequest } from './packet-rows';
import type { TriageFilter, TriageView } from '../analysis/firewall/triage';
import type { DenyPage, DenyQuery } from '../model/deny-record';
import type { FlowOverview } from '../model/flow-window';

export type { PacketDetail };
export type { PacketBytes, PacketPage, PacketPageRequest } from './packet-rows';
export type { DenyPage, DenyQuery, DenyRecord } from '../model/deny-record';

export type { FlowColumns, FlowQuery } from '../model/flow-table';
export type { FlowOverview } from '../model/flow-window';
export type { LadderData, LadderPacket } from '../render/ladder-types';
export type { CaptureExport, CapturePseudonyms } from './export-frames';
export type { TriageFilter, TriageView, TriageHost, TriageReason, TriageTimeline, TriageIdleReason } from '../analysis/firewall/triage';

/** One input: a File/Blob (read in slices), pasted text, or bytes already in memory. */
export type InputSpec =
  | { kind: 'blob'; name: string; blob: BlobLike }
  | { kind: 'text'; name: string; text: string }
  | { kind: 'bytes'; name: string; bytes: Uint8Array };

export interface LoadOptions {
  /** Year for syslog stamps without one. */
  year?: number;
  /** Time zone of syslog stamps that name none: `+03:00`, `MSK`, `Europe/Moscow` (else UTC). */
  tz?: string;
  /** Date (YYYY-MM-DD) for text captures with only a time of day. */
  date?: string;
}

export interface LoadProgress {
  phase: 'reading' | 'analyzing' | 'done' | 'cancelled';
  /** Input being read, when known. */
  file: string | null;
  bytesRead: number;
  /** Sum of known input sizes (0 when unknown). */
  bytesTotal: number;
  packets: number;
  connections: number;
  /**
   * Rows of the table so far, for a load asked to show them (EngineApi.load's `showRows`): a firewall log's
   * connections as they are read (engine/live-rows.ts), 0 while there are none or the load has packets.
   */
  liveRows?: number;
  /** The protocols of those rows, for the protocol filter (FlowOverview.protocols). */
  liveProtocols?: number[];
  /**
   * Those rows per teardown reason code as the log says so far (FlowOverview.logEnds; a row with no Teardown yet
   * under NO_REASON_KIND), counted with `liveRows` (their sum): one snapshot, which every count the page shows of a
   * load takes together (connections is liveRows whenever liveRows is given).
   */
  liveLogEnds?: Uint32Array;
}

export interface LoadResult {
  inputs: InputReport[];
  summary: CaptureSummary | null;
  /** The loaded table's row count, rows per close kind and protocols; its rows come from flowRows(). */
  flows: FlowOverview;
  cancelled: boolean;
  /**
   * The load was cancelled while an earlier analysis was loaded: that one is kept (and described by this result),
   * the partial one is dropped.
   */
  previousKept?: boolean;
  elapsedMs: number;
  /** Packets kept (TCP segments), all inputs. */
  packets: number;
  /** The row to open first (engine/telling-row.ts), null when there are none. */
  tellingRow: number | null;
}

/** Which ladder to fetch: a row of the loaded flow table. */
export interface LadderRequest {
  row: number;
  /** At most this many packets, kept around the close (engine/packet-window.ts); the view picks the close from them. */
  limit?: number;
}

export interface ConnectionTls {
  tls: TlsFacts;
  explanation: string;
  /** Record names by packet index within the connection ("Client Hello", "Alert close_notify"). */
  labels: { packet: number; label: string }[];
}

export interface EngineApi {
  /**
   * Replaces what is loaded, once the new analysis is there: when the load fails (it rejects; bad Year or Date
   * options too) or is cancelled with something already loaded, what was loaded stays. `onProgress` is called a few
   * times a second at most. `showRows`: while a firewall log without packets loads, the table's queries (query,
   * flowRows, ladder) answer its rows so far (LoadProgress.liveRows of them, each the row it will be in the loaded
   * table; query sorts and filters them: engine/live-query.ts), not what was loaded before.
   */
  load(inputs: InputSpec[], options: LoadOptions, onProgress?: (p: LoadProgress) => void, showRows?: boolean): Promise<LoadResult>;
  /**
   * Stops a running load while it reads; it resolves with what was read so far (cancelled: true). False when there
   * was nothing to stop: no load running, or it had read everything (a load finishing builds its table without
   * taking any message, so a cancel sent then is taken once the load has ended).
   */
  cancel(): boolean;
  /**
   * Rows of the loaded table matching the query, in its order. While a log's rows are shown as they come, the rows
   * so far; with `upTo`, only those below it: the LoadProgress.liveRows the page shows, so that the table's count and
   * the page's other counts are of the same rows.
   */
  query(q: FlowQuery, upTo?: number): Promise<Uint32Array>;
  /**
   * The columns of these rows of the loaded table, entry k for rows[k] (at most 10,000 rows: model/flow-window.ts),
   * with a string pool of their own. A row past the table's end comes back empty.
   */
  flowRows(rows: Uint32Array): Promise<FlowColumns>;
  /** Ladder data of one connection. */
  ladder(req: LadderRequest): Promise<LadderData | null>;
  /**
   * The row of the clean close to compare `row` with, nearest in time: same server and port, same server, same port
   * elsewhere, then a log connection torn down on TCP FINs with no deny after it, then any; null when the loaded data
   * has none. For a connection known from a firewall log only, that log connection first.
   */
  cleanCloseFor(row: number): Promise<number | null>;
  /**
   * Analyses inputs aside (not replacing what is loaded) and returns the ladder of their first
   * connection of `kind` (e.g. a built-in clean example to compare with).
   */
  ladderAside(inputs: InputSpec[], options: LoadOptions, kind: string): Promise<LadderData | null>;
  /**
   * Analyses small inputs aside (not replacing what is loaded) and returns every connection's
   * whole ladder, at most 50 (lessons pick theirs with src/lessons/check.ts selectConnection).
   */
  connectionsAside(inputs: InputSpec[], options: LoadOptions): Promise<LadderData[]>;
  /**
   * The firewall-log triage numbers under a filter (analysis/firewall/triage.ts), counted in the worker; null when
   * no firewall log is loaded.
   */
  triage(filter: TriageFilter): Promise<TriageView | null>;
  /**
   * The loaded firewall log's denies, drops and ICMP errors of every protocol under a query (one page of rows, each
   * with the flow-table row of the connection it joined), counted in the worker; null when no firewall log is
   * loaded.
   */
  denies(q: DenyQuery): Promise<DenyPage | null>;
  /** The full report (for "download JSON"); large. */
  report(): Promise<AnalyzeReport | null>;
  /**
   * The original frames of these rows' connections, re-read from the loaded inputs, as a pcap
   * (pcapng when link types differ); null when nothing is loaded. See engine/export-frames.ts. With `pseudonyms`,
   * the addresses in every IP header are replaced (checksums updated) and interface names too.
   */
  exportCapture(rows: number[], pseudonyms?: CapturePseudonyms): Promise<CaptureExport | null>;
  /**
   * The TLS of a row's connection, read again from its input and decrypted with the key logs loaded with it (key log
   * files, pcapng DSBs): the close's TLS facts (alerts with side and frame, what key log would decrypt it) and the
   * record names per packet index. null when the connection carries no TLS or has no packet bytes. ladder() gives the
   * same, merged into its data. The secrets never leave the worker.
   */
  connectionTls(row: number): Promise<ConnectionTls | null>;
  /** IP and TCP option details of one packet of a row's connection, re-read from its input; null for text inputs. */
  packetDetail(row: number, packetIndex: number): Promise<PacketDetail | null>;
  /**
   * A range of a row's packets for the packet list (at most 2,000; the list asks for the rows in view), as the
   * ladder's packets are made; null for a log-only or unknown row.
   */
  packetPage(req: PacketPageRequest): Promise<PacketPage | null>;
  /** The captured bytes of one packet of a row's connection, re-read from its input; null for text inputs. */
  packetBytes(row: number, packetIndex: number): Promise<PacketBytes | null>;
}
