/**
 * The contract between the firewall-log engine (analysis/firewall) and the triage view (analysis/firewall/triage.ts,
 * ui/triage): what the engine hands over about a loaded log, as columns, so the view can bucket, stack and filter
 * millions of denies in the worker without an object per deny.
 *
 * Each class of `106015 Deny TCP (no connection)` is declared once here (order, name, label, one-sentence
 * explanation); every count, chart and summary field derives from this table.
 */
import type { InputFormat } from './formats';

export const DENY_CLASSES = [
  {
    name: 'late-close',
    label: 'late packet of a closed connection',
    explain:
      'The firewall had torn this connection down on its FINs or a reset shortly before; the endpoint was still finishing its close, and the firewall had nothing left to match the packet to.',
  },
  {
    name: 'idle-timeout',
    label: 'after an idle timeout',
    explain:
      'The firewall had removed this connection for inactivity (idle, conn or half-closed timeout) while both endpoints still used it: the firewall timeout is shorter than the application idles.',
  },
  {
    name: 'no-connection',
    label: 'no connection in this log',
    explain:
      'Nothing with this address pair was built or torn down in the log: a scan, backscatter, asymmetric routing, or a connection built before the log begins.',
  },
] as const;

export type DenyClassName = (typeof DENY_CLASSES)[number]['name'];
/** Index into DENY_CLASSES, as stored in TriageInput.denies.cls. */
export type DenyClass = number;
export const DENY_CLASS: { readonly [K in DenyClassName]: DenyClass } = Object.fromEntries(
  DENY_CLASSES.map((c, i) => [c.name, i]),
) as { [K in DenyClassName]: DenyClass };

/**
 * Names by id: reasons, interfaces and "addr/port" endpoints. A plain list does; the engine hands a table that makes
 * an endpoint's text only when it is read (a big log has millions of endpoints and shows eight).
 */
export interface TriageNames {
  readonly length: number;
  at(id: number): string | undefined;
}

/**
 * One loaded set of firewall logs, as columns. Strings are interned: every `*Id` column indexes `names`.
 * Rows of `denies` are TCP packets denied for no connection (ASA 106015; each "message repeated N times" counted
 * through `repeat`).
 */
export interface TriageInput {
  names: TriageNames;
  denies: {
    count: number;
    timeUs: Float64Array;
    cls: Uint8Array;
    repeat: Uint32Array;
    /** The denied packet's source and destination endpoints ("addr/port" text ids in names). */
    srcId: Uint32Array;
    dstId: Uint32Array;
    /** TCP flags of the denied packet (model/segment bits), 0 when not given. */
    flags: Uint16Array;
    /** The teardown the deny was joined to: index into `teardowns`, -1 for none. */
    teardown: Int32Array;
  };
  teardowns: {
    count: number;
    timeUs: Float64Array;
    /** Normalised reason name id in names ("TCP FINs", "TCP Reset-I", "Idle Timeout", ...). */
    reasonId: Uint32Array;
    /** The normalised reason's code (model/teardown-reasons.ts TEARDOWN_REASON). */
    reasonCode: Uint8Array;
    /** Interface the teardown was initiated from (`from IFACE`) id in names, 0xffffffff when not given. */
    fromId: Uint32Array;
    /** The firewall connection's client and server endpoint ids ("addr/port" text in names). */
    clientId: Uint32Array;
    serverId: Uint32Array;
    /** Connection row (flow table index) of the connection it tore down, -1 when it has none. */
    row: Int32Array;
  };
  /** Times of the TCP connections' Built messages; when `keep` is given, only rows it keeps are builds (a NaN time: none). */
  builds: { count: number; timeUs: Float64Array; keep?: (row: number) => boolean };
  /** The join windows the producer used (seconds after the teardown): late-close, and the longer idle-timeout one. */
  lateWindowS: number;
  idleWindowS: number;
  /** True when the log holds no connection messages at all (no Built/Teardown of any protocol): every deny is then unjoinable. */
  noConnectionLogging: boolean;
  /** The formats of the firewall logs read (model/formats.ts), each once, in input order: whose advice to show. */
  logFormats: InputFormat[];
  /** The vendor's message ids of the rows of `denies` as the log prints them ("106015"), most denies first. */
  messageIds: string[];
  /**
   * Optional, from a producer that knows them: per name, the index of its address (the text before its last '/',
   * or the whole name) in `ips`; the consumer then need not split a million names again.
   */
  ipOf?: Uint32Array;
  ips?: string[];
}
