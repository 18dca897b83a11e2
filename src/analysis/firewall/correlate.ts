/**
 * Firewall correlation: ASA/FTD log events joined with each other and with packet connections.
 *  (a) Built/Teardown pairs per device + connection ID (pairing.ts) -> firewall connections; those no packet
 *      connection matches become ConnectionReports of their own (source "syslog").
 *  (b) 106015 `Deny TCP (no connection)` joined to the connection of the same 4-tuple (real or NAT-mapped, either
 *      direction) whose Teardown came at most LATE_DENY_WINDOW_S before it: a late packet of a just-closed
 *      connection. 120 s: TCP stacks retransmit a FIN or answer a late segment with an RST for about that long
 *      (Linux tcp_fin_timeout 60 s, orphan retries ~100 s); a longer gap is more likely a new, unknown flow.
 *      Syslog stamps usually have whole seconds only, so "after" means "in the same second or later".
 *  (c) Packet connections get FirewallFacts from the firewall connection with the same 4-tuple (real or mapped)
 *      whose lifetime overlaps theirs once the capture/firewall clock offset (estimated from Teardown stamps vs
 *      the captures' last packets) is applied.
 * Everything is keyed by 4-tuple in Maps: linear in events + connections, no nested loops over both.
 */
import type { FirewallEndpoint, FirewallEvent } from '../../model/firewall';
import type { CaptureSummary, ConnectionReport, FirewallDeny, FirewallFacts } from '../../model/report';
import { isoTime } from '../../model/report';
import type { PacketTable } from '../../model/packet-table';
import { FIN, RST, flagNames } from '../../model/segment';
import type { TrackedConnections } from '../connections';
import { connectionKeys, endpointKey, normalIp, pairKey } from './keys';
import { pairFirewallConnections, type FirewallConnection } from './pairing';
import { explainFirewall, type DenyTiming } from './explain';

export const LATE_DENY_WINDOW_S = 120;
/** How far (beyond the stamp precision) a packet connection may lie outside a firewall connection's lifetime. */
const MATCH_SLACK_US = 10e6;

export interface CorrelateOptions {
  /** The packet rows, to time denied packets precisely (optional). */
  packets?: { table: PacketTable; connections: TrackedConnections };
  /** Per-input message counts (InputReport.firewallMessages), summed into the summary. */
  messageCounts?: readonly (Record<string, number> | undefined)[];
}

export interface CorrelateResult {
  /** Firewall connections no packet connection matched, as ConnectionReports (source "syslog"). TCP only. */
  syslogConnections: ConnectionReport[];
  summary: NonNullable<CaptureSummary['firewall']>;
  /** Firewall clock minus capture clock, µs (0 when within the stamps' precision or unknown). */
  clockOffsetUs: number;
  /** Packet connections that got FirewallFacts. */
  matched: number;
  firewallConnections: FirewallConnection[];
}

const isoOr = (t: number): string | null => (Number.isFinite(t) ? isoTime(t) : null);

function parseIsoUs(s: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
  if (!m) return NaN;
  const base = Date.parse(`${m[1]}Z`);
  const frac = m[2] ? Number(m[2].padEnd(6, '0').slice(0, 6)) : 0;
  return base * 1000 + frac;
}

function duration(s: number): string | null {
  if (s < 0) return null;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

const precisionOf = (e: FirewallEvent | null): number => (e && Number.isFinite(e.precisionUs) ? e.precisionUs : 1e6);

/** The flow a deny/drop is about: its own endpoints, or for 313005 the flow inside the ICMP error. */
export function flowOf(d: FirewallEvent): { src: FirewallEndpoint; dst: FirewallEndpoint } {
  return d.kind === 'icmp-error' && d.inner ? d.inner : { src: d.src!, dst: d.dst! };
}

function denyOf(d: FirewallEvent, fc: FirewallConnection | null): FirewallDeny {
  const { src, dst } = flowOf(d);
  return {
    time: isoOr(d.timeUs) ?? '',
    flags: d.tcpFlags >= 0 ? flagNames(d.tcpFlags) : '',
    interface: d.iface ?? d.src?.iface ?? '',
    src: { ip: normalIp(src.addr), port: src.port },
    dst: { ip: normalIp(dst.addr), port: dst.port },
    afterTeardownMs: fc?.teardown && Number.isFinite(fc.teardown.timeUs) ? (d.timeUs - fc.teardown.timeUs) / 1000 : null,
    messageId: d.messageId,
  };
}

/** The endpoints of a TCP deny/drop event as a pair key, or null. 313005 uses the flow inside the ICMP error. */
function eventPairKey(e: FirewallEvent): string | null {
  const src = e.kind === 'icmp-error' ? e.inner?.src : e.src;
  const dst = e.kind === 'icmp-error' ? e.inner?.dst : e.dst;
  const proto = e.kind === 'icmp-error' ? e.inner?.protocol : e.protocol;
  if (!src || !dst || proto !== 'tcp' || src.port < 0 || dst.port < 0) return null;
  return pairKey(endpointKey(normalIp(src.addr), src.port), endpointKey(normalIp(dst.addr), dst.port));
}

const isPacketEvent = (e: FirewallEvent) => e.kind === 'deny' || e.kind === 'drop' || e.kind === 'icmp-error';

export function correlateFirewall(
  events: readonly FirewallEvent[],
  reports: ConnectionReport[],
  options: CorrelateOptions = {},
): CorrelateResult {
  const fwConns = pairFirewallConnections(events);
  const tcp = fwConns.filter((c) => c.protocol === 'tcp');
  const byKey = new Map<string, FirewallConnection[]>();
  for (const c of tcp) {
    for (const k of connectionKeys(c.client, c.server)) {
      const list = byKey.get(k);
      if (list) list.push(c);
      else byKey.set(k, [c]);
    }
  }

  // (b) denies and drops -> firewall connections. The ones no firewall connection explains stay in `loose`.
  const loose = new Map<string, FirewallEvent[]>();
  let denies106015 = 0;
  let deniesLateClose = 0;
  const lateWindowUs = LATE_DENY_WINDOW_S * 1e6;
  for (const e of events) {
    if (!isPacketEvent(e)) continue;
    const key = eventPairKey(e);
    const is106015 = e.messageId === '106015';
    if (is106015) denies106015 += e.repeat;
    if (!key || !Number.isFinite(e.timeUs)) continue;
    const cands = byKey.get(key) ?? [];
    let best: FirewallConnection | null = null;
    for (const c of cands) {
      if (c.device !== e.device && c.device !== '' && e.device !== '') continue;
      const prec = Math.max(precisionOf(c.teardown), precisionOf(e));
      if (is106015) {
        // A late packet of a connection already torn down.
        if (!c.teardown || !Number.isFinite(c.teardown.timeUs)) continue;
        const gap = e.timeUs - c.teardown.timeUs;
        if (gap < -prec || gap > lateWindowUs) continue;
        if (!best || c.teardown.timeUs > best.teardown!.timeUs) best = c;
      } else {
        const start = Number.isFinite(c.startUs) ? c.startUs : -Infinity;
        const end = c.teardown ? c.endUs : Infinity;
        if (e.timeUs < start - prec - MATCH_SLACK_US || e.timeUs > end + lateWindowUs) continue;
        if (!best || (best.startUs < c.startUs && c.startUs <= e.timeUs)) best = c;
      }
    }
    if (best) {
      best.denies.push(e);
      if (is106015) deniesLateClose += e.repeat;
    } else {
      const l = loose.get(key);
      if (l) l.push(e);
      else loose.set(key, [e]);
    }
  }

  // (c) packet connections -> firewall connections. First the clock offset, from unambiguous pairs.
  const pktKey = (r: ConnectionReport) => pairKey(endpointKey(r.client.ip, r.client.port), endpointKey(r.server.ip, r.server.port));
  const samples: number[] = [];
  let precision = 1e6;
  const packetReports = reports.filter((r) => (r.source ?? 'packets') === 'packets');
  for (const r of packetReports) {
    const cands = byKey.get(pktKey(r));
    if (!cands || cands.length !== 1) continue;
    const c = cands[0];
    if (!c.teardown || !Number.isFinite(c.teardown.timeUs) || !r.close || (!r.close.fin.client && !r.close.fin.server && !r.close.rst.client && !r.close.rst.server)) continue;
    const prec = precisionOf(c.teardown);
    precision = Math.min(precision, prec);
    const end = parseIsoUs(r.end);
    // Stamps are truncated: the teardown happened in [stamp, stamp + precision).
    if (Number.isFinite(end)) samples.push(c.teardown.timeUs + prec / 2 - end);
  }
  let clockOffsetUs = median(samples);
  if (!Number.isFinite(clockOffsetUs) || Math.abs(clockOffsetUs) <= precision) clockOffsetUs = 0;

  const matchedFw = new Set<FirewallConnection>();
  let matched = 0;
  for (const r of packetReports) {
    const cands = byKey.get(pktKey(r));
    if (!cands) continue;
    const start = parseIsoUs(r.start) + clockOffsetUs;
    const end = parseIsoUs(r.end) + clockOffsetUs;
    let best: FirewallConnection | null = null;
    let bestGap = Infinity;
    for (const c of cands) {
      const prec = Math.max(precisionOf(c.built), precisionOf(c.teardown));
      const fs = Number.isFinite(c.startUs) ? c.startUs - prec : -Infinity;
      const fe = c.teardown && Number.isFinite(c.endUs) ? c.endUs + prec : Infinity;
      const gap = Math.max(0, fs - end, start - fe);
      if (gap < bestGap) {
        bestGap = gap;
        best = c;
      }
    }
    if (!best || bestGap > MATCH_SLACK_US) continue;
    matchedFw.add(best);
    matched++;
    r.firewall = factsFor(best, r, clockOffsetUs, options.packets);
  }
  // Packet connections the log has no connection for, but whose packets it denied (asymmetric routing, a
  // connection the firewall expired or never saw open): those denies alone.
  if (loose.size) {
    for (const r of packetReports) {
      if (r.firewall) continue;
      const list = loose.get(pktKey(r));
      if (!list) continue;
      const start = parseIsoUs(r.start) + clockOffsetUs - MATCH_SLACK_US;
      const end = parseIsoUs(r.end) + clockOffsetUs + LATE_DENY_WINDOW_S * 1e6;
      const mine = list.filter((e) => e.timeUs >= start && e.timeUs <= end);
      if (mine.length) r.firewall = looseFacts(mine, r);
    }
  }

  // (a) the rest: connections known from the log only.
  const syslogConnections: ConnectionReport[] = [];
  for (const c of tcp) {
    if (matchedFw.has(c)) continue;
    syslogConnections.push(syslogReport(c, syslogConnections.length));
  }

  const messagesById: Record<string, number> = {};
  for (const m of options.messageCounts ?? []) for (const [id, n] of Object.entries(m ?? {})) messagesById[id] = (messagesById[id] ?? 0) + n;
  return {
    syslogConnections,
    summary: { denies106015, deniesLateClose, deniesUnknown: denies106015 - deniesLateClose, messagesById },
    clockOffsetUs,
    matched,
    firewallConnections: fwConns,
  };
}

function interfacesOf(c: FirewallConnection): { client: string; server: string } | null {
  return c.client.iface !== null && c.server.iface !== null ? { client: c.client.iface, server: c.server.iface } : null;
}

function baseFacts(c: FirewallConnection): FirewallFacts {
  const td = c.teardown;
  return {
    device: c.device,
    connId: c.connId,
    built: c.built ? isoOr(c.built.timeUs) : null,
    teardown: td ? { time: isoOr(td.timeUs) ?? '', reason: td.reason ?? '', from: td.iface } : null,
    denies: [],
    mapped: c.built && c.client.mappedAddr !== null && c.server.mappedAddr !== null
      ? {
        client: { ip: normalIp(c.client.mappedAddr), port: c.client.mappedPort },
        server: { ip: normalIp(c.server.mappedAddr!), port: c.server.mappedPort },
      }
      : null,
    bytes: td && td.bytes >= 0 ? td.bytes : null,
    duration: td ? duration(td.durationS) : null,
    interfaces: interfacesOf(c),
  };
}

/** Side of a firewall endpoint within a packet connection: matches its client or its server (real or mapped). */
function sideIn(r: ConnectionReport, ip: string, port: number): 'client' | 'server' | null {
  const k = endpointKey(ip, port);
  if (k === endpointKey(r.client.ip, r.client.port)) return 'client';
  if (k === endpointKey(r.server.ip, r.server.port)) return 'server';
  return null;
}

function factsFor(c: FirewallConnection, r: ConnectionReport, offsetUs: number, packets: CorrelateOptions['packets']): FirewallFacts {
  const f = baseFacts(c);
  f.clockOffsetMs = offsetUs / 1000;
  const timings: DenyTiming[] = [];
  for (const d of c.denies) {
    const deny = denyOf(d, c);
    f.denies.push(deny);
    let sender = sideIn(r, deny.src.ip, deny.src.port);
    if (!sender) {
      // The deny names the other view of the addresses (NAT): find the side by the firewall connection.
      const srcKey = endpointKey(deny.src.ip, deny.src.port);
      const clientKeys = [endpointKey(normalIp(c.client.addr), c.client.port)];
      if (c.client.mappedAddr) clientKeys.push(endpointKey(normalIp(c.client.mappedAddr), c.client.mappedPort));
      sender = clientKeys.includes(srcKey) ? 'client' : 'server';
    }
    timings.push({ deny: d, denyFacts: deny, sender, packet: packets ? findDeniedPacket(r, d, sender, c, offsetUs, packets) : null });
  }
  f.explanation = explainFirewall(c, f, timings, r);
  return f;
}

/** The captured packet a deny is about, and the last close packet of the other side before it. */
function findDeniedPacket(
  r: ConnectionReport,
  d: FirewallEvent,
  sender: 'client' | 'server',
  c: FirewallConnection,
  offsetUs: number,
  { table, connections }: NonNullable<CorrelateOptions['packets']>,
): DenyTiming['packet'] {
  const i = Number(r.id);
  if (!Number.isInteger(i) || i < 0 || i >= connections.starts.length - 1 || d.tcpFlags < 0) return null;
  const fromClient = sender === 'client' ? 1 : 0;
  const prec = precisionOf(d);
  const notBefore = (c.teardown ? c.teardown.timeUs : d.timeUs) - prec - offsetUs;
  const notAfter = d.timeUs + prec - offsetUs;
  const want = d.tcpFlags & (FIN | RST) ? d.tcpFlags & (FIN | RST) : d.tcpFlags;
  let denied = -1;
  for (let k = connections.starts[i]; k < connections.starts[i + 1]; k++) {
    const row = connections.order[k];
    const t = table.timeUs.get(row);
    if (table.fromClient.get(row) !== fromClient || t < notBefore || t > notAfter) continue;
    if ((table.flags.get(row) & want) === want) {
      denied = k;
      break;
    }
  }
  if (denied < 0) return null;
  const deniedRow = connections.order[denied];
  const closeFlag = /reset/i.test(c.teardown?.reason ?? '') ? RST : /FIN/.test(c.teardown?.reason ?? '') ? FIN : FIN | RST;
  let cause = -1;
  for (let k = denied - 1; k >= connections.starts[i]; k--) {
    const row = connections.order[k];
    if (table.fromClient.get(row) !== fromClient && table.flags.get(row) & closeFlag) {
      cause = k;
      break;
    }
  }
  const causeRow = cause >= 0 ? connections.order[cause] : -1;
  return {
    index: denied - connections.starts[i],
    timeUs: table.timeUs.get(deniedRow),
    flags: table.flags.get(deniedRow),
    cause: causeRow >= 0 ? { index: cause - connections.starts[i], timeUs: table.timeUs.get(causeRow), flags: table.flags.get(causeRow) } : null,
  };
}

function syslogReport(c: FirewallConnection, n: number): ConnectionReport {
  const f = baseFacts(c);
  for (const d of c.denies) f.denies.push(denyOf(d, c));
  const r: ConnectionReport = {
    id: `syslog-${n}`,
    files: [...new Set([c.built?.file, c.teardown?.file].filter((x): x is string => !!x))],
    source: 'syslog',
    client: { ip: normalIp(c.client.addr), port: c.client.port },
    server: { ip: normalIp(c.server.addr), port: c.server.port },
    clientBy: c.clientBy,
    start: isoOr(c.startUs) ?? '',
    end: isoOr(c.endUs) ?? '',
    packets: { client: 0, server: 0 },
    payloadBytes: { client: 0, server: 0 },
    handshake: 'none',
    firewall: f,
  };
  f.explanation = explainFirewall(c, f, c.denies.map((d, k) => ({ deny: d, denyFacts: f.denies[k], sender: senderOf(c, d), packet: null })), r, true);
  return r;
}

function senderOf(c: FirewallConnection, d: FirewallEvent): 'client' | 'server' {
  const src = flowOf(d).src;
  const k = endpointKey(normalIp(src.addr), src.port);
  const ck = endpointKey(normalIp(c.client.addr), c.client.port);
  const cm = c.client.mappedAddr ? endpointKey(normalIp(c.client.mappedAddr), c.client.mappedPort) : '';
  return k === ck || k === cm ? 'client' : 'server';
}

/** FirewallFacts made of denies only: the firewall had no connection for these packets. */
function looseFacts(denies: FirewallEvent[], r: ConnectionReport): FirewallFacts {
  const list = denies.map((d) => denyOf(d, null));
  const n106015 = denies.filter((d) => d.messageId === '106015').reduce((n, d) => n + d.repeat, 0);
  const ids = [...new Set(denies.map((d) => d.messageId))].join(', ');
  const who = (d: FirewallDeny) => (d.src.ip === r.client.ip && d.src.port === r.client.port ? 'client' : d.src.ip === r.server.ip && d.src.port === r.server.port ? 'server' : null);
  const senders = [...new Set(list.map(who).filter((x): x is 'client' | 'server' => !!x))];
  return {
    device: denies[0].device,
    connId: null,
    built: null,
    teardown: null,
    denies: list,
    mapped: null,
    interfaces: null,
    explanation: n106015
      ? `The firewall log has no connection entry for this flow, and it denied ${n106015} of its packets${senders.length === 1 ? ` (from the ${senders[0]})` : ''} ` +
        'as "no connection" (106015): packets of a connection the firewall never saw open or had already removed (asymmetric routing, ' +
        'an idle timeout on the firewall, or a capture that started after the connection was built).'
      : `The firewall log has no connection entry for this flow; it logged ${list.length} denied or dropped packet${list.length === 1 ? '' : 's'} for it (${ids}).`,
  };
}
