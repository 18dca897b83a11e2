// What the firewall store reads of a record (model/firewall-record.ts), with names resolved: ids may differ between
// two runs' name tables. The fast-path tests (syslog-fast, fortigate-fast) compare these, line for line.
import { FirewallRecord, REC_PACKET, REC_SKIP, REC_TEARDOWN } from '../../src/model/firewall-record';
import { Names, NONE } from '../../src/model/names';

export function storeView(r: FirewallRecord, names: Names): unknown {
  const n = (id: number) => (id === NONE ? null : names.list[id]);
  if (r.kind === REC_SKIP) return { kind: 'skip', line: r.line, timeUs: r.timeUs, unkept: r.unkeptConnection };
  const common = { kind: r.kind, input: r.input, line: r.line, device: n(r.device), timeUs: r.timeUs, precisionUs: r.precisionUs, messageId: n(r.messageId) };
  if (r.kind === REC_PACKET) {
    return {
      ...common, rowKind: r.rowKind, proto: r.proto, cause: r.cause, noConn: r.noConnectionTcp, keyed: r.keyed, flags: r.tcpFlags, iface: n(r.iface),
      acl: n(r.acl), icmp: [r.icmpType, r.icmpCode], src: [n(r.srcAddr), r.srcPort], dst: [n(r.dstAddr), r.dstPort], repeat: r.repeat,
    };
  }
  const ep = (iface: number, addr: number, port: number, mapped: number, mappedPort: number) => [n(iface), n(addr), port, n(mapped), mappedPort];
  return {
    ...common, connId: r.connId < 0 ? n(-r.connId - 1) : r.connId, proto: r.proto, direction: r.direction, initiator: r.initiator,
    icmp: r.hasIcmp ? [r.icmpType, r.icmpCode] : null, hasEnds: [r.hasSrc, r.hasDst],
    src: ep(r.srcIface, r.srcAddr, r.srcPort, r.srcMapped, r.srcMappedPort), dst: ep(r.dstIface, r.dstAddr, r.dstPort, r.dstMapped, r.dstMappedPort),
    ...(r.kind === REC_TEARDOWN ? { reason: n(r.reason), reasonCode: r.reasonCode, reasonSpelling: n(r.reasonSpelling), from: n(r.from), bytes: r.bytes, durationS: r.durationS } : {}),
  };
}
