/**
 * The few facts one line of the command line's readable table shows (id, stream, endpoints, start, duration, packets,
 * bytes, handshake, close kind, who closed first, Zeek state and history), read straight from the store and its
 * side tables for a packet connection: no ConnectionReport (close facts, anomaly list, TLS facts) per row, which
 * for 100,000 connections is most of what printing the table used to cost.
 */
import type { Handshake } from '../model/report';
import type { ConnectionList } from './connection-list';
import { closeOf, connectionId, packetCounts, safeIsoTime } from './connection-report';
import { handshakeOf } from './close';
import { SideFacts } from './conn-state';

export interface ConnectionRow {
  id: string;
  tcpStream: number | undefined;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  start: string;
  /** Whole microseconds from the first to the last packet, as the report's start and end print them; NaN when a time is invalid. */
  durationUs: number;
  packets: { client: number; server: number };
  payloadBytes: { client: number; server: number };
  handshake: Handshake;
  kind: string | null;
  initiator: string | null;
  zeek: string | null;
}

/** Whole microseconds as isoTime prints them; NaN where safeIsoTime prints "invalid time". */
function printedUs(us: number): number {
  return Number.isFinite(us) && Math.abs(us) < 8.64e18 ? Math.floor(us) : NaN;
}

// The two sides' facts, refilled for each row (a table of 100,000 rows would otherwise make 200,000 of them).
const CLIENT = new SideFacts();
const SERVER = new SideFacts();

/** Entry k (a packet connection: k < list.packetCount) as a table row. */
export function storeRow(list: ConnectionList, k: number): ConnectionRow {
  const t = list.tracked;
  const st = t.store;
  const i = list.connIndex(k);
  const client = t.facts(i, 'client', false, CLIENT);
  const server = t.facts(i, 'server', false, SERVER);
  const close = closeOf(t, i, client, server);
  return {
    id: connectionId(i),
    tcpStream: t.tcpStream?.[i],
    client: t.endpoint(i, 'client'),
    server: t.endpoint(i, 'server'),
    start: safeIsoTime(st.firstTimeUs[i]),
    durationUs: printedUs(st.lastTimeUs[i]) - printedUs(st.firstTimeUs[i]),
    packets: packetCounts(t, i, client, server),
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    handshake: handshakeOf(client, server),
    kind: close.kind,
    initiator: close.initiator,
    zeek: `${st.zeekStateName(i)} ${st.history[i]}`,
  };
}
