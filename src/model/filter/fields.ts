/**
 * The fields a flow-table filter expression may name (model/filter/parse.ts): Wireshark's display-filter names for
 * what a connection's packets carry, plus Teardown's own (`teardown.*`) for the close and the firewall log. Each
 * field is read per connection from the flow table's columns (model/filter/compile.ts); a connection matches a
 * packet field's test when any of its packets does.
 */
import { ANOMALY_NAMES } from '../anomalies';
import { CLOSE_KINDS } from '../close-kinds';
import { TEARDOWN_REASONS } from '../teardown-reasons';
import { A_ACKED_UNSEEN_SEGMENT, A_DATA_AFTER_FIN, A_DUPLICATE_ACK, A_FAST_RETRANSMISSION, A_FIN_RST_TOGETHER, A_KEEP_ALIVE } from '../anomalies';
import { A_OUT_OF_ORDER, A_PORTS_REUSED, A_PREVIOUS_SEGMENT_NOT_CAPTURED, A_RETRANSMISSION, A_RST_AFTER_CLOSE } from '../anomalies';
import { A_RST_OUT_OF_WINDOW, A_SPURIOUS_RETRANSMISSION, A_ZERO_WINDOW } from '../anomalies';

/**
 * bool: true or false per connection, tested bare (`tcp.analysis.zero_window`) or against 1/0; flag: a TCP flag
 * (bare or `== 1`: a packet has it set; `== 0`: a packet has it clear); number, ipv4, ipv6, text: compared with values.
 */
export type FieldType = 'bool' | 'flag' | 'number' | 'ipv4' | 'ipv6' | 'text';

export interface FieldInfo {
  type: FieldType;
  help: string;
  /** Anomaly bits (model/anomalies.ts) a `tcp.analysis.*` or `teardown.anomaly.*` field tests: any of them. */
  anomalies?: number;
  /** TCP flag bit of a `tcp.flags.*` field. */
  flag?: number;
  /** The values a text field takes, for messages (any other is an error). */
  values?: readonly string[];
}

const ANY_RETRANSMISSION = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION;

const analysis = (bits: number, help: string): FieldInfo => ({ type: 'bool', anomalies: bits, help });
const flag = (bit: number, name: string): FieldInfo => ({ type: 'flag', flag: bit, help: `a packet with ${name} set (== 0: a packet with it clear)` });

export const FIELDS: Readonly<Record<string, FieldInfo>> = {
  tcp: { type: 'bool', help: 'TCP connections' },
  udp: { type: 'bool', help: 'UDP connections (firewall logs)' },
  icmp: { type: 'bool', help: 'ICMP connections (firewall logs)' },
  icmpv6: { type: 'bool', help: 'ICMPv6 connections (firewall logs)' },
  ip: { type: 'bool', help: 'IPv4 connections' },
  ipv6: { type: 'bool', help: 'IPv6 connections' },
  'ip.addr': { type: 'ipv4', help: 'client or server IPv4 address' },
  'ip.src': { type: 'ipv4', help: 'IPv4 source of a packet' },
  'ip.dst': { type: 'ipv4', help: 'IPv4 destination of a packet' },
  'ipv6.addr': { type: 'ipv6', help: 'client or server IPv6 address' },
  'ipv6.src': { type: 'ipv6', help: 'IPv6 source of a packet' },
  'ipv6.dst': { type: 'ipv6', help: 'IPv6 destination of a packet' },
  'ip.proto': { type: 'number', help: 'IP protocol number (6 TCP, 17 UDP, 1 ICMP)' },
  'tcp.port': { type: 'number', help: 'client or server TCP port' },
  'tcp.srcport': { type: 'number', help: 'TCP source port of a packet' },
  'tcp.dstport': { type: 'number', help: 'TCP destination port of a packet' },
  'udp.port': { type: 'number', help: 'client or server UDP port (firewall logs)' },
  'udp.srcport': { type: 'number', help: 'UDP source port (firewall logs)' },
  'udp.dstport': { type: 'number', help: 'UDP destination port (firewall logs)' },
  'tcp.stream': { type: 'number', help: "tshark's TCP stream number" },
  'tcp.flags.fin': flag(0x01, 'FIN'),
  'tcp.flags.syn': flag(0x02, 'SYN'),
  'tcp.flags.reset': flag(0x04, 'RST'),
  'tcp.flags.push': flag(0x08, 'PSH'),
  'tcp.flags.ack': flag(0x10, 'ACK'),
  'tcp.flags.urg': flag(0x20, 'URG'),
  'tcp.flags.ece': flag(0x40, 'ECE'),
  'tcp.flags.cwr': flag(0x80, 'CWR'),
  // Wireshark marks a fast or spurious retransmission as a retransmission too.
  'tcp.analysis.retransmission': analysis(ANY_RETRANSMISSION, 'a retransmission (fast and spurious ones included)'),
  'tcp.analysis.fast_retransmission': analysis(A_FAST_RETRANSMISSION, 'a fast retransmission'),
  'tcp.analysis.spurious_retransmission': analysis(A_SPURIOUS_RETRANSMISSION, 'a spurious retransmission'),
  'tcp.analysis.out_of_order': analysis(A_OUT_OF_ORDER, 'an out-of-order segment'),
  'tcp.analysis.duplicate_ack': analysis(A_DUPLICATE_ACK, 'a duplicate ACK'),
  'tcp.analysis.zero_window': analysis(A_ZERO_WINDOW, 'a zero window'),
  'tcp.analysis.keep_alive': analysis(A_KEEP_ALIVE, 'a keep-alive'),
  'tcp.analysis.lost_segment': analysis(A_PREVIOUS_SEGMENT_NOT_CAPTURED, 'previous segment not captured'),
  'tcp.analysis.ack_lost_segment': analysis(A_ACKED_UNSEEN_SEGMENT, 'ACKed segment that was not captured'),
  'tcp.analysis.reused_ports': analysis(A_PORTS_REUSED, 'ports reused by a new SYN'),
  'tcp.analysis.flags': analysis(
    ANY_RETRANSMISSION | A_OUT_OF_ORDER | A_DUPLICATE_ACK | A_ZERO_WINDOW | A_KEEP_ALIVE | A_PREVIOUS_SEGMENT_NOT_CAPTURED | A_ACKED_UNSEEN_SEGMENT | A_PORTS_REUSED,
    'any of the tcp.analysis anomalies above',
  ),
  'teardown.close': { type: 'text', help: 'how it closed: a close kind, or none (no close facts)', values: [...CLOSE_KINDS, 'none'] },
  'teardown.initiator': { type: 'text', help: 'who closed first', values: ['client', 'server', 'none'] },
  'teardown.anomaly.rst_after_close': analysis(A_RST_AFTER_CLOSE, 'a RST after both FINs'),
  'teardown.anomaly.fin_rst_together': analysis(A_FIN_RST_TOGETHER, 'FIN and RST together (one segment or within 1 ms)'),
  'teardown.anomaly.data_after_fin': analysis(A_DATA_AFTER_FIN, "data after the sender's own FIN"),
  'teardown.anomaly.rst_out_of_window': analysis(A_RST_OUT_OF_WINDOW, 'a RST outside the receive window'),
  'teardown.anomalies': { type: 'number', help: 'number of packet anomalies near the close (the Anomalies column)' },
  'teardown.packets': { type: 'number', help: 'packets, both directions' },
  'teardown.bytes': { type: 'number', help: 'payload bytes, both directions' },
  'teardown.duration': { type: 'number', help: 'duration in seconds' },
  'teardown.firewall': { type: 'bool', help: 'the firewall log has this connection' },
  'teardown.denied': { type: 'bool', help: 'the firewall log denied a packet of it' },
  'teardown.log_only': { type: 'bool', help: 'known only from the firewall log (no packets)' },
  'teardown.dropped': { type: 'bool', help: 'a packet seen at one capture point was missing at the other' },
  'teardown.two_points': { type: 'bool', help: 'seen at two capture points' },
  'teardown.reason': { type: 'text', help: "the firewall's teardown reason (contains: any part, any case)" },
  'teardown.reason_kind': {
    type: 'text', help: "the teardown reason normalised across vendors (none: a teardown that gave no reason)", values: TEARDOWN_REASONS.map((r) => r.name),
  },
  'teardown.message': { type: 'number', help: "firewall message id of the connection's log line (302014, 430003)" },
};

/** Every anomaly name of model/anomalies.ts has a field (a unit test checks). */
export const ANOMALY_FIELD_OF: Readonly<Record<string, string>> = Object.fromEntries(
  ANOMALY_NAMES.map(([bit, name]) => [name, Object.keys(FIELDS).find((f) => FIELDS[f].anomalies === bit) ?? '']),
);
