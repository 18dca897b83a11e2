/**
 * A packet connection's ConnectionReport declared once, as members read from the store (lib/members.ts): the
 * report object the page, the ladder, share links and the CLI read (`report`), and the bytes `analyze --json` and
 * `--ndjson` write for 100,000 connections without making it (`write`, lib/member-code.ts) come from this one
 * table; a member is added here and nowhere else, in the order it is written. A connection's `close.states` and
 * `close.explanation` are lazy in the object (computed when first read: together ~1 KB of a ~2.5 KB report, rarely
 * all read). Facts seen at two capture points (vantage) and joined from a firewall log are added to the object after
 * the members; the writer leaves such connections to their object (`has`).
 */
import type { CloseDecision, VantageRecord } from './side-tables';
import type { CloseFacts, ConnectionReport, Side } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import { ANOMALY_NAMES } from '../model/anomalies';
import { JoinedText, utf8, type JsonBytes } from '../lib/json-bytes';
import { memberObject, type Member } from '../lib/members';
import { memberCode } from '../lib/member-code';
import { SideFacts } from './conn-state';
import { closeInitiator, closeKind, handshakeOf } from './close';
import { closeRows, connectionId, explainInputOf, isSimultaneous, MAX_ANOMALIES, reportedUs, safeIsoTime } from './connection-report';
import { IsoBytes } from '../model/iso-bytes';
import { explainClose, explainParts, partText } from './explain';
import { explainFromPoints } from './vantage/explain';
import { stateName } from './rfc-states';
import { tlsFactsOfKey, tlsKey } from './tls';
import type { TrackedConnections } from './tracked';

const STATES_CLIENT = utf8('{"client":[');
const STATES_SERVER = utf8('],"server":[');
const STATES_END = utf8(']}');
/** `{"state":"NAME","packet":` by RFC state code (statesBytes). */
const STATE_OPEN: Uint8Array[] = [];

/** Connection `index`'s report (a fresh object); for many, one PacketReports reads them all. */
export function buildConnectionReport(t: TrackedConnections, table: PacketTable, index: number, fileNames: readonly string[]): ConnectionReport {
  return new PacketReports(t, table, fileNames).report(index);
}

/** The members of packet connections' reports over one analysis' store, and the row they read. */
export class PacketReports {
  readonly members: Member<ConnectionReport>[];
  private writer: ((w: JsonBytes, i: number, head: Uint8Array) => void) | null = null;
  /** The row loaded (its sides' facts, states too when `states`), while a report is being made or written (`live`). */
  private i = -1;
  private states = false;
  private live = false;
  private readonly client = new SideFacts();
  private readonly server = new SideFacts();
  private v: VantageRecord | undefined = undefined;
  /** The loaded row's anomalies as [packet, index in ANOMALY_NAMES] pairs. */
  private readonly anomalies: number[] = [];
  /** The bytes of the explanations' sentences (explanationBytes). */
  private readonly sentences = new JoinedText(partText);

  constructor(
    readonly t: TrackedConnections,
    readonly table: PacketTable,
    readonly fileNames: readonly string[],
  ) {
    this.members = this.declare();
  }

  /** Connection i's report (a fresh object). */
  report(i: number): ConnectionReport {
    this.begin(i, false);
    let r: ConnectionReport;
    try {
      r = memberObject(this.members, i);
    } finally {
      this.live = false;
    }
    const t = this.t;
    const v = t.vantage.get(i);
    if (v) r.vantage = JSON.parse(JSON.stringify(v.facts)); // a copy: a report is the reader's to change
    if (t.firewall?.has(i)) r.firewall = t.firewall.factsOf(i, r);
    return r;
  }

  /** Whether write() writes connection i (else its report is to be stringified: more than the members hold). */
  has(i: number): boolean {
    const t = this.t;
    return !((t.vantage.size && t.vantage.has(i)) || t.firewall?.has(i));
  }

  /** Connection i's report as JSON into `w` (what JSON.stringify gives for report(i)), opening with `head`. */
  write(w: JsonBytes, i: number, head: Uint8Array): void {
    this.begin(i, true);
    try {
      (this.writer ??= memberCode(this.members))(w, i, head);
    } finally {
      this.live = false;
    }
  }

  private begin(i: number, states: boolean): void {
    this.i = -1;
    this.load(i, states);
    this.live = true;
  }

  /** Loads row i unless it is the live row (a lazy member read later loads its row again: the store may have moved). */
  private load(i: number, states: boolean): void {
    if (this.live && this.i === i && (this.states || !states)) return;
    const t = this.t;
    t.facts(i, 'client', states, this.client);
    t.facts(i, 'server', states, this.server);
    this.v = t.vantage.size ? t.vantage.get(i) : undefined;
    this.i = i;
    this.states = states;
  }

  private side(i: number, role: Side, states = false): SideFacts {
    this.load(i, states);
    return role === 'client' ? this.client : this.server;
  }

  /** What two capture points decided of row i's close; undefined: its own sides say. */
  private decided(i: number): CloseDecision | undefined {
    this.load(i, false);
    return this.v?.close;
  }

  /** A fact of row i's close: as two capture points decided it, else from its own sides (`own`). */
  private closeOf<K extends keyof CloseDecision>(i: number, key: K, own: (client: SideFacts, server: SideFacts) => CloseDecision[K]): CloseDecision[K] {
    const c = this.decided(i);
    return c ? c[key] : own(this.client, this.server);
  }

  private declare(): Member<ConnectionReport>[] {
    const t = this.t;
    const st = t.store;
    const start = new IsoBytes();
    const end = new IsoBytes();
    // An IPv4 address is written from its number (no text, no lookup of the distinct addresses); any other one's
    // bytes are kept by its address id.
    const ip = (role: Side): Member => ({
      name: 'ip',
      read: (i) => t.address(i, role),
      id: (i) => (t.ipv4(i, role) >= 0 ? undefined : t.addressId(i, role)),
      bytes: (w, i) => {
        const a = t.ipv4(i, role);
        if (a < 0) return false;
        w.ipv4(a);
        return true;
      },
    });
    const both = (of: (i: number, role: Side) => unknown): Member[] => [
      { name: 'client', read: (i) => of(i, 'client') },
      { name: 'server', read: (i) => of(i, 'server') },
    ];
    const object = <N extends string>(name: N, members: Member[], id?: (i: number) => number): Member<Record<N, unknown>> => ({ name: name as Extract<N, string>, present: () => true, members, id });
    /** `close.fin`/`close.rst`: whether each side sent one, the text kept by the pair of answers. */
    const sent = (name: 'fin' | 'rst', own: (e: SideFacts) => boolean): Member<CloseFacts> => {
      const of = (i: number, role: Side) => {
        const c = this.decided(i);
        return c ? c[name][role] : own(this.side(i, role));
      };
      return object(name, both(of), (i) => (of(i, 'client') ? 2 : 0) + (of(i, 'server') ? 1 : 0));
    };
    /** A side's RFC state changes (`close.states.client`), their packets renumbered after a vantage merge. */
    const states = (role: Side): Member<CloseFacts['states']> => ({
      name: role,
      items: (i) => this.side(i, role, true).states.length / 2,
      members: [
        { name: 'state', read: (i, k) => stateName(this.side(i, role, true).states[2 * k]), id: (i, k) => this.side(i, role, true).states[2 * k] },
        { name: 'packet', read: (i, k) => this.renumbered(i, this.side(i, role, true).states[2 * k + 1]) },
      ],
    });
    const stateLists = [states('client'), states('server')];
    return [
      { name: 'id', read: (i) => connectionId(i) },
      { name: 'tcpStream', read: (i) => t.tcpStream?.[i] },
      { name: 'files', read: (i) => this.files(i), id: (i) => this.filesId(i) },
      object('client', [ip('client'), { name: 'port', read: (i) => t.port(i, 'client') }]),
      object('server', [ip('server'), { name: 'port', read: (i) => t.port(i, 'server') }]),
      { name: 'clientBy', read: (i) => t.clientBy[i] },
      // As bytes straight from the number (IsoBytes), the text safeIsoTime makes otherwise (out-of-range times).
      { name: 'start', read: (i) => safeIsoTime(st.firstTimeUs[i]), bytes: (w, i) => start.write(w, reportedUs(st.firstTimeUs[i])) },
      { name: 'end', read: (i) => safeIsoTime(st.lastTimeUs[i]), bytes: (w, i) => end.write(w, reportedUs(st.lastTimeUs[i])) },
      // Packets each side sent: the store's, plus those a second capture point alone saw (vantage merge).
      object('packets', both((i, role) => this.side(i, role).packets + (this.v?.added?.[role] ?? 0))),
      object('payloadBytes', both((i, role) => this.side(i, role).payloadBytes)),
      { name: 'handshake', read: (i) => handshakeOf(this.side(i, 'client'), this.side(i, 'server')) },
      object('close', [
        sent('fin', (e) => e.finIndex >= 0),
        sent('rst', (e) => e.rstIndex >= 0),
        { name: 'initiator', read: (i) => this.closeOf(i, 'initiator', closeInitiator) },
        { name: 'kind', read: (i) => this.closeOf(i, 'kind', closeKind) },
        { name: 'simultaneous', read: (i) => isSimultaneous(this.side(i, 'client'), this.side(i, 'server')) },
        { name: 'finRstTogether', read: (i) => this.decided(i)?.finRstTogether ?? st.finRstTogether(i) },
        { name: 'lateRst', read: (i) => this.decided(i)?.lateRst ?? st.lateRst(i) },
        { name: 'dataAfterFin', read: (i) => this.side(i, 'client').dataAfterFin || this.side(i, 'server').dataAfterFin },
        { name: 'zeekState', read: (i) => st.zeekStateName(i) },
        { name: 'history', read: (i) => st.history[i] },
        { name: 'zeekLog', read: (i) => st.zeekLog.get(i)?.map((z) => ({ ...z })) },
        // The object its two lists make, written as bytes straight from the sides' state changes (statesBytes).
        {
          name: 'states',
          lazy: true,
          read: (i) => memberObject(stateLists, i),
          bytes: (w, i) => this.statesBytes(w, i),
        },
        {
          name: 'anomalies',
          items: (i) => this.anomalyList(i),
          members: [
            { name: 'packet', read: (_, k) => this.anomalies[2 * k] },
            { name: 'kind', read: (_, k) => ANOMALY_NAMES[this.anomalies[2 * k + 1]][1], id: (_, k) => this.anomalies[2 * k + 1] },
          ],
        },
        // The facts are a function of their key: its text is made once per key.
        { name: 'tls', read: (i) => tlsFactsOfKey(this.tlsKey(i)), id: (i) => this.tlsKey(i) },
        { name: 'explanation', read: (i) => this.explanation(i), bytes: (w, i) => this.explanationBytes(w, i), lazy: true },
      ]),
    ];
  }

  /**
   * `close.states` of row i as JSON into w (what its member object stringifies to), each change's `{"state":...,
   * "packet":` made once per state; false (nothing written) after a vantage merge, which renumbers the packets.
   */
  private statesBytes(w: JsonBytes, i: number): boolean {
    this.load(i, true);
    if (this.v) return false;
    w.raw(STATES_CLIENT);
    this.stateList(w, this.client.states);
    w.raw(STATES_SERVER);
    this.stateList(w, this.server.states);
    w.raw(STATES_END);
    return true;
  }

  private stateList(w: JsonBytes, states: readonly number[]): void {
    for (let k = 0; k < states.length; k += 2) {
      if (k) w.byte(44);
      const code = states[k];
      w.raw((STATE_OPEN[code] ??= utf8(`{"state":${JSON.stringify(stateName(code))},"packet":`)));
      w.num(states[k + 1]);
      w.byte(125);
    }
  }

  /** Row i's tlsKey (tls.ts). */
  private tlsKey(i: number): number {
    const st = this.t.store;
    const client = this.side(i, 'client');
    return tlsKey(st.tlsSeen(i), st.tlsVersion[i], client, this.side(i, 'server'), st.tlsHole(i), st.tlsPlain(i));
  }

  /** Names of the inputs row i came from (one, nearly always). */
  private files(i: number): string[] {
    this.load(i, false);
    if (this.v) return this.v.files.slice();
    return this.t.store.inputList(i).map((k) => this.fileNames[k] ?? `input ${k}`);
  }

  /** An id of files(i) when it is one input's name (the id of nearly every row). */
  private filesId(i: number): number | undefined {
    this.load(i, false);
    if (this.v) return undefined;
    const k = this.t.store.soleInput(i);
    return k >= 0 ? k : undefined;
  }

  /** Packet k of row i's own timeline as numbered in its report (after a vantage merge, in the merged one). */
  private renumbered(i: number, k: number): number {
    this.load(i, false);
    const map = this.v?.renumber;
    return map ? (map.get(k) ?? k) : k;
  }

  /** Fills `anomalies` with row i's per-packet anomalies (at most MAX_ANOMALIES), returns how many. */
  private anomalyList(i: number): number {
    const out = this.anomalies;
    while (out.length) out.pop(); // (not `length = 0`: that frees its backing store, and setting it is a call)
    if (this.t.store.anomalyBits[i] === 0) return 0;
    this.load(i, false);
    const { rows, at } = closeRows(this.t, i);
    const chunks = this.table.anomalies.chunks;
    for (let k = 0, n = 0; k < rows.length && n < MAX_ANOMALIES; k++) {
      const row = rows[k];
      const bits = chunks[row >>> 16][row & 0xffff];
      if (bits === 0) continue;
      for (let a = 0; a < ANOMALY_NAMES.length; a++) {
        if ((bits & ANOMALY_NAMES[a][0]) === 0) continue;
        out.push(at(k), a);
        n++;
      }
    }
    return out.length / 2;
  }

  /** The plain-language account (explain.ts) of row i, with what two capture points show of it. */
  private explanation(i: number): string {
    const client = this.side(i, 'client');
    const server = this.side(i, 'server');
    const v = this.v;
    const text = v?.close?.explanation ?? explainClose(explainInputOf(this.t, i, client, server));
    return v ? explainFromPoints(text, v.sentences) : text;
  }

  /** explanation(i) as JSON into w: its sentences from the bytes kept of each (one seen at two points: its text). */
  private explanationBytes(w: JsonBytes, i: number): boolean {
    const client = this.side(i, 'client');
    const server = this.side(i, 'server');
    if (this.v) w.str(this.explanation(i));
    else this.sentences.write(w, explainParts(explainInputOf(this.t, i, client, server)));
    return true;
  }
}
