/**
 * A packet connection's report as JSON, written as bytes straight from the store (lib/json-bytes.ts): the same
 * characters as `JSON.stringify(buildConnectionReport(...))` (connection-report.ts), member for member and in the
 * same order, but without the report's objects (endpoints, counts, close facts, states, anomalies), the generic
 * serializer walking them or a string per record. On the 1 GB bench capture (100,000 connections) building and
 * stringifying the reports was ~1.5 CPU-s of `analyze --json`'s ~3.5. Connections whose report has more than the
 * store holds (seen at two capture points: vantage; joined to a firewall log) are not written here (`has`): the
 * caller stringifies their report.
 * tests/unit/connection-json.test.ts holds every connection of the fixture captures to JSON.stringify's text.
 */
import type { PacketTable } from '../model/packet-table';
import { ANOMALY_NAMES } from '../model/anomalies';
import { JsonBytes, utf8 } from '../lib/json-bytes';
import { SideFacts } from './conn-state';
import { closeInitiator, closeKind, handshakeOf } from './close';
import { connectionId, explainInputOf, isSimultaneous, MAX_ANOMALIES, safeIsoTime } from './connection-report';
import { explainClose } from './explain';
import { stateName } from './rfc-states';
import { tlsFacts } from './tls';
import type { TrackedConnections } from './tracked';

// Refilled for each connection (100,000 connections would otherwise make 200,000 of them).
const CLIENT = new SideFacts();
const SERVER = new SideFacts();

/** The fixed text between the values, in the order written. */
const M = {
  id: utf8('"id":"'),
  tcpStream: utf8('","tcpStream":'),
  noStream: utf8('"'),
  files: utf8(',"files":'),
  client: utf8(',"client":{"ip":'),
  port: utf8(',"port":'),
  server: utf8('},"server":{"ip":'),
  clientBy: utf8('},"clientBy":'),
  start: utf8(',"start":'),
  end: utf8(',"end":'),
  packets: utf8(',"packets":{"client":'),
  payloadBytes: utf8('},"payloadBytes":{"client":'),
  sideServer: utf8(',"server":'),
  handshake: utf8('},"handshake":'),
  fin: utf8(',"close":{"fin":'),
  rst: utf8(',"rst":'),
  initiator: utf8(',"initiator":'),
  kind: utf8(',"kind":'),
  simultaneous: utf8(',"simultaneous":'),
  finRstTogether: utf8(',"finRstTogether":'),
  lateRst: utf8(',"lateRst":'),
  dataAfterFin: utf8(',"dataAfterFin":'),
  zeekState: utf8(',"zeekState":'),
  history: utf8(',"history":'),
  zeekLog: utf8(',"zeekLog":'),
  states: utf8(',"states":{"client":'),
  anomalies: utf8('},"anomalies":'),
  tls: utf8(',"tls":'),
  explanation: utf8(',"explanation":'),
  end2: utf8('}}'),
  state: utf8('{"state":"'),
  statePacket: utf8('","packet":'),
  anomaly: utf8('{"packet":'),
  anomalyKind: utf8(',"kind":"'),
  anomalyEnd: utf8('"}'),
};
/** `{"client":a,"server":b}` for the four pairs of booleans, by a * 2 + b. */
const PAIRS = [0, 1, 2, 3].map((k) => utf8(JSON.stringify({ client: k > 1, server: (k & 1) === 1 })));
/** RFC state names, by code, as bytes. */
const STATE_NAMES: Uint8Array[] = [];
for (let c = 0; stateName(c) !== undefined; c++) STATE_NAMES.push(utf8(stateName(c)));
const ANOMALY_KINDS = ANOMALY_NAMES.map(([bit, name]) => [bit, utf8(name)] as const);

/** A side's RFC states (`close.states.client`): [{"state":...,"packet":...},...]. */
function states(w: JsonBytes, e: SideFacts): void {
  const s = e.states;
  w.byte(91);
  for (let i = 0; i < s.length; i += 2) {
    if (i) w.byte(44);
    w.raw(M.state);
    w.raw(STATE_NAMES[s[i]]);
    w.raw(M.statePacket);
    w.num(s[i + 1]);
    w.byte(125);
  }
  w.byte(93);
}

/** The connection's per-packet anomalies (`close.anomalies`, at most MAX_ANOMALIES), as anomalyList lists them. */
function anomalies(w: JsonBytes, t: TrackedConnections, table: PacketTable, index: number): void {
  w.byte(91);
  if (t.store.anomalyBits[index] !== 0) {
    const rows = t.rows(index);
    const chunks = table.anomalies.chunks;
    let n = 0;
    for (let k = 0; k < rows.length && n < MAX_ANOMALIES; k++) {
      const row = rows[k];
      const bits = chunks[row >>> 16][row & 0xffff];
      if (bits === 0) continue;
      for (const [bit, name] of ANOMALY_KINDS) {
        if ((bits & bit) === 0) continue;
        if (n++) w.byte(44);
        w.raw(M.anomaly);
        w.num(k);
        w.raw(M.anomalyKind);
        w.raw(name);
        w.raw(M.anomalyEnd);
      }
    }
  }
  w.byte(93);
}

/** Writes packet connections' JSON for one analysis; keeps the input file lists' text made once. */
export class ConnectionJson {
  private readonly filesText = new Map<number, Uint8Array>();

  constructor(
    private readonly t: TrackedConnections,
    private readonly table: PacketTable,
    private readonly fileNames: readonly string[],
  ) {}

  /** Whether write() writes connection `index` (else its report is to be stringified: more than the store holds). */
  has(index: number): boolean {
    const t = this.t;
    return !((t.vantage.size && t.vantage.has(index)) || t.firewall?.has(index));
  }

  /** Connection `index`'s report as JSON into `w`, opening with `head` (`{`, or more members first). */
  write(w: JsonBytes, index: number, head: Uint8Array): void {
    const t = this.t;
    const st = t.store;
    const client = t.facts(index, 'client', true, CLIENT);
    const server = t.facts(index, 'server', true, SERVER);
    const stream = t.tcpStream?.[index];
    const ca = t.side(index, 'client');
    const keys = t.keys;
    w.raw(head);
    w.raw(M.id);
    w.ascii(connectionId(index));
    if (stream === undefined) w.raw(M.noStream);
    else {
      w.raw(M.tcpStream);
      w.num(stream);
    }
    w.raw(M.files);
    w.raw(this.files(index));
    w.raw(M.client);
    w.str(keys.addressText(index, ca));
    w.raw(M.port);
    w.num(keys.port(index, ca));
    w.raw(M.server);
    w.str(keys.addressText(index, ca ^ 1));
    w.raw(M.port);
    w.num(keys.port(index, ca ^ 1));
    w.raw(M.clientBy);
    w.str(t.clientBy[index]);
    w.raw(M.start);
    w.str(safeIsoTime(st.firstTimeUs[index]));
    w.raw(M.end);
    w.str(safeIsoTime(st.lastTimeUs[index]));
    w.raw(M.packets);
    w.num(client.packets);
    w.raw(M.sideServer);
    w.num(server.packets);
    w.raw(M.payloadBytes);
    w.num(client.payloadBytes);
    w.raw(M.sideServer);
    w.num(server.payloadBytes);
    w.raw(M.handshake);
    w.str(handshakeOf(client, server));
    w.raw(M.fin);
    w.raw(PAIRS[(client.finIndex >= 0 ? 2 : 0) + (server.finIndex >= 0 ? 1 : 0)]);
    w.raw(M.rst);
    w.raw(PAIRS[(client.rstIndex >= 0 ? 2 : 0) + (server.rstIndex >= 0 ? 1 : 0)]);
    w.raw(M.initiator);
    w.str(closeInitiator(client, server));
    w.raw(M.kind);
    w.str(closeKind(client, server));
    w.raw(M.simultaneous);
    w.bool(isSimultaneous(client, server));
    w.raw(M.finRstTogether);
    w.bool(st.finRstTogether(index));
    w.raw(M.lateRst);
    w.bool(st.lateRst(index));
    w.raw(M.dataAfterFin);
    w.bool(client.dataAfterFin || server.dataAfterFin);
    w.raw(M.zeekState);
    w.str(st.zeekStateName(index));
    w.raw(M.history);
    w.str(st.history[index]);
    const zeekLog = st.zeekLog.get(index);
    if (zeekLog) {
      w.raw(M.zeekLog);
      w.text(JSON.stringify(zeekLog));
    }
    w.raw(M.states);
    states(w, client);
    w.raw(M.sideServer);
    states(w, server);
    w.raw(M.anomalies);
    anomalies(w, t, this.table, index);
    w.raw(M.tls);
    w.text(JSON.stringify(tlsFacts(st.tlsSeen(index), st.tlsVersion[index], client, server, st.tlsHole(index), st.tlsPlain(index))));
    w.raw(M.explanation);
    w.str(explainClose(explainInputOf(t, index, client, server)));
    w.raw(M.end2);
  }

  /** The connection's input file names as a JSON array. */
  private files(index: number): Uint8Array {
    const list = this.t.store.inputList(index);
    const name = (i: number) => this.fileNames[i] ?? `input ${i}`;
    if (list.length !== 1) return utf8(JSON.stringify(list.map(name)));
    // One input (nearly always): its text is kept.
    let text = this.filesText.get(list[0]);
    if (text === undefined) this.filesText.set(list[0], (text = utf8(JSON.stringify([name(list[0])]))));
    return text;
  }
}
