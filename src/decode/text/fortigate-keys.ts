/**
 * What the FortiGate decoder's two readers (fortigate.ts over a line's text, fortigate-fast.ts over its bytes) share:
 * the fields they read, the FortiOS message ids and texts they tell apart, and how a session-end `action` and a
 * `proto` number read (see fortigate.ts for the facts and their sources).
 */
import { protoName } from '../../model/firewall-store';
import { unknownReasonName, type TeardownReasonName } from '../../model/teardown-reasons';

export const KEYS = [
  'logid', 'type', 'action', 'date', 'time', 'tz', 'eventtime', 'devname', 'devid', 'sessionid', 'proto',
  'srcip', 'srcport', 'srcintf', 'dstip', 'dstport', 'dstintf', 'transip', 'transport', 'tranip', 'tranport',
  'duration', 'sentbyte', 'rcvdbyte', 'policyid', 'policyname', 'icmpid', 'icmptype', 'icmpcode', 'msg',
] as const;
export const F = Object.fromEntries(KEYS.map((k, i) => [k, i])) as { readonly [K in (typeof KEYS)[number]]: number };

/** Statistics logs of a session still open (FortiOS messages 20 LOG_ID_TRAFFIC_STAT, 21 sniffer statistics). */
export const ONGOING = new Set([20, 21]);
/** FortiOS message 7 LOG_ID_TRAFFIC_OTHER_INVALID: a packet dropped as invalid, `msg` saying why. */
export const INVALID = 7;
/** Its `msg` for a packet of no session in the table (logged with `log-invalid-packet`, `extended-log` on 7.4). */
export const NO_SESSION = 'no session matched';

/**
 * The normalised teardown reason (model/teardown-reasons.ts) of a session-end `action`: `close` is a close with
 * FINs, `client-rst`/`server-rst` an RST from that side, `timeout` the session's idle timer (FortiOS
 * `session-ttl`); `accept` (an allowed session, how it ended not said) and anything else is printed as written.
 */
export function reasonOf(action: string): TeardownReasonName {
  switch (action) {
    case 'close': return 'fins';
    case 'client-rst': return 'reset-client';
    case 'server-rst': return 'reset-server';
    case 'timeout': return 'idle-timeout';
    default: return unknownReasonName(action);
  }
}

/** The event's protocol of a `proto` number (-1: absent): its name, `protocol N` for one without. */
export function protocolOf(proto: number): string | null {
  return proto < 0 ? null : proto < 256 && !protoName(proto).startsWith('ip') ? protoName(proto) : `protocol ${proto}`;
}
