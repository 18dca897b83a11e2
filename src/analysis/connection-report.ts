/**
 * The ConnectionReport serializer: turns a tracked connection (its ConnStore entry, its rows in the PacketTable and
 * its entries in the side tables: two capture points, firewall facts) into the ConnectionReport of the analyze
 * JSON, the ladder, share links and the CLI. Reports are made at those edges only; nothing edits one to record a
 * fact. Client/server are resolved by the tracker (client-rule.ts).
 */
import type { CloseFacts, CloseKind, ConnectionReport, PacketAnomaly, Side, VantageFacts } from '../model/report';
import { isoTime } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import { ANOMALY_NAMES, anomalyNames } from '../model/anomalies';
import type { SideFacts } from './conn-state';
import type { ConnStore } from './conn-store';
import type { TrackedConnections } from './tracked';
import type { CloseDecision, VantageRecord } from './side-tables';
import { explainFromPoints } from './vantage/explain';
import { closeInitiator, closeKind, handshakeOf } from './close';
import { tlsFacts } from './tls';
import { explainClose, type ExplainInput } from './explain';
import { stateList } from './rfc-states';

/** At most this many per-packet anomalies are listed per connection. */
export const MAX_ANOMALIES = 1000;

/** The anomaly bits that have names (anomalyNames lists only these). */
const KNOWN_ANOMALIES = ANOMALY_NAMES.reduce((m, [bit]) => m | bit, 0);

/** isoTime that never throws: stamps a damaged capture puts out of Date's range print as the epoch offset. */
export function safeIsoTime(timeUs: number): string {
  if (Number.isFinite(timeUs) && Math.abs(timeUs) < 8.64e18) return isoTime(timeUs);
  return `invalid time (${timeUs} µs)`;
}

/** Names of the inputs a connection came from (one, nearly always). */
function filesOf(st: ConnStore, index: number, fileNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const i of st.inputList(index)) out.push(fileNames[i] ?? `input ${i}`);
  return out;
}

/** "ip:port", IPv6 in brackets (the summary's server key). */
export function serverKey(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function connectionId(index: number): string {
  return String(index);
}

export function buildConnectionReport(
  t: TrackedConnections,
  table: PacketTable,
  index: number,
  fileNames: readonly string[],
): ConnectionReport {
  const st = t.store;
  const client = t.facts(index, 'client');
  const server = t.facts(index, 'server');
  const v = t.vantage.get(index);
  const report: ConnectionReport = {
    id: connectionId(index),
    tcpStream: t.tcpStream?.[index],
    files: v ? v.files.slice() : filesOf(st, index, fileNames),
    client: t.endpoint(index, 'client'),
    server: t.endpoint(index, 'server'),
    clientBy: t.clientBy[index],
    start: safeIsoTime(st.firstTimeUs[index]),
    end: safeIsoTime(st.lastTimeUs[index]),
    packets: packetCounts(t, index, client, server),
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    handshake: handshakeOf(client, server),
    close: closeFacts(t, table, index, client, server),
  };
  if (v) report.vantage = JSON.parse(JSON.stringify(v.facts)) as VantageFacts; // a copy: a report is the reader's to change
  if (t.firewall?.has(index)) report.firewall = t.firewall.factsOf(index, report);
  return report;
}

/** Packets each side sent: the store's, plus those a second capture point alone saw (vantage merge). */
export function packetCounts(t: TrackedConnections, index: number, client: SideFacts, server: SideFacts): { client: number; server: number } {
  const added = t.vantage.get(index)?.added;
  return { client: client.packets + (added?.client ?? 0), server: server.packets + (added?.server ?? 0) };
}

/**
 * The rows connection `index`'s close facts number (its own, before a vantage merge added any), and the packet
 * index in its timeline of each.
 */
function closeRows(t: TrackedConnections, index: number): { rows: Uint32Array; at: (k: number) => number } {
  const v = t.vantage.get(index);
  if (!v) return { rows: t.rows(index), at: (k) => k };
  const map = v.renumber;
  return { rows: v.before, at: map ? (k) => map.get(k) ?? k : (k) => k };
}

/**
 * How connection `index` closed (kind, who first, FINs, RSTs, late RST, FIN+RST together), as the report, the
 * summary, the flow table and the command line state it: from its own sides, or what two capture points saw.
 */
export function closeOf(t: TrackedConnections, index: number, client: SideFacts, server: SideFacts): CloseDecision {
  const points = t.vantage.get(index)?.close;
  if (points) return points;
  return {
    kind: closeKind(client, server),
    initiator: closeInitiator(client, server),
    fin: { client: client.finIndex >= 0, server: server.finIndex >= 0 },
    rst: { client: client.rstIndex >= 0, server: server.rstIndex >= 0 },
    finRstTogether: t.store.finRstTogether(index),
    lateRst: t.store.lateRst(index),
  };
}

/** closeOf(...).kind, without making the decision object (the summary reads only this and the initiator). */
export function closeKindOf(t: TrackedConnections, index: number, client: SideFacts, server: SideFacts): CloseKind {
  const points = t.vantage.size ? t.vantage.get(index)?.close : undefined;
  return points ? points.kind : closeKind(client, server);
}

/** closeOf(...).initiator, without making the decision object. */
export function closeInitiatorOf(t: TrackedConnections, index: number, client: SideFacts, server: SideFacts): Side | null {
  const points = t.vantage.size ? t.vantage.get(index)?.close : undefined;
  return points ? points.initiator : closeInitiator(client, server);
}

/** The packet anomalies of connection `index` (at most MAX_ANOMALIES), from the PacketTable bits. */
function anomalyList(t: TrackedConnections, table: PacketTable, index: number): PacketAnomaly[] {
  const anomalies: PacketAnomaly[] = [];
  if (t.store.anomalyBits[index] === 0) return anomalies;
  const { rows, at } = closeRows(t, index);
  const chunks = table.anomalies.chunks;
  for (let k = 0; k < rows.length && anomalies.length < MAX_ANOMALIES; k++) {
    const row = rows[k];
    const bits = chunks[row >>> 16][row & 0xffff];
    if (bits) for (const kindName of anomalyNames(bits)) anomalies.push({ packet: at(k), kind: kindName });
  }
  return anomalies;
}

/** How many entries anomalyList would give connection `index` (without making them). */
export function anomalyCount(t: TrackedConnections, table: PacketTable, index: number): number {
  if (t.store.anomalyBits[index] === 0) return 0;
  const { rows } = closeRows(t, index);
  const chunks = table.anomalies.chunks;
  let n = 0;
  for (let k = 0; k < rows.length && n < MAX_ANOMALIES; k++) {
    const row = rows[k];
    let bits = chunks[row >>> 16][row & 0xffff] & KNOWN_ANOMALIES;
    while (bits) {
      bits &= bits - 1;
      n++;
    }
  }
  return n;
}

/**
 * A connection's `close.states` and `close.explanation` are computed when first read, from the ConnStore,
 * and then kept: together they are most of a report's memory (~1 KB of a ~2.5 KB report), and a capture of
 * 100,000 connections rarely has them all read. They are own enumerable accessor properties, so JSON.stringify,
 * structured clone (worker -> UI), spreads and Object.keys see them as ordinary fields, in their place; assigning
 * one replaces the value. The connection they come from sits in a hidden (symbol-keyed, non-enumerable) slot.
 */
const LAZY = Symbol('lazy close facts');

/** The hidden slot: where the values come from, and the values once computed. */
interface LazyClose {
  t: TrackedConnections;
  index: number;
  states: CloseFacts['states'] | undefined;
  explanation: string | undefined;
}

interface LazySlot {
  [LAZY]: LazyClose;
}

/** The accessor of a close fact computed when first read (`make`), then kept. */
function lazyProperty<K extends 'states' | 'explanation'>(key: K, make: (t: TrackedConnections, index: number) => NonNullable<LazyClose[K]>): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: LazySlot) {
      const z = this[LAZY];
      return (z[key] ??= make(z.t, z.index));
    },
    set(this: LazySlot, v: NonNullable<LazyClose[K]>) {
      this[LAZY][key] = v;
    },
  };
}
const STATES_PROPERTY = lazyProperty('states', statesOf);
const EXPLANATION_PROPERTY = lazyProperty('explanation', explanationOf);

function statesOf(t: TrackedConnections, index: number): CloseFacts['states'] {
  const states = { client: stateList(t.facts(index, 'client', true)), server: stateList(t.facts(index, 'server', true)) };
  const { at } = closeRows(t, index);
  for (const s of [...states.client, ...states.server]) s.packet = at(s.packet);
  return states;
}

/** The plain-language account (explain.ts) of connection `index`, with what two capture points show of it. */
function explanationOf(t: TrackedConnections, index: number): string {
  const v: VantageRecord | undefined = t.vantage.get(index);
  const text = v?.close?.explanation ?? explainClose(explainInputOf(t, index));
  return v ? explainFromPoints(text, v.sentences) : text;
}

/**
 * What the plain-language account (explain.ts) of connection `index` is written from, from the store alone (its
 * sides' facts loaded here unless given).
 */
export function explainInputOf(t: TrackedConnections, index: number, client = t.facts(index, 'client'), server = t.facts(index, 'server')): ExplainInput {
  const st = t.store;
  const fin = { client: client.finIndex >= 0, server: server.finIndex >= 0 };
  const rst = { client: client.rstIndex >= 0, server: server.rstIndex >= 0 };
  return {
    kind: closeKind(client, server),
    initiator: closeInitiator(client, server),
    fin,
    rst,
    simultaneous: isSimultaneous(client, server),
    finRstTogether: st.finRstTogether(index),
    lateRst: st.lateRst(index),
    dataAfterFin: client.dataAfterFin || server.dataAfterFin,
    finUs: { client: fin.client ? client.finTimeUs : null, server: fin.server ? server.finTimeUs : null },
    rstUs: { client: rst.client ? client.rstTimeUs : null, server: rst.server ? server.rstTimeUs : null },
    finRstOneSegment: { client: client.finRstOneSegment, server: server.finRstOneSegment },
    synCount: client.plainSyns,
    serverPort: t.port(index, 'server'),
    packets: { client: client.packets, server: server.packets },
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    dataRightBeforeRst: st.dataRightBeforeRst(index),
    // Payload bytes each side sent after the other side's FIN (half-close traffic).
    afterPeerFin: { client: client.afterPeerFin, server: server.afterPeerFin },
    tls: tlsFacts(st.tlsSeen(index), st.tlsVersion[index], client, server, st.tlsHole(index), st.tlsPlain(index)),
    zeekLog: st.zeekLog.get(index),
  };
}

/** Both sides sent their FIN before acknowledging the other's. */
export function isSimultaneous(client: SideFacts, server: SideFacts): boolean {
  return client.finIndex >= 0 && server.finIndex >= 0 && client.finBeforeAckingPeer && server.finBeforeAckingPeer;
}

function closeFacts(t: TrackedConnections, table: PacketTable, index: number, client: SideFacts, server: SideFacts): CloseFacts {
  const st = t.store;
  const close = closeOf(t, index, client, server);
  const facts = {
    fin: { ...close.fin },
    rst: { ...close.rst },
    initiator: close.initiator,
    kind: close.kind,
    simultaneous: isSimultaneous(client, server),
    finRstTogether: close.finRstTogether,
    lateRst: close.lateRst,
    dataAfterFin: client.dataAfterFin || server.dataAfterFin,
    zeekState: st.zeekStateName(index),
    history: st.history[index],
  } as CloseFacts;
  const zeekLog = st.zeekLog.get(index);
  if (zeekLog) facts.zeekLog = zeekLog.map((z) => ({ ...z }));
  Object.defineProperty(facts, 'states', STATES_PROPERTY);
  facts.anomalies = anomalyList(t, table, index);
  facts.tls = tlsFacts(st.tlsSeen(index), st.tlsVersion[index], client, server, st.tlsHole(index), st.tlsPlain(index));
  Object.defineProperty(facts, 'explanation', EXPLANATION_PROPERTY);
  // Non-enumerable and symbol-keyed: JSON, structured clone, Object.keys and test equality do not see it.
  const lazy: LazyClose = { t, index, states: undefined, explanation: undefined };
  Object.defineProperty(facts, LAZY, { value: lazy });
  return facts;
}
