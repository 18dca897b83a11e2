/**
 * One firewall log event as the firewall store (analysis/firewall/log.ts) takes it: numbers and interned name ids
 * (model/firewall-store.ts Names), no string and no object per field. A decoder fills one reused record per line,
 * either straight from the line's characters (the syslog decoder's fast path, decode/text/syslog-fast.ts) or from
 * a FirewallEvent (analysis/firewall/record-of.ts, every other line and every other decoder); the store reads it
 * during the call and keeps nothing of it.
 * It holds what the store keeps, in the store's terms: kinds the store does not keep (permits, xlates, host
 * bookkeeping, connection messages without endpoints) are REC_SKIP with only the time filled; a packet event's
 * flow is the flow the row is about (for an ICMP error, the flow inside it).
 */
import { NONE, PROTO_TCP, type Names } from './firewall-store';
import { DENY_CAUSE } from './deny-causes';

/** model/firewall.ts isNoConnectionTcp for a deny given as codes (DENY_CAUSE, protocol number). */
export const isNoConnectionTcpCode = (cause: number, proto: number): boolean =>
  cause === DENY_CAUSE['no-connection'] && proto === PROTO_TCP;

/** Not stored (only its time counts, for dating captures). */
export const REC_SKIP = 0;
export const REC_BUILT = 1;
export const REC_TEARDOWN = 2;
/** A deny, drop or ICMP error: a row of the deny columns (rowKind says which). */
export const REC_PACKET = 3;

export class FirewallRecord {
  input = 0;
  line = 0;
  /** Names id of the device ('' interned when the header names none). */
  device = NONE;
  timeUs = NaN;
  precisionUs = 1e6;
  /** Names id of the vendor's message id as the log prints it ("302013", "106015", ...; another vendor's own text). */
  messageId = NONE;
  /** REC_*. */
  kind = REC_SKIP;
  /** REC_SKIP: a connection message (Built/Teardown) the store cannot keep (no endpoints); it says connection logging is on. */
  unkeptConnection = false;
  /** Packet rows: DENY_ROW_KIND code (model/firewall.ts). */
  rowKind = 0;
  /** Connection ID: its number, -(names id + 1) when not a plain decimal, NaN when the message has none. */
  connId = NaN;
  /** IP protocol number (PROTO_*): a connection's (absent: TCP), a packet row's flow's (absent: PROTO_OTHER). */
  proto = 0;
  /** DIR_* of the direction word. */
  direction = 0;
  /** Which endpoint initiated by field (FTD): 0 not said, 1 src, 2 dst. */
  initiator = 0;
  /** Packet rows: DENY_CAUSE code. */
  cause = 0;
  /** Whether the message printed ICMP type/code (connections keep the Built's), and them. */
  hasIcmp = false;
  icmpType = -1;
  icmpCode = -1;
  /** The two endpoints as printed (connections: `for`/`to`; packet rows: the flow's source and destination). */
  hasSrc = false;
  srcIface = NONE;
  srcAddr = NONE;
  srcPort = -1;
  srcMapped = NONE;
  srcMappedPort = -1;
  hasDst = false;
  dstIface = NONE;
  dstAddr = NONE;
  dstPort = -1;
  dstMapped = NONE;
  dstMappedPort = -1;
  /**
   * The addresses are IPv4 values (uint32), not names ids (a fast path writes them so for a sink that asks,
   * FirewallRecordSink.addressCodes): srcAddr and dstAddr, and srcMapped/dstMapped where their port is not -1.
   */
  addrCodes = false;
  /** Teardowns: the reason text and the `from IFACE` interface (names ids, NONE when absent). */
  reason = NONE;
  from = NONE;
  /** Teardowns: the normalised reason (model/teardown-reasons.ts TEARDOWN_REASON code), which the decoder fills. */
  reasonCode = 0;
  /**
   * Teardowns: names id of the decoder's spelling of a reason it knows when the text is written otherwise (ASA
   * "TCP Reset-I" for "TCP Reset - I"); NONE: the text as written is the spelling (FortiGate's `action` always).
   */
  reasonSpelling = NONE;
  bytes = -1;
  durationS = -1;
  /** Packet rows: the interface of the deny (`on interface`, else the source's; '' interned when none). */
  iface = NONE;
  acl = NONE;
  tcpFlags = -1;
  repeat = 1;
  /** Packet rows: a TCP flow with both ports (joinable to a connection when it has a time). */
  keyed = false;
  /** Packet rows: a TCP packet denied for having no connection (model/firewall.ts isNoConnectionTcp). */
  noConnectionTcp = false;
}

/**
 * Where a decoder with a fast path puts records (the firewall store, analysis/firewall/log.ts FirewallLog): ids are
 * interned in `names`; `text`/`at` are the line and where its message starts (for folding duplicate lines).
 */
export interface FirewallRecordSink {
  readonly names: Names;
  /** Whether addRecord needs the line's text (to fold duplicate lines across inputs). */
  readonly wantsText?: boolean;
  /**
   * Whether records may give their IPv4 addresses as values (FirewallRecord.addrCodes) for the side that stores
   * them to intern (engine/record-batch.ts: the decoder thread then does no look-up per address).
   */
  readonly addressCodes?: boolean;
  addRecord(r: FirewallRecord, text?: string, at?: number): void;
  /**
   * Reads, changing nothing, what a Built or Teardown of connection `connId` (a number) of `device` (names id) will
   * look up when it is added: a reader of records made ahead (engine/record-batch.ts) asks for several before adding
   * them, so that their cache misses overlap. The answer means nothing.
   */
  peekConnection?(device: number, connId: number): number;
  /**
   * addRecord of a line read elsewhere (the command line's decoder thread), its text given as the two numbers
   * duplicate folding compares lines by (analysis/firewall/line-dedupe.ts lineKey of the line's text and `at`).
   */
  addKeyedRecord?(r: FirewallRecord, k1: number, k2: number): void;
}
