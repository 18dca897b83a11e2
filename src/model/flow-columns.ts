/**
 * The flow table's columns (model/flow-table.ts builds the query over them; model/filter/compile.ts reads a part):
 * one entry per connection, typed arrays the worker transfers to the UI.
 */
import { ipPort } from './endpoint-text';

/** FlowColumns.marks bits (model/flow-table.ts exports them too). */
export const MARK_FIREWALL = 1;
export const MARK_DROPPED = 2;
export const MARK_SYSLOG_ONLY = 4;
export const MARK_DENIED = 8;
export const MARK_TWO_POINTS = 16;
/** FlowColumns.reasonKind of a row without a teardown. */
export const NO_REASON_KIND = 255;

export interface FlowColumns {
  count: number;
  /** Indexes into `strings`. */
  clientIp: Uint32Array;
  clientPort: Uint16Array;
  serverIp: Uint32Array;
  serverPort: Uint16Array;
  startUs: Float64Array;
  durationUs: Float64Array;
  packets: Uint32Array;
  bytes: Float64Array;
  /** Index in CLOSE_KINDS, 255 when unknown. */
  kind: Uint8Array;
  /** 0 none, 1 client, 2 server. */
  initiator: Uint8Array;
  /** Number of packet anomalies. */
  anomalies: Uint32Array;
  /** Anomaly bits (model/anomalies.ts) of any of the connection's packets. */
  anomalyBits: Uint32Array;
  /**
   * TCP flags (low 8 bits: FIN SYN RST PSH ACK URG ECE CWR) over the connection's packets, a byte each: set in some
   * client packet, set in some server packet, clear in some client packet, clear in some server packet. A side sent
   * a packet when its two bytes are not both 0 (0 for log-only rows: they have no packets).
   */
  tcpFlags: Uint32Array;
  /** Firewall teardown reason, index into `strings` (0 = none). */
  reason: Uint32Array;
  /** The teardown reason normalised (model/teardown-reasons.ts TEARDOWN_REASON code), 255 without a teardown. */
  reasonKind: Uint8Array;
  /** MARK_* bits. */
  marks: Uint8Array;
  /** tshark's tcp.stream (ConnectionReport.tcpStream); -1 for connections known only from logs. */
  tcpStream: Int32Array;
  /** IP protocol number (model/firewall-store.ts PROTO_*): 6 for captured connections, any for log-only rows. */
  proto: Uint8Array;
  /** The vendor message id of the row's firewall connection line (its Built's, else its Teardown's); 0 none. */
  message: Uint32Array;
  /** String pool: addresses and reasons. strings[0] is ''. */
  strings: string[];
}

/** "ip:port", "[v6]:port": how the table shows (and the search box searches) a row's endpoint. */
export function endpointText(c: FlowColumns, row: number, side: 'client' | 'server'): string {
  const ip = c.strings[side === 'client' ? c.clientIp[row] : c.serverIp[row]];
  const port = side === 'client' ? c.clientPort[row] : c.serverPort[row];
  return ipPort(ip, port);
}
