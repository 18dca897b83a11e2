/**
 * What a packet connection's report (connection-members.ts), the summary, the flow table and the command line say of
 * a tracked connection (its ConnStore entry, its rows in the PacketTable and its entries in the side tables: two
 * capture points, firewall facts), read from the store: its close, its times, its anomalies, what its explanation
 * is written from. Client/server are resolved by the tracker (client-rule.ts).
 */
import type { CloseKind, Side } from '../model/report';
import { isoTime } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import { ANOMALY_NAMES } from '../model/anomalies';
import type { SideFacts } from './conn-state';
import type { TrackedConnections } from './tracked';
import type { CloseDecision } from './side-tables';
import { closeInitiator, closeKind } from './close';
import { tlsFactsOfKey, tlsKey } from './tls';
import type { ExplainInput } from './explain';

/** At most this many per-packet anomalies are listed per connection. */
export const MAX_ANOMALIES = 1000;

/** The anomaly bits that have names (anomalyNames lists only these). */
const KNOWN_ANOMALIES = ANOMALY_NAMES.reduce((m, [bit]) => m | bit, 0);

/**
 * A capture time as a report states it, in µs: its whole microseconds (rounded down, as isoTime prints them), NaN
 * when it is out of Date's range (the report then says "invalid time"). The flow table and the tables read times so,
 * from the store, without making and parsing a report's text per row; safeIsoTime prints this.
 */
export function reportedUs(timeUs: number): number {
  return Number.isFinite(timeUs) && Math.abs(timeUs) < 8.64e18 ? Math.floor(timeUs) : NaN;
}

/** The time a report states (reportedUs) as text: isoTime, or for a stamp a damaged capture puts out of range, "invalid time". */
export function safeIsoTime(timeUs: number): string {
  const us = reportedUs(timeUs);
  return Number.isNaN(us) ? `invalid time (${timeUs} µs)` : isoTime(us);
}

export function connectionId(index: number): string {
  return String(index);
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
export function closeRows(t: TrackedConnections, index: number): { rows: Uint32Array; at: (k: number) => number } {
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

/** How many entries the report's `close.anomalies` lists for connection `index` (without making them). */
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
 * What the plain-language account (explain.ts) of connection `index` is written from, from the store alone (its
 * sides' facts loaded here unless given).
 */
export function explainInputOf(t: TrackedConnections, index: number, client = t.facts(index, 'client'), server = t.facts(index, 'server')): ExplainInput {
  const st = t.store;
  const fin = { client: client.finIndex >= 0, server: server.finIndex >= 0 };
  const rst = { client: client.rstIndex >= 0, server: server.rstIndex >= 0 };
  const tlsId = tlsKey(st.tlsSeen(index), st.tlsVersion[index], client, server, st.tlsHole(index), st.tlsPlain(index));
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
    tls: tlsFactsOfKey(tlsId),
    tlsId,
    zeekLog: st.zeekLog.get(index),
  };
}

/** Both sides sent their FIN before acknowledging the other's. */
export function isSimultaneous(client: SideFacts, server: SideFacts): boolean {
  return client.finIndex >= 0 && server.finIndex >= 0 && client.finBeforeAckingPeer && server.finBeforeAckingPeer;
}
