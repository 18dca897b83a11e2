/**
 * A FirewallEvent (what every decoder can give) as the FirewallRecord the firewall store takes (model/
 * firewall-record.ts): the event's strings interned in the store's names, its facts in the store's codes. The
 * syslog decoder's fast path fills records itself; this is the one definition of what a record of an event holds,
 * so the fast path is tested against it (tests/unit/syslog-fast.test.ts).
 */
import { DENY_CAUSE } from '../../model/deny-causes';
import { TEARDOWN_REASON } from '../../model/teardown-reasons';
import { DENY_ROW_KIND, isNoConnectionTcp, type DenyRowKind, type FirewallEndpoint, type FirewallEvent } from '../../model/firewall';
import { FirewallRecord, REC_BUILT, REC_PACKET, REC_SKIP, REC_TEARDOWN } from '../../model/firewall-record';
import { DIR_INBOUND, DIR_NONE, DIR_OUTBOUND, NONE, protoCode, type Names } from '../../model/firewall-store';

/** One endpoint into r; `flowOnly` (packet rows): its address and port only. */
function side(r: FirewallRecord, src: boolean, ep: FirewallEndpoint | null, names: Names, flowOnly: boolean): void {
  const iface = ep === null || flowOnly ? NONE : names.idFew(ep.iface);
  const addr = ep === null ? NONE : names.id(ep.addr);
  const port = ep === null ? -1 : ep.port;
  // The mapped address is often the real one (no NAT on that side): one lookup saved.
  const mapped = ep === null || flowOnly || ep.mappedAddr === null ? NONE : ep.mappedAddr === ep.addr ? addr : names.id(ep.mappedAddr);
  const mappedPort = ep === null || flowOnly || ep.mappedAddr === null ? -1 : ep.mappedPort;
  if (src) {
    r.hasSrc = ep !== null; r.srcIface = iface; r.srcAddr = addr; r.srcPort = port; r.srcMapped = mapped; r.srcMappedPort = mappedPort;
  } else {
    r.hasDst = ep !== null; r.dstIface = iface; r.dstAddr = addr; r.dstPort = port; r.dstMapped = mapped; r.dstMappedPort = mappedPort;
  }
}

/** Plain decimals up to 15 digits as numbers (exact in a double); anything else as an interned string. */
export function connIdOf(text: string, names: Names): number {
  if (text.length <= 15 && /^(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  return -(names.id(text) + 1);
}

/** Fills `r` from event `e` (interning its strings in `names`) and returns it. */
export function recordOf(e: FirewallEvent, names: Names, r: FirewallRecord): FirewallRecord {
  r.input = e.input;
  r.line = e.line;
  r.timeUs = e.timeUs;
  r.precisionUs = e.precisionUs;
  r.messageId = names.idFew(e.messageId);
  r.repeat = e.repeat;
  const k = e.kind;
  const conn = k === 'built' || k === 'teardown';
  r.kind = REC_SKIP;
  r.unkeptConnection = false;
  if (!conn && k !== 'deny' && k !== 'drop' && k !== 'icmp-error') return r;
  if (conn && (!e.src || !e.dst || (e.connId === null && e.protocol !== 'icmp' && e.protocol !== 'icmp6'))) {
    r.unkeptConnection = true;
    return r;
  }
  r.device = names.idFew(e.device);
  r.hasIcmp = e.icmp !== null;
  r.icmpType = e.icmp ? e.icmp.type : -1;
  r.icmpCode = e.icmp ? e.icmp.code : -1;
  if (conn) {
    r.kind = k === 'built' ? REC_BUILT : REC_TEARDOWN;
    r.connId = e.connId === null ? NaN : connIdOf(e.connId, names);
    r.proto = protoCode(e.protocol ?? 'tcp');
    r.direction = e.direction === 'inbound' ? DIR_INBOUND : e.direction === 'outbound' ? DIR_OUTBOUND : DIR_NONE;
    r.initiator = e.initiator === 'src' ? 1 : e.initiator === 'dst' ? 2 : 0;
    side(r, true, e.src, names, false);
    side(r, false, e.dst, names, false);
    if (k === 'teardown') {
      r.reason = names.idFew(e.reason);
      r.reasonCode = TEARDOWN_REASON[e.teardownReason ?? 'none'];
      r.from = names.idFew(e.iface);
      r.reasonSpelling = names.idFew(e.reasonSpelling);
      r.bytes = e.bytes;
      r.durationS = e.durationS;
    }
    return r;
  }
  r.kind = REC_PACKET;
  const icmpErr = k === 'icmp-error';
  const src = icmpErr ? (e.inner?.src ?? null) : e.src;
  const dst = icmpErr ? (e.inner?.dst ?? null) : e.dst;
  const proto = icmpErr ? (e.inner?.protocol ?? null) : e.protocol;
  r.rowKind = DENY_ROW_KIND[k as DenyRowKind];
  r.noConnectionTcp = isNoConnectionTcp(e);
  r.keyed = !!src && !!dst && proto === 'tcp' && src.port >= 0 && dst.port >= 0;
  r.proto = protoCode(proto);
  r.cause = e.cause === null ? DENY_CAUSE.other : DENY_CAUSE[e.cause];
  r.tcpFlags = e.tcpFlags;
  r.iface = names.idFew(e.iface ?? e.src?.iface ?? '');
  r.acl = names.idFew(e.acl);
  side(r, true, src, names, true);
  side(r, false, dst, names, true);
  return r;
}
