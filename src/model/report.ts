/**
 * The one document `analyze --json` prints and the worker returns: inputs, connections, summary.
 * Every field is documented in README.md ("The analyze JSON"). Add fields; never rename them.
 */
import type { Problem } from './problems';
import type { CloseKind } from './close-kinds';
import type { InputFormat } from './formats';
import type { DenyRecord } from './deny-record';
import type { DenyCauseName } from './deny-causes';
import type { TeardownReasonName } from './teardown-reasons';

export type { CloseKind, InputFormat };

export interface InputReport {
  file: string;
  format: InputFormat;
  /** True when the input was gzip-compressed (decompressed as a stream). */
  gzip?: boolean;
  /** Syslog inside an export or collector file: 'csv' (Splunk, Graylog), 'json-lines' (Splunk JSON, Filebeat), 'kiwi'. */
  container?: 'csv' | 'json-lines' | 'kiwi';
  /** Bytes read (after decompression). */
  bytes: number;
  /** Link types seen (binary captures). */
  linkTypes: number[];
  /** Frames/records read (packets for captures, lines for text). */
  packets: number;
  /** TCP segments taken from this input. */
  tcpPackets: number;
  /** Frames not used, by reason: "non-ip", "non-tcp", "ip-fragment", "truncated", "link-type 105", ... */
  skipped: Record<string, number>;
  /** ASA/FTD syslog: messages seen per six-digit ID (decoded or only counted). */
  firewallMessages?: Record<string, number>;
  /** ASA/FTD syslog: firewall events decoded from this input. */
  firewallEvents?: number;
  /** Text captures: the stamps had a time of day only and no date was given (times sit on 1970-01-01 until a
   *  date is found, e.g. from firewall syslog loaded beside them: then `dateFrom` says where it came from). */
  undated?: boolean;
  dateFrom?: string;
  warnings: Problem[];
  errors: Problem[];
}

export interface Endpoint {
  ip: string;
  port: number;
}

export type Side = 'client' | 'server';
export type Handshake = 'complete' | 'partial' | 'none';

export interface EndpointState {
  /** TCP state name, e.g. "ESTABLISHED", "FIN_WAIT_1". */
  state: string;
  /** Index of the packet (within the connection's timeline, 0-based) at which this state began. */
  packet: number;
}

export interface PacketAnomaly {
  /** Packet index within the connection (0-based). */
  packet: number;
  /** e.g. "retransmission", "duplicate-ack", "rst-after-close", "fin-rst-together". */
  kind: string;
}

export interface TlsFacts {
  /** "TLS 1.2", "TLS 1.3", ...; null when records were seen but no ServerHello. */
  version: string | null;
  /** For TLS <= 1.2: an alert record (type 21) seen from that side before its FIN. */
  alertBeforeFin: { client: boolean; server: boolean } | null;
  /** True when the alert is inferred from segment sizes only (text captures). */
  inferred: boolean;
  note: string;
  /**
   * Set when the connection's records were read again (the ladder of one connection, engine/tls-view.ts): every alert
   * record with its side, packet index and frame; its name and level when readable (plaintext, or decrypted).
   */
  alerts?: TlsAlertFact[];
  /** Whether the key log decrypted this connection: decrypted, no-key-log, no-keys, unsupported, failed, no-hello. */
  decryption?: string;
  /** The ClientHello random (public, hex): the key log line that decrypts the connection starts with it. */
  clientRandom?: string;
  /** What key log would decrypt this connection, when it is not decrypted. */
  keyLogHint?: string;
  /** Holes in the captured TLS bytes, and records cut by them. */
  holes?: number;
  lostRecords?: number;
  /** Plaintext came before TLS (STARTTLS, a database SSL request, a proxy CONNECT, a banner). */
  plaintextBefore?: boolean;
}

export interface TlsAlertFact {
  side: Side;
  /** Packet index within the connection, and the frame number in its input. */
  packet: number;
  frame: number;
  /** "close_notify", "decode_error", ...; null when encrypted and not decrypted. */
  name: string | null;
  level: 'warning' | 'fatal' | null;
  decrypted: boolean;
}

export interface ZeekLogEntry {
  zeekState: string;
  history: string;
  /** Index (within this connection) of the first packet of this Zeek connection. */
  firstPacket: number;
  /**
   * Why Zeek ended this row before the next packet (every row but the last): "attempt-timer" (the SYN had no answer
   * after 5 s), "closed" (5 s after a complete close), "expire-timer" (quiet after one side closed), "inactivity"
   * (5 minutes without a packet), "reuse" (a new SYN on the 4-tuple).
   */
  endedBy?: ZeekEndReason;
}

export type ZeekEndReason = 'attempt-timer' | 'closed' | 'expire-timer' | 'inactivity' | 'reuse';

export interface CloseFacts {
  fin: { client: boolean; server: boolean };
  rst: { client: boolean; server: boolean };
  initiator: Side | null;
  kind: CloseKind;
  simultaneous: boolean;
  finRstTogether: boolean;
  lateRst: boolean;
  dataAfterFin: boolean;
  /** Zeek's conn_state and history; when Zeek would log several rows (zeekLog), those of the last. */
  zeekState: string;
  history: string;
  /**
   * Only when Zeek would split this connection into several conn.log rows (its timers ended one, or a SYN reused
   * the 4-tuple; see analysis/zeek-lifetime.ts): every row in order, with the packet index each one starts at.
   */
  zeekLog?: ZeekLogEntry[];
  states: { client: EndpointState[]; server: EndpointState[] };
  anomalies: PacketAnomaly[];
  tls: TlsFacts | null;
  explanation: string;
}

export interface FirewallDeny {
  time: string;
  flags: string;
  interface: string;
  src: Endpoint;
  dst: Endpoint;
  /** Milliseconds after the connection's teardown message; null when no teardown was seen. */
  afterTeardownMs: number | null;
  /** The vendor's message id ("106015"), shown as the vendor's text only. */
  messageId: string;
  /** Why it was denied, normalised across vendors (model/deny-causes.ts); what the analysis and views key on. */
  cause: DenyCauseName;
}

export interface FirewallFacts {
  device: string;
  connId: string | null;
  /** The vendor message ids of the connection's Built and Teardown lines as logged, e.g. ["302015", "302016"]. */
  messageIds?: string[];
  /** ICMP connections: the type and code the log printed. */
  icmp?: { type: number; code: number };
  built: string | null;
  /**
   * `reason` as the vendor wrote it ("TCP FINs", FortiGate's `close`); `reasonKind` the normalised reason
   * (model/teardown-reasons.ts: 'fins', 'reset-inside', 'idle-timeout', ...), what the views and the ladder key on.
   */
  teardown: { time: string; reason: string; reasonKind: TeardownReasonName; from: string | null } | null;
  denies: FirewallDeny[];
  /** Denies joined to this connection beyond the ones listed (a flood of one flow's denies is counted, not listed). */
  deniesNotListed?: number;
  /** client/server as the firewall's other side sees them (NAT). */
  mapped: { client: Endpoint; server: Endpoint } | null;
  bytes?: number | null;
  duration?: string | null;
  /** The teardown was logged when the session left the firewall's table, after the close and its timers (model/formats.ts
   *  teardownStamp): its stamp is later than the closing packet by an unknown delay. Absent for a log stamped at the close. */
  teardownLogged?: 'after-close';
  /** The Built was taken back from the teardown line's duration (a FortiGate session-end log), not logged at the SYN. */
  builtFrom?: 'duration';
  interfaces?: { client: string; server: string } | null;
  explanation?: string;
  /** Firewall clock minus the capture's clock (ms), as estimated when matching; 0 when within the log's stamp
   *  precision. Subtract it from log stamps to place them on the capture's time axis. */
  clockOffsetMs?: number;
}

export interface VantageFacts {
  points: string[];
  dropped: { packet: number; seenAt: string; missingAt: string }[];
  /** The second point's clock minus the first's (ms), as estimated (analysis/vantage/match.ts). */
  clockOffsetMs: number;
  /** The clock offsets (ms) under which every packet reached the point nearer its sender first; absent when none. */
  clockOffsetRangeMs?: [number, number];
  /** Index in `points` of the capture point nearer the client (it saw the client's packets first). */
  clientSide?: number;
  /** Client and server as each point saw them (NAT), in `points` order. */
  endpoints?: { client: Endpoint; server: Endpoint }[];
  /**
   * The second point's sequence numbers minus the first's (mod 2^32), for the client's and the server's numbers
   * (ASA sequence randomisation; 0 when unchanged); null when no packet of that side was seen at both points.
   */
  seqShift?: { client: number | null; server: number | null };
}

export interface ConnectionReport {
  id: string;
  /** tshark's tcp.stream of this connection (packet captures; not for connections known only from logs). */
  tcpStream?: number;
  files: string[];
  /** "packets" (default) or "syslog" for connections known only from firewall logs. */
  source?: 'packets' | 'syslog';
  /**
   * The IP protocol of a connection known only from a firewall log when it is not TCP: "udp", "icmp", "icmp6",
   * "gre", ... (model/firewall-store.ts protoName); absent for TCP. For ICMP the ports are the ICMP identifiers.
   */
  protocol?: string;
  client: Endpoint;
  server: Endpoint;
  /** How the client was chosen: "syn", "syn-ack", "first-packet", "port-heuristic". */
  clientBy?: string;
  start: string;
  end: string;
  packets: { client: number; server: number };
  payloadBytes: { client: number; server: number };
  handshake: Handshake;
  close?: CloseFacts;
  firewall?: FirewallFacts;
  vantage?: VantageFacts;
}

export interface CaptureSummary {
  connections: number;
  byKind: Partial<Record<CloseKind, number>>;
  byInitiator: { client: number; server: number; none: number };
  /** Per server ip:port: connections per kind. */
  byServer: { server: string; connections: number; byKind: Partial<Record<CloseKind, number>> }[];
  topRstSenders: { host: string; role: Side; rsts: number }[];
  /** RSTs sent after both FINs were seen: what a stateful firewall logs as "no connection" denies. */
  rstsAfterBothFins: number;
  /** Firewall logs: counts of 106015 "no connection" denies by class (model/firewall-triage.ts DENY_CLASSES). */
  firewall?: {
    /** Every 106015 deny ("message repeated N times" counted N times) = late + idle-timeout + unknown. */
    denies106015: number;
    /** Late packets of a connection the log tore down with FINs or a reset at most 120 s before (late-close class). */
    deniesLateClose: number;
    /** Denies no connection in the log explains (no-connection class). */
    deniesUnknown: number;
    messagesById: Record<string, number>;
    /** Denies after the log removed that 4-tuple for a timeout (Idle/Conn/FIN/SYN Timeout), within 4 h (idle-timeout class). */
    deniesIdleTimeout?: number;
    /** The same three counts keyed by class name. */
    deniesByClass?: Record<string, number>;
    /** False when the log has no connection message at all (302013/302014, FTD 430002/430003): no deny can be joined. */
    connectionLogging?: boolean;
    /** Lines folded as exact duplicates (relay repeats of Built/Teardown; the same line in two overlapping inputs). */
    duplicateLines?: number;
    /** Every deny, drop and ICMP error of the log ("message repeated N times" counted N times) by vendor message id. */
    deniesByMessage?: Record<string, number>;
    /** The same by normalised cause (model/deny-causes.ts: no-connection, access-rule, security-policy, ...). */
    deniesByCause?: Record<string, number>;
    /** The same by IP protocol of the denied packet (tcp, udp, icmp, ...). */
    deniesByProtocol?: Record<string, number>;
    /** The log's connections (Built and/or Teardown) by protocol (tcp, udp, icmp, ...). */
    connectionsByProtocol?: Record<string, number>;
  };
}

export interface AnalyzeReport {
  inputs: InputReport[];
  connections: ConnectionReport[];
  /** Firewall logs: every deny, drop and ICMP error, in log order (model/deny-record.ts); absent without a log. */
  denies?: DenyRecord[];
  summary?: CaptureSummary;
}

/** Largest |µs since the epoch| a Date holds (±8.64e15 ms, about ±275,760 years). */
export const MAX_DATE_US = 8.64e18;

/** True when `timeUs` can be printed as a date (finite and within Date's range). */
export function inDateRange(timeUs: number): boolean {
  return Number.isFinite(timeUs) && Math.abs(timeUs) <= MAX_DATE_US;
}

/** A time that cannot be a date (a damaged or hostile stamp) as raw seconds since the epoch: "1e+22 s", "NaN s". */
export function rawSeconds(timeUs: number): string {
  return `${Number.isFinite(timeUs) ? String(Math.floor(timeUs) / 1e6) : String(timeUs)} s`;
}

/**
 * The second of whole microseconds `whole` (an integer), as isoTime prints it: `whole - second * 1e6` is then the
 * microsecond, 0 to 999,999 (a quotient rounded up or down across a second boundary is corrected, so a time just
 * below one cannot print a 7-digit or negative fraction).
 */
export function secondOf(whole: number): number {
  const second = Math.floor(whole / 1e6);
  const micros = whole - second * 1e6;
  return micros >= 1e6 ? second + 1 : micros < 0 ? second - 1 : second;
}

/**
 * isoTime's text of `second` (an integer) before its fraction: 2018-06-20T12:00:47 (years past 9999 or before 0 print
 * six digits and a sign: +010000-01-01T00:00:00).
 */
export function isoSecondText(second: number): string {
  const iso = new Date(second * 1000).toISOString();
  return iso.slice(0, iso.length - 5);
}

/** ISO 8601 with microseconds, e.g. 2018-06-20T12:00:47.907301Z; raw seconds when out of Date's range (never throws). */
export function isoTime(timeUs: number): string {
  if (!inDateRange(timeUs)) return rawSeconds(timeUs);
  // Whole microseconds first (nanosecond captures have fractions), split into second and microsecond in integers.
  const whole = Math.floor(timeUs);
  const second = secondOf(whole);
  const micros = whole - second * 1e6;
  // Logs stamp hundreds of events with the same time (whole seconds), and reports written in time order ask for
  // a few nearby seconds in turn (a connection's start, end, teardown, its denies): a small cache by second keeps
  // each second's date part and the last text made with it.
  const slot = second & (ISO_SLOTS - 1);
  if (isoWhole[slot] === whole) return isoText[slot];
  if (isoSecond[slot] !== second) {
    isoSecond[slot] = second;
    isoPrefix[slot] = isoSecondText(second);
  }
  isoWhole[slot] = whole;
  return (isoText[slot] = `${isoPrefix[slot]}.${micros === 0 ? '000000' : String(micros).padStart(6, '0')}Z`);
}

/**
 * Parses the report's ISO 8601 stamps ("2018-06-20T12:00:47.907301Z", also without fraction or
 * with an offset) into microseconds, keeping all fraction digits. NaN when unreadable.
 * `wholeSecond` says the stamp had no fraction (syslog: one-second resolution).
 */
export function parseIsoUs(s: string | null | undefined): { us: number; wholeSecond: boolean } {
  if (!s) return { us: NaN, wholeSecond: false };
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(s.trim());
  if (!m) {
    const t = Date.parse(s);
    return { us: Number.isFinite(t) ? t * 1000 : NaN, wholeSecond: true };
  }
  const base = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(base)) return { us: NaN, wholeSecond: false };
  const frac = m[2] ? Number(`0.${m[2]}`) * 1e6 : 0;
  // Reports write syslog stamps as ".000000": an all-zero fraction means whole-second resolution.
  return { us: base * 1000 + Math.round(frac * 1000) / 1000, wholeSecond: !m[2] || /^0+$/.test(m[2]) };
}
const ISO_SLOTS = 64;
const isoSecond = new Float64Array(ISO_SLOTS).fill(NaN);
const isoWhole = new Float64Array(ISO_SLOTS).fill(NaN);
const isoPrefix: string[] = new Array<string>(ISO_SLOTS).fill('');
const isoText: string[] = new Array<string>(ISO_SLOTS).fill('');

/**
 * The warning of a text capture whose stamps have a time of day only, worded in one place for both moments: when it is
 * read (no date known yet) and once the firewall step has dated it from a log loaded beside it (`from`).
 */
export function undatedWarning(from?: { date: string; logs: readonly string[] }): string {
  if (!from) return 'time stamps have no date and none was given; dates shown as 1970-01-01';
  return `time stamps have no date; took ${from.date} from the firewall log${from.logs.length ? ` (${from.logs.join(', ')})` : ''}`;
}
