/**
 * Objects from the firewall columns, for the rows someone reads (a report, a ladder, an explanation, tests): a
 * FirewallConnection with its Built/Teardown as FirewallEvents, and deny rows as FirewallEvents. Never made for
 * every row of a big log.
 */
import { DENY_ROW_KINDS, type FirewallEndpoint, type FirewallEvent } from '../../model/firewall';
import { DENY_CAUSES } from '../../model/deny-causes';
import { TEARDOWN_REASONS } from '../../model/teardown-reasons';
import { DIR_INBOUND, DIR_OUTBOUND, NONE, protoName } from '../../model/firewall-store';
import type { FirewallLog } from './log';

export interface FirewallConnection {
  /** Row in the connection columns. */
  index: number;
  device: string;
  connId: string;
  protocol: string;
  direction: 'inbound' | 'outbound' | null;
  built: FirewallEvent | null;
  teardown: FirewallEvent | null;
  /** Initiator and responder, with interface, real address/port and (from the Built) the NAT-mapped ones. */
  client: FirewallEndpoint;
  server: FirewallEndpoint;
  clientBy: 'syslog-direction' | 'port-heuristic';
  /** Time span on the firewall's clock (µs): Built (or Teardown − duration) to Teardown (or Built). */
  startUs: number;
  endUs: number;
  /** Denies joined to this connection (at most the per-connection cap). */
  denies: FirewallEvent[];
}

function event(log: FirewallLog, kind: FirewallEvent['kind'], messageId: string, input: number, line: number, device: string, timeUs: number, prec: number): FirewallEvent {
  return {
    input, file: log.files[input] ?? '', line, device, timeUs, precisionUs: prec, messageId, severity: 6, kind,
    connId: null, protocol: 'tcp', direction: null, initiator: null, cause: null, src: null, dst: null, reason: null, teardownReason: null, reasonSpelling: null, iface: null, tcpFlags: -1,
    bytes: -1, durationS: -1, acl: null, user: null, inner: null, icmp: null, repeat: 1,
    srcPackets: -1, dstPackets: -1, srcBytes: -1, dstBytes: -1,
  };
}

function side(log: FirewallLog, i: number, client: boolean): FirewallEndpoint {
  const c = log.conns;
  const n = log.names;
  const mapped = client ? c.cMapped[i] : c.sMapped[i];
  return {
    iface: n.at(client ? c.cIface[i] : c.sIface[i]),
    addr: n.at(client ? c.cAddr[i] : c.sAddr[i]) ?? '',
    port: client ? c.cPort[i] : c.sPort[i],
    mappedAddr: mapped === NONE ? null : n.at(mapped),
    mappedPort: client ? c.cMappedPort[i] : c.sMappedPort[i],
    identity: null,
  };
}

export function connectionAt(log: FirewallLog, i: number): FirewallConnection {
  const c = log.conns;
  const device = log.names.at(c.device[i]) ?? '';
  const connId = log.connIdText(i);
  const direction = c.direction[i] === DIR_INBOUND ? 'inbound' : c.direction[i] === DIR_OUTBOUND ? 'outbound' : null;
  const client = side(log, i, true);
  const server = side(log, i, false);
  const protocol = protoName(c.proto[i]);
  const icmp = c.icmpType[i] >= 0 ? { type: c.icmpType[i], code: c.icmpCode[i] } : null;
  let built: FirewallEvent | null = null;
  let teardown: FirewallEvent | null = null;
  if (c.seen[i] & 1) {
    built = event(log, 'built', log.names.at(c.builtMsg[i]) ?? '', c.builtInput[i], c.builtLine[i], device, c.builtUs[i], c.builtPrec[i]);
    built.connId = connId || null;
    built.direction = direction;
    built.protocol = protocol;
    built.icmp = icmp;
  }
  const td = teardownGistAt(log, i);
  if (td) {
    teardown = event(log, 'teardown', log.names.at(c.tdMsg[i]) ?? '', c.tdInput[i], c.tdLine[i], device, td.timeUs, td.precisionUs);
    teardown.connId = connId || null;
    teardown.protocol = protocol;
    teardown.icmp = icmp;
    teardown.reason = td.reason;
    teardown.teardownReason = TEARDOWN_REASONS[c.tdReasonCode[i]].name;
    teardown.iface = log.names.at(c.tdFrom[i]);
    teardown.bytes = c.tdBytes[i];
    teardown.durationS = c.tdDurationS[i];
  }
  return {
    index: i, device, connId, protocol, direction, built, teardown, client, server,
    clientBy: c.byPort[i] ? 'port-heuristic' : 'syslog-direction',
    startUs: c.startUs[i], endUs: c.endUs[i], denies: [],
  };
}

/** What explanations read of deny row d (explain.ts ExplainedDenyEvent): denyEventAt's values, without the event. */
export function denyGistAt(log: FirewallLog, d: number): Pick<FirewallEvent, 'messageId' | 'timeUs' | 'kind' | 'cause' | 'protocol'> {
  const x = log.denies;
  return { messageId: log.names.at(x.messageId[d]) ?? '', timeUs: x.timeUs[d], kind: DENY_ROW_KINDS[x.kind[d]], cause: DENY_CAUSES[x.cause[d]].name, protocol: protoName(x.proto[d]) };
}

/** What explanations read of connection row i's Teardown (explain.ts ExplainedTeardown), as connectionAt has it; null: none. */
export function teardownGistAt(log: FirewallLog, i: number): Pick<FirewallEvent, 'timeUs' | 'precisionUs' | 'reason'> | null {
  const c = log.conns;
  return c.seen[i] & 2 ? { timeUs: c.tdUs[i], precisionUs: c.tdPrec[i], reason: log.names.at(c.tdReason[i]) } : null;
}

/** Deny row d as an event; for an ICMP error, src/dst/protocol are the flow inside it (as in the columns). */
export function denyEventAt(log: FirewallLog, d: number): FirewallEvent {
  const x = log.denies;
  const n = log.names;
  const g = denyGistAt(log, d);
  const e = event(log, g.kind, g.messageId, x.input[d], x.line[d], n.at(x.device[d]) ?? '', g.timeUs, x.precUs[d]);
  const ep = (addr: number, port: number): FirewallEndpoint => ({ iface: null, addr: n.at(addr) ?? '', port, mappedAddr: null, mappedPort: -1, identity: null });
  e.src = x.srcAddr[d] === NONE ? null : ep(x.srcAddr[d], x.srcPort[d]);
  e.dst = x.dstAddr[d] === NONE ? null : ep(x.dstAddr[d], x.dstPort[d]);
  e.iface = n.at(x.iface[d]) || null;
  e.tcpFlags = x.flags[d];
  e.repeat = x.repeat[d];
  e.protocol = g.protocol;
  e.cause = g.cause;
  e.acl = n.at(x.acl[d]);
  if (x.icmpType[d] >= 0) e.icmp = { type: x.icmpType[d], code: x.icmpCode[d] };
  return e;
}
