/**
 * A firewall deny as the outputs write it (one line of `analyze --ndjson`, an entry of `--json`'s `denies`, a
 * row of the page's deny table) and the page's query over them. Vendor-neutral: `cause` is the normalised why
 * (model/deny-causes.ts), `messageId` the vendor's message. Built only for the rows someone reads or writes.
 */
import type { DenyCauseName } from './deny-causes';
import type { DenyClassName } from './firewall-triage';

export interface DenyRecord {
  record: 'deny';
  /** ISO time (UTC), null when the line had no stamp. */
  time: string | null;
  device: string;
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** The vendor's message id: "106015", "106023", "106006", "313005", ... */
  messageId: string;
  /** Normalised cause: no-connection, access-rule, security-policy, inspection, normalizer, other. */
  cause: DenyCauseName;
  /** IP protocol of the denied packet: tcp, udp, icmp, icmp6, gre, ..., `ip-N` (for 313005 the flow inside the error). */
  protocol: string;
  /** 106015 only: its class (late-close, idle-timeout, no-connection); null for other messages. */
  class: DenyClassName | null;
  /** The denied packet's endpoints (port -1 when the line gives none); null when the line names no such address. */
  src: { ip: string; port: number } | null;
  dst: { ip: string; port: number } | null;
  /** TCP flags as printed words ("FIN ACK"), "" when not given. */
  flags: string;
  /** Interface the deny was logged on, "" when not given. */
  interface: string;
  /** The access rule named (106023 access-group, 106100 access-list, 710003), null when none. */
  acl: string | null;
  /** ICMP type and code when printed. */
  icmp: { type: number; code: number } | null;
  /** "message repeated N times": N; else 1. */
  repeat: number;
  /** Id of the connection report the deny was joined to (TCP denies), null when none. */
  connection: string | null;
}

/** The page's deny table query (worker side: engine/deny-rows.ts). Empty lists match everything. */
export interface DenyQuery {
  /** IP protocol numbers (model/firewall-store.ts PROTO_*). */
  protocols: number[];
  /** Vendor message ids as the log prints them ("106023", ...). */
  messages: string[];
  /** Cause codes (index in DENY_CAUSES). */
  causes: number[];
  /** "10.0.0.1", "10.0.0.1:443", ":443": matches source or destination. */
  address: string;
  /** Time range (µs since the epoch, inclusive); null = open. */
  fromUs: number | null;
  toUs: number | null;
  /** The page of matching rows wanted (in log order). */
  offset: number;
  limit: number;
}

/** One page of matching denies and what the filters can choose from. */
export interface DenyPage {
  /** Matching denies (log lines, not repeats). */
  total: number;
  /** The rows [offset, offset + limit) of the matches, each with the flow-table row of its connection (or null). */
  rows: { deny: DenyRecord; row: number | null }[];
  /** Every deny of the log (before filters) per protocol, message id and cause, for the filter choices. */
  byProtocol: { proto: number; name: string; count: number }[];
  byMessage: { id: string; count: number }[];
  byCause: { cause: number; count: number }[];
}
