import type { DenyCauseName } from './deny-causes';
import type { TeardownReasonName } from './teardown-reasons';

/**
 * One decoded Cisco ASA/FTD syslog message (src/decode/text/syslog.ts makes them; analysis/firewall
 * correlates them with packet connections). Plain data, kept per message, so it is compact: absent
 * facts are null, not missing keys, to keep every event the same shape (one V8 hidden class).
 */

export type FirewallEventKind =
  /** 302013/302015/302020/302303, FTD 430002 (connection start): a connection entry was created. */
  | 'built'
  /** 302014/302016/302021/302304, FTD 430003 (connection end): a connection entry was removed. */
  | 'teardown'
  /** 106001/106006/106007/106014/106015/106023/106100 denied/710003/313001/313004: a packet or flow denied. */
  | 'deny'
  /** 106100 permitted/est-allowed, 710002: a packet or flow allowed by a rule. */
  | 'permit'
  /** 419001/419002: a packet dropped by the TCP normalizer. */
  | 'drop'
  /** 313005: an ICMP error for a flow the firewall does not track. */
  | 'icmp-error'
  /** 609001/609002: host bookkeeping. */
  | 'host-built'
  | 'host-teardown'
  /** 305011/305012: NAT translation slots. */
  | 'xlate-built'
  | 'xlate-teardown';

/** The event kinds a row of the deny columns holds, by their stored code (model/firewall-store.ts). */
export const DENY_ROW_KINDS = ['deny', 'drop', 'icmp-error'] as const satisfies readonly FirewallEventKind[];
export type DenyRowKind = (typeof DENY_ROW_KINDS)[number];
export const DENY_ROW_KIND = Object.fromEntries(DENY_ROW_KINDS.map((k, i) => [k, i])) as { readonly [K in DenyRowKind]: number };

/**
 * A TCP packet the firewall denied because no connection in its table matched it (ASA/FTD 106015: a segment
 * without SYN of a connection it never saw or had already removed). The triage classes (late-close, idle-timeout,
 * no-connection) sort these, and summary.firewall.denies106015 counts them. An ICMP error about a TCP flow
 * (kind 'icmp-error') is not one.
 */
export function isNoConnectionTcp(e: Pick<FirewallEvent, 'kind' | 'cause' | 'protocol'>): boolean {
  return e.kind === 'deny' && e.cause === 'no-connection' && e.protocol === 'tcp';
}

export interface FirewallEndpoint {
  /** Interface name (nameif) when the message gives one; may contain spaces. */
  iface: string | null;
  /** IP literal (v4 or v6) or a name/object the device printed instead. */
  addr: string;
  /** Port (or ICMP id for ICMP connections); -1 when the message gives none. */
  port: number;
  /** The NAT-mapped address/port printed in parentheses, null when not printed. */
  mappedAddr: string | null;
  mappedPort: number;
  /** Identity annotation: "LOCAL\\user", SGT "9999:name", FQDN, ... as printed (without parentheses). */
  identity: string | null;
}

export interface FirewallEvent {
  /** Index of the input (file) in the session and its name. */
  input: number;
  file: string;
  /** 1-based line number in the file. */
  line: number;
  /** Device that logged it: host name/IP from the syslog header, "" when the header has none. */
  device: string;
  /** Microseconds since the Unix epoch (UTC, or the device's clock when no zone is printed); NaN when the line has no stamp. */
  timeUs: number;
  /** Precision of the stamp in microseconds: 1e6 for whole seconds, 1000 for milliseconds, 1 for microseconds. */
  precisionUs: number;
  /** Six-digit message ID, e.g. "302014". */
  messageId: string;
  /** Severity level 1..7 as printed (the ID, not the level, identifies the message). */
  severity: number;
  kind: FirewallEventKind;
  /** Connection ID (302013/302014/...), decimal string; null when the message has none. */
  connId: string | null;
  /** "tcp" | "udp" | "icmp" | "ip" | "protocol 47" ... lower case; null when not given. */
  protocol: string | null;
  /** "inbound" | "outbound" when printed. */
  direction: 'inbound' | 'outbound' | null;
  /**
   * Which endpoint opened the connection when the message says so by field (FTD 430002/430003: SrcIP is the
   * initiator, DstIP the responder): 'src' or 'dst'; null when only the direction word (or nothing) tells.
   */
  initiator: 'src' | 'dst' | null;
  /** Denies and drops: the normalised cause (model/deny-causes.ts); null for other events. */
  cause: DenyCauseName | null;
  /**
   * Endpoints as printed. Connection messages (302013/302014/...): src = the `for`/`faddr` endpoint, dst = the
   * `to`/`laddr` endpoint (for inbound connections src is the initiator, for outbound dst is). Packet messages
   * (denies, drops, ACL logs): src = the packet's source, dst = its destination. 305011/305012: src = real, dst = mapped.
   */
  src: FirewallEndpoint | null;
  dst: FirewallEndpoint | null;
  /** Teardown reason ("TCP FINs", "TCP Reset-I", "SYN Timeout", ...), deny reason or ACL name context. */
  reason: string | null;
  /** Teardowns: the normalised reason of `reason` (model/teardown-reasons.ts; 'none' when none); null for other events. */
  teardownReason: TeardownReasonName | null;
  /**
   * Teardowns: the decoder's spelling of a reason it knows, when `reason` is written otherwise (ASA "TCP Reset - I":
   * "TCP Reset-I"); null: `reason` as written is its spelling (and for events made back from the store).
   */
  reasonSpelling: string | null;
  /** Interface the teardown was initiated from (`... from INSIDE`), or the interface a deny happened on. */
  iface: string | null;
  /** TCP flags as a bit set (segment.ts values) for 106001/106015 (and FTD 430003 `TCPFlags`); -1 when not given. */
  tcpFlags: number;
  /** Total bytes of the connection (302014/302016); -1 when not given. */
  bytes: number;
  /** Duration in seconds (teardowns, local-host, xlate); -1 when not given. */
  durationS: number;
  /** ACL name (106023/106100/710003). */
  acl: string | null;
  /** The AAA/IDFW user printed at the end of the message, without parentheses. */
  user: string | null;
  /** 313005: the flow inside the ICMP error (protocol and endpoints). */
  inner: { protocol: string; src: FirewallEndpoint; dst: FirewallEndpoint } | null;
  /** ICMP type/code when printed. */
  icmp: { type: number; code: number } | null;
  /** "message repeated N times" wrappers: N; 1 otherwise. */
  repeat: number;
  /**
   * Per-direction counts of connection-end events that give them (FTD 430002/430003: Initiator/Responder
   * Packets and Bytes): what `src` sent and what `dst` sent; -1 when not given.
   */
  srcPackets: number;
  dstPackets: number;
  srcBytes: number;
  dstBytes: number;
}

/** An event with no facts (every field absent), for a decoder's scratch event of input `input` (`file`). */
export function newFirewallEvent(input: number, file: string): FirewallEvent {
  return {
    input, file, line: 0, device: '', timeUs: NaN, precisionUs: 1e6, messageId: '', severity: 0, kind: 'deny', connId: null, protocol: null,
    direction: null, initiator: null, cause: null, src: null, dst: null, reason: null, teardownReason: null, reasonSpelling: null, iface: null, tcpFlags: -1, bytes: -1, durationS: -1, acl: null, user: null,
    inner: null, icmp: null, repeat: 1, srcPackets: -1, dstPackets: -1, srcBytes: -1, dstBytes: -1,
  };
}

/** A copy of an event that owns its endpoint objects (decoders hand out one reused scratch event per line). */
export function copyFirewallEvent(e: FirewallEvent): FirewallEvent {
  const ep = (x: FirewallEndpoint | null): FirewallEndpoint | null => (x ? { ...x } : null);
  return {
    ...e,
    src: ep(e.src),
    dst: ep(e.dst),
    inner: e.inner ? { protocol: e.inner.protocol, src: { ...e.inner.src }, dst: { ...e.inner.dst } } : null,
    icmp: e.icmp ? { ...e.icmp } : null,
  };
}

/** Firewall message counts of one input, by message ID (decoded or not). */
export type MessageCounts = Record<string, number>;

/**
 * A date for text captures that print only the time of day (ASA `show capture`, plain tcpdump), taken from
 * firewall syslog loaded beside them: the UTC date (YYYY-MM-DD) most of the dated events fall on.
 */
export function dateFromFirewallEvents(events: Iterable<FirewallEvent>): string | undefined {
  const days = new Map<number, number>();
  for (const e of events) {
    if (!Number.isFinite(e.timeUs) || Math.abs(e.timeUs) > 8.64e18) continue; // a Date could not print it
    const d = Math.floor(e.timeUs / 86400e6);
    days.set(d, (days.get(d) ?? 0) + 1);
  }
  let best = -1;
  let bestN = 0;
  for (const [d, n] of days) {
    if (n > bestN || (n === bestN && d < best)) {
      best = d;
      bestN = n;
    }
  }
  return bestN ? new Date(best * 86400e3).toISOString().slice(0, 10) : undefined;
}
