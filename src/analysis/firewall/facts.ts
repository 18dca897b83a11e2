/**
 * FirewallFacts from the firewall columns, built at the edges (a report being read or written): firewallMembers
 * is the one definition of their fields (for connections matched to packets here, for log-only ones in log-only.ts);
 * the denies listed (at most DENIES_PER_CONNECTION, the rest counted) are read from the deny columns too
 * (denyFactsMembers). A connection matched to packets is made into objects (materialize.ts) for its explanation.
 */
import { isNoConnectionTcp, type FirewallEvent } from '../../model/firewall';
import type { ConnectionReport, FirewallDeny, FirewallFacts } from '../../model/report';
import { isoTime } from '../../model/report';
import { NONE } from '../../model/firewall-store';
import type { PacketTable } from '../../model/packet-table';
import { FIN, RST, flagNames } from '../../model/segment';
import type { TrackedConnections } from '../connections';
import { TEARDOWN_REASONS, teardownReasonEntry } from '../../model/teardown-reasons';
import { DENY_CAUSES } from '../../model/deny-causes';
import { endpointKey, normalIp } from './keys';
import { explainFirewall, type DenyTiming } from './explain';
import { connectionAt, denyEventAt, type FirewallConnection } from './materialize';
import { DENIES_PER_CONNECTION, type FirewallJoin } from './join';
import type { FirewallLog } from './log';
import { memberObject, type Member } from '../../lib/members';
import { pairId } from '../../lib/member-bytes';
import type { JsonBytes } from '../../lib/json-bytes';
import { Ipv4Value } from '../../lib/phrase';
import { IsoBytes } from '../../model/iso-bytes';
import type { Names } from '../../model/names';

export type PacketRows = { table: PacketTable; connections: TrackedConnections };

/** A firewall connection with its listed denies (as events) and their classes. */
export interface JoinedConnection {
  c: FirewallConnection;
  classes: number[];
}

export function joinedConnection(log: FirewallLog, join: FirewallJoin, i: number): JoinedConnection {
  const c = connectionAt(log, i);
  const a = join.connDenyStart[i];
  const b = join.connDenyStart[i + 1];
  const classes: number[] = [];
  for (let k = a; k < Math.min(b, a + DENIES_PER_CONNECTION); k++) {
    const d = join.connDenyList[k];
    c.denies.push(denyEventAt(log, d));
    classes.push(join.denyClass[d]);
  }
  return { c, classes };
}

/** How many denies `join` joined to connection row i: none for a row it has not seen (a log still being read). */
function joinedDenies(join: FirewallJoin, i: number): number {
  return i + 1 < join.connDenyStart.length ? join.connDenyStart[i + 1] - join.connDenyStart[i] : 0;
}

/** How many of connection row i's joined denies its report lists (at most DENIES_PER_CONNECTION). */
export function listedDenies(join: FirewallJoin, i: number): number {
  return Math.min(joinedDenies(join, i), DENIES_PER_CONNECTION);
}

/** How many of connection row i's joined denies are counted but not listed. */
export function unlistedDenies(join: FirewallJoin, i: number): number {
  return Math.max(0, joinedDenies(join, i) - DENIES_PER_CONNECTION);
}

export const isoOr = (t: number): string | null => (Number.isFinite(t) ? isoTime(t) : null);

export function parseIsoUs(s: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
  if (!m) return NaN;
  const base = Date.parse(`${m[1]}Z`);
  const frac = m[2] ? Number(m[2].padEnd(6, '0').slice(0, 6)) : 0;
  return base * 1000 + frac;
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

export const precisionOf = (e: FirewallEvent | null): number => (e && Number.isFinite(e.precisionUs) ? e.precisionUs : 1e6);

/**
 * The members of the FirewallDeny listed for deny row `row(i, k)` (item k of row i's list), read from the deny
 * columns: the one definition of a listed deny's fields, for the reports' objects and their JSON bytes.
 * `tdUs(i)`: the time of the Teardown of the connection it is listed with (NaN: none; afterTeardownMs is then null).
 * Every listed deny has its two endpoints (the join keys them by their flow).
 */
export function denyFactsMembers(log: FirewallLog, row: (i: number, k: number) => number, tdUs: (i: number) => number): Member<FirewallDeny>[] {
  const x = log.denies;
  const n = log.names;
  const time = new IsoBytes();
  const endpoint = (src: boolean): Member[] => [
    {
      name: 'ip',
      read: (i, k) => n.list[log.normId(src ? x.srcAddr[row(i, k)] : x.dstAddr[row(i, k)])],
      bytes: (w, i, k) => ipv4Bytes(w, n, src ? x.srcAddr[row(i, k)] : x.dstAddr[row(i, k)]),
    },
    { name: 'port', read: (i, k) => (src ? x.srcPort[row(i, k)] : x.dstPort[row(i, k)]) },
  ];
  return [
    { name: 'time', read: (i, k) => isoOr(x.timeUs[row(i, k)]) ?? '', bytes: (w, i, k) => time.write(w, x.timeUs[row(i, k)]) },
    { name: 'flags', read: (i, k) => (x.flags[row(i, k)] >= 0 ? flagNames(x.flags[row(i, k)]) : ''), id: (i, k) => x.flags[row(i, k)] },
    { name: 'interface', read: (i, k) => n.at(x.iface[row(i, k)]) || '', id: (i, k) => x.iface[row(i, k)] },
    { name: 'src', present: () => true, members: endpoint(true) },
    { name: 'dst', present: () => true, members: endpoint(false) },
    {
      name: 'afterTeardownMs',
      read: (i, k) => {
        const t = tdUs(i);
        return Number.isFinite(t) ? (x.timeUs[row(i, k)] - t) / 1000 : null;
      },
    },
    { name: 'messageId', read: (i, k) => n.at(x.messageId[row(i, k)]) ?? '', id: (i, k) => x.messageId[row(i, k)] },
    { name: 'cause', read: (i, k) => DENY_CAUSES[x.cause[row(i, k)]].name, id: (i, k) => x.cause[row(i, k)] },
  ];
}


function duration(s: number): string | null {
  if (s < 0) return null;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The JSON text of address `id` (a names id) made from its IPv4 value, when it has one (its text is then that
 * value's canonical one, the same as names.list[id] normalised): no read of the string, a cache miss per row on a
 * big log. False: it has none (write the text). For the address members' `bytes` (lib/members.ts), each member
 * calling it from its own function, so that the engine inlines it there.
 */
export function ipv4Bytes(w: JsonBytes, names: Names, id: number): boolean {
  const code = names.ipv4Of(id);
  if (code < 0) return false;
  w.ipv4(code);
  return true;
}

/**
 * Address `id` (a names id) as a phrase value of an explanation (explain.ts ExplainedEndpoint): its IPv4 value when
 * it has one (the same text as names.list[normId(id)], as ipv4Bytes writes it), else its normalised text.
 */
export function ipPhraseValue(log: FirewallLog, id: number): string | Ipv4Value {
  const code = log.names.ipv4Of(id);
  return code >= 0 ? new Ipv4Value(code) : log.names.list[log.normId(id)];
}

/**
 * The members of firewall connection row i's FirewallFacts but its explanation (and the clock offset of one matched
 * to packets), read from the columns: the one definition of those fields, for connections matched to packets
 * (factsFor) and for log-only ones (log-only.ts), with the denies `join` lists for them.
 */
export function firewallMembers(log: FirewallLog, join: FirewallJoin): Member<FirewallFacts>[] {
  const c = log.conns;
  const names = log.names;
  const built = (i: number) => (c.seen[i] & 1) !== 0;
  const torn = (i: number) => (c.seen[i] & 2) !== 0;
  const ip = (id: number) => names.list[log.normId(id)];
  // Times written as bytes straight from their microseconds, each member keeping its current second's.
  const builtIso = new IsoBytes();
  const tdIso = new IsoBytes();
  return [
    { name: 'device', read: (i) => names.at(c.device[i]) ?? '', id: (i) => c.device[i] },
    {
      name: 'connId',
      read: (i) => log.connIdText(i) || null,
      // A number (most ids) as its digits quoted, without making its text (connIdText: String of it).
      bytes: (w, i) => {
        const v = c.connId[i];
        if (!(v >= 0 && v < Infinity)) return false;
        w.byte(34);
        w.num(v);
        w.byte(34);
        return true;
      },
    },
    {
      name: 'messageIds',
      read: (i) => {
        const ids: string[] = [];
        if (built(i)) ids.push(names.list[c.builtMsg[i]]);
        if (torn(i)) ids.push(names.list[c.tdMsg[i]]);
        return ids;
      },
      // Message ids are interned once each, early: their names ids are small (else no key, the bytes are written).
      id: (i) => {
        const b = built(i) ? c.builtMsg[i] + 1 : 0;
        const t = torn(i) ? c.tdMsg[i] + 1 : 0;
        return pairId(b, t, 2 ** 26);
      },
    },
    { name: 'built', read: (i) => (built(i) ? isoOr(c.builtUs[i]) : null), bytes: (w, i) => built(i) && builtIso.write(w, c.builtUs[i]) },
    {
      name: 'teardown',
      present: torn,
      members: [
        { name: 'time', read: (i) => isoOr(c.tdUs[i]) ?? '', bytes: (w, i) => tdIso.write(w, c.tdUs[i]) },
        { name: 'reason', read: (i) => names.at(c.tdReason[i]) ?? '', id: (i) => c.tdReason[i] },
        { name: 'reasonKind', read: (i) => TEARDOWN_REASONS[c.tdReasonCode[i]].name, id: (i) => c.tdReasonCode[i] },
        { name: 'from', read: (i) => names.at(c.tdFrom[i]), id: (i) => c.tdFrom[i] },
      ],
    },
    {
      name: 'denies',
      items: (i) => listedDenies(join, i),
      members: denyFactsMembers(log, (i, k) => join.connDenyList[join.connDenyStart[i] + k], (i) => (torn(i) ? c.tdUs[i] : NaN)),
      id: (i) => (listedDenies(join, i) ? undefined : 0),
    },
    {
      name: 'mapped',
      present: (i) => built(i) && c.cMapped[i] !== NONE && c.sMapped[i] !== NONE,
      members: [
        {
          name: 'client',
          present: () => true,
          members: [{ name: 'ip', read: (i) => ip(c.cMapped[i]), bytes: (w, i) => ipv4Bytes(w, names, c.cMapped[i]) }, { name: 'port', read: (i) => c.cMappedPort[i] }],
        },
        {
          name: 'server',
          present: () => true,
          members: [{ name: 'ip', read: (i) => ip(c.sMapped[i]), bytes: (w, i) => ipv4Bytes(w, names, c.sMapped[i]) }, { name: 'port', read: (i) => c.sMappedPort[i] }],
        },
      ],
    },
    { name: 'bytes', read: (i) => (torn(i) && c.tdBytes[i] >= 0 ? c.tdBytes[i] : null) },
    { name: 'duration', read: (i) => (torn(i) ? duration(c.tdDurationS[i]) : null), id: (i) => (torn(i) ? c.tdDurationS[i] : -1) },
    // Stamps that time no packet, said where the log has them (a FortiGate's): the ladder leaves them out of its clock.
    { name: 'teardownLogged', read: (i) => (torn(i) && log.loggedAfterClose[c.tdInput[i]] ? 'after-close' : undefined) },
    { name: 'builtFrom', read: (i) => (built(i) && torn(i) && c.builtLine[i] === c.tdLine[i] && c.builtInput[i] === c.tdInput[i] ? 'duration' : undefined) },
    {
      name: 'interfaces',
      present: (i) => c.cIface[i] !== NONE && c.sIface[i] !== NONE,
      members: [{ name: 'client', read: (i) => names.list[c.cIface[i]] }, { name: 'server', read: (i) => names.list[c.sIface[i]] }],
      id: (i) => pairId(c.cIface[i], c.sIface[i], 65536),
    },
    { name: 'deniesNotListed', read: (i) => unlistedDenies(join, i) || undefined, id: (i) => (unlistedDenies(join, i) ? undefined : 0) },
    { name: 'icmp', optional: true, present: (i) => c.icmpType[i] >= 0, members: [{ name: 'type', read: (i) => c.icmpType[i] }, { name: 'code', read: (i) => c.icmpCode[i] }] },
  ];
}

/** Side of a firewall endpoint within a packet connection: matches its client or its server (real or mapped). */
function sideIn(r: ConnectionReport, ip: string, port: number): 'client' | 'server' | null {
  const k = endpointKey(ip, port);
  if (k === endpointKey(r.client.ip, r.client.port)) return 'client';
  if (k === endpointKey(r.server.ip, r.server.port)) return 'server';
  return null;
}

export function factsFor(
  log: FirewallLog, join: FirewallJoin, j: JoinedConnection, r: ConnectionReport, offsetUs: number, packets: PacketRows | undefined,
): FirewallFacts {
  const { c, classes } = j;
  const f = memberObject(firewallMembers(log, join), c.index);
  f.clockOffsetMs = offsetUs / 1000;
  const timings: DenyTiming[] = [];
  for (const [k, d] of c.denies.entries()) {
    const deny = f.denies[k];
    let sender = sideIn(r, deny.src.ip, deny.src.port);
    if (!sender) {
      // The deny names the other view of the addresses (NAT): find the side by the firewall connection.
      const srcKey = endpointKey(deny.src.ip, deny.src.port);
      const clientKeys = [endpointKey(normalIp(c.client.addr), c.client.port)];
      if (c.client.mappedAddr) clientKeys.push(endpointKey(normalIp(c.client.mappedAddr), c.client.mappedPort));
      sender = clientKeys.includes(srcKey) ? 'client' : 'server';
    }
    timings.push({ deny: d, denyFacts: deny, sender, cls: classes[k], packet: packets ? findDeniedPacket(r, d, sender, c, offsetUs, packets) : null });
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
  { table, connections }: PacketRows,
): DenyTiming['packet'] {
  const i = Number(r.id);
  if (!connections.has(i) || d.tcpFlags < 0) return null;
  const rows = connections.rows(i);
  const fromClient = sender === 'client' ? 1 : 0;
  const prec = precisionOf(d);
  const notBefore = (c.teardown ? c.teardown.timeUs : d.timeUs) - prec - offsetUs;
  const notAfter = d.timeUs + prec - offsetUs;
  const want = d.tcpFlags & (FIN | RST) ? d.tcpFlags & (FIN | RST) : d.tcpFlags;
  let denied = -1;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const t = table.timeUs.get(row);
    if (table.fromClient.get(row) !== fromClient || t < notBefore || t > notAfter) continue;
    if ((table.flags.get(row) & want) === want) {
      denied = k;
      break;
    }
  }
  if (denied < 0) return null;
  const deniedRow = rows[denied];
  const closeFlag = teardownReasonEntry(c.teardown?.teardownReason ?? null).closes;
  let cause = -1;
  for (let k = denied - 1; k >= 0; k--) {
    const row = rows[k];
    if (table.fromClient.get(row) !== fromClient && table.flags.get(row) & closeFlag) {
      cause = k;
      break;
    }
  }
  const causeRow = cause >= 0 ? rows[cause] : -1;
  return {
    index: denied,
    timeUs: table.timeUs.get(deniedRow),
    flags: table.flags.get(deniedRow),
    cause: causeRow >= 0 ? { index: cause, timeUs: table.timeUs.get(causeRow), flags: table.flags.get(causeRow) } : null,
  };
}

/** Which side sent deny row d, by firewall connection row i's client (real or mapped; addresses as normalised). */
export function senderAt(log: FirewallLog, i: number, d: number): 'client' | 'server' {
  const c = log.conns;
  const src = log.normId(log.denies.srcAddr[d]);
  const port = log.denies.srcPort[d];
  if (src === log.normId(c.cAddr[i]) && port === c.cPort[i]) return 'client';
  return c.cMapped[i] !== NONE && src === log.normId(c.cMapped[i]) && port === c.cMappedPort[i] ? 'client' : 'server';
}

/** FirewallFacts made of deny rows only: the firewall had no connection for these packets. */
export function looseFacts(log: FirewallLog, rows: readonly number[], r: ConnectionReport): FirewallFacts {
  const denies = rows.map((d) => denyEventAt(log, d));
  const members = denyFactsMembers(log, (_, k) => rows[k], () => NaN);
  const list = rows.map((_, k) => memberObject(members, 0, k));
  const noConn = denies.filter(isNoConnectionTcp);
  const nNoConn = noConn.reduce((n, d) => n + d.repeat, 0);
  const idsOf = (ds: FirewallEvent[]) => [...new Set(ds.map((d) => d.messageId))].join(', ');
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
    explanation: nNoConn
      ? `The firewall log has no connection entry for this flow, and it denied ${nNoConn} of its packets${senders.length === 1 ? ` (from the ${senders[0]})` : ''} ` +
        `as "no connection" (${idsOf(noConn)}): packets of a connection the firewall never saw open or had already removed (asymmetric routing, ` +
        'an idle timeout on the firewall, or a capture that started after the connection was built).'
      : `The firewall log has no connection entry for this flow; it logged ${list.length} denied or dropped packet${list.length === 1 ? '' : 's'} for it (${idsOf(denies)}).`,
  };
}
