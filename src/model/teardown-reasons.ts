/**
 * Why a firewall removed a connection (its Teardown), normalised across vendors: each decoder maps its own reason
 * text to one of these (ASA/FTD: decode/text/syslog-teardown-reasons.ts; FortiGate: decode/text/fortigate.ts) and
 * the connection columns (model/firewall-store.ts tdReasonCode) keep the code beside the vendor's own text (tdReason).
 * Declared once here (order = the stored code): the name; whether only the vendor's text says what it was (the
 * decoder did not know it); who ended the connection; the close packet it implies; one plain-language phrase for
 * explanations. How a reason is spelled is the decoder's (each vendor's own words: ASA `TCP FINs`, FortiGate
 * `close`), never this table's. Adding a reason is one entry here and its words in a decoder.
 */
import { FIN, RST } from './segment';

/**
 * Who ended the connection per the reason: an endpoint with FINs, an endpoint with an RST (`resetFrom` names the
 * side when the reason does), the firewall itself, the firewall's timeout, an administrator, inspection (an
 * application inspection or IPS engine), or not said.
 */
export type TeardownEndedBy = 'endpoint-fin' | 'endpoint-reset' | 'firewall' | 'timeout' | 'admin' | 'inspection' | 'unknown';

interface TeardownReason {
  readonly name: string;
  /**
   * No decoder knew the reason ('none', 'other*'): the triage lists it by its text as written, one row per text;
   * every other reason is one row, spelled as the decoders of the log spelled it (FirewallLog.reasonSpellings).
   */
  readonly asWritten: boolean;
  readonly endedBy: TeardownEndedBy;
  /** Endpoint resets: the side the RST came from when the reason says (by security level, not client/server). */
  readonly resetFrom: 'inside' | 'outside' | null;
  /** TCP flags (model/segment) of the packet that closed it on the firewall: FIN, RST, or FIN|RST when not said. */
  readonly closes: number;
  /** Completes "torn down: "TEXT", …" in an explanation; null when there is nothing to add. */
  readonly explain: string | null;
}

function reason<N extends string>(
  name: N, endedBy: TeardownEndedBy, closes: number, explain: string | null, resetFrom: 'inside' | 'outside' | null = null,
): TeardownReason & { readonly name: N } {
  return { name, asWritten: false, endedBy, resetFrom, closes, explain };
}

/** A reason no decoder knew: only its words tell (unknownReasonName) which close packet, if any, it names. */
function unknown<N extends string>(name: N, closes: number): TeardownReason & { readonly name: N } {
  return { name, asWritten: true, endedBy: 'unknown', resetFrom: null, closes, explain: null };
}

const ANY = FIN | RST;
const IDLE = 'the idle timeout on the firewall';

export const TEARDOWN_REASONS = [
  /** A Teardown that gave no reason. */
  unknown('none', ANY),
  /** A reason the decoder does not know. */
  unknown('other', ANY),
  /** Unknown too, but its words name a reset, or a FIN: that is all that is known of the close packet. */
  unknown('other-reset', RST),
  unknown('other-fin', FIN),
  reason('fins', 'endpoint-fin', FIN, 'a normal close with FINs'),
  reason('reset-inside', 'endpoint-reset', RST, 'an RST that came from the inside (higher-security) interface', 'inside'),
  reason('reset-outside', 'endpoint-reset', RST, 'an RST that came from the outside (lower-security) interface', 'outside'),
  reason('reset-by-firewall', 'firewall', RST, 'an RST the firewall itself sent'),
  reason('syn-timeout', 'timeout', ANY, 'the handshake did not complete within the embryonic timeout (30 s by default)'),
  reason('fin-timeout', 'timeout', FIN, 'a half-closed connection waiting too long for the last FIN or ACK (10 min by default)'),
  reason('idle-timeout', 'timeout', ANY, IDLE),
  reason('conn-timeout', 'timeout', ANY, IDLE),
  reason('flow-timed-out', 'timeout', ANY, IDLE),
  reason('connection-timeout', 'timeout', ANY, IDLE),
  reason('timed-out-with-reset', 'timeout', RST, 'the idle timeout, with RSTs sent to both ends'),
  reason('closed-by-inspection', 'inspection', ANY, 'application inspection ending the flow'),
  reason('inspection-deny', 'inspection', ANY, 'application inspection ending the flow'),
  reason('admin-clear', 'admin', ANY, 'an administrator clearing the connection'),
  /** An endpoint's RST, the log saying which by role (FortiGate `client-rst`, `server-rst`), not by interface. */
  reason('reset-client', 'endpoint-reset', RST, 'an RST from the client (the side that opened the connection)'),
  reason('reset-server', 'endpoint-reset', RST, 'an RST from the server'),
] as const;

export type TeardownReasonName = (typeof TEARDOWN_REASONS)[number]['name'];

/** Code of a reason (its index in TEARDOWN_REASONS), as stored in FirewallConnColumns.tdReasonCode. */
export const TEARDOWN_REASON: { readonly [K in TeardownReasonName]: number } = Object.fromEntries(
  TEARDOWN_REASONS.map((r, i) => [r.name, i]),
) as { [K in TeardownReasonName]: number };

/** The table entry of a reason by name (an event's teardownReason; null: 'none'). */
export const teardownReasonEntry = (name: TeardownReasonName | null) => TEARDOWN_REASONS[TEARDOWN_REASON[name ?? 'none']];

/** Whether `s` is a reason's name (a share link's `reasonKind`, checked before use). */
export const isTeardownReasonName = (s: unknown): s is TeardownReasonName =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(TEARDOWN_REASON, s);

/**
 * A reason text no decoder table knows, by what its words say of the close packet: a reset (`reset`, the word `RST`:
 * "Flow reset by IPS", FortiGate `client-rst`), a FIN ("Probe received FIN"), or neither. Decoders use it for the
 * texts their tables do not list; a share link made before reports carried `reasonKind` reads its reason so.
 */
export function unknownReasonName(text: string): 'other-reset' | 'other-fin' | 'other' {
  return /reset|\bRST\b/i.test(text) ? 'other-reset' : /FIN/.test(text) ? 'other-fin' : 'other';
}

/** The firewall removed the connection for inactivity (or an unfinished handshake or close), not an endpoint. */
export const isTimeoutReason = (code: number): boolean => TEARDOWN_REASONS[code]?.endedBy === 'timeout';
