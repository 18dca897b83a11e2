/**
 * The firewall log of a session, filled while the syslog decoder streams (one call per decoded line, with the
 * decoder's reused scratch event): Built/Teardown paired per device + connection ID straight into connection
 * columns, packet events (denies, drops, ICMP errors about a TCP flow) into deny columns (model/firewall-store.ts).
 * Pairing state is bounded: an open connection leaves `open` at its Teardown, a closed one leaves `recent` (kept
 * to fold relay-duplicated Teardowns) 10 minutes of log time later; only Teardowns whose Built was not seen yet
 * wait in `orphans`, to be joined by a Built that comes later (a Teardown stamped in the same second before its
 * Built, rotated files given newest first): the Built fits when the Teardown's duration points back at it.
 * Connections of every protocol are kept (`proto`); ICMP connections (302020/302021) have no connection ID and
 * pair by device and their two endpoints (address and ICMP identifier, either order).
 * Client/server follow the Built direction (inbound: the `for` endpoint initiated; outbound: the `to` endpoint
 * did; Cisco syslog guide, 302013), or the event's initiator fields (FTD 430002/430003 SrcIP/SrcPort). A
 * Teardown alone without them guesses the server by the lower (well-known) port.
 * Exact duplicate lines across inputs (two overlapping exports) are folded by line-dedupe.ts and counted.
 */
import type { FirewallEvent } from '../../model/firewall';
import { FirewallRecord, REC_BUILT, REC_SKIP, REC_TEARDOWN } from '../../model/firewall-record';
import { DIR_INBOUND, DIR_NONE, DIR_OUTBOUND, FirewallConnColumns, FirewallDenyColumns, NONE, Names, grow } from '../../model/firewall-store';
import { recordOf } from './record-of';
import { endpointCode } from './pair-index';
import { normalIp } from './keys';
import { LineDedupe } from './line-dedupe';
import { KeyMap } from './num-map';
import { DenyFlowCap } from './deny-cap';
import { ClosedQueue } from './closed-queue';
import { ConnPairs } from './conn-pairs';
import { DayCounts } from './day-counts';
import { MessageNumbers } from './message-numbers';
import { ReasonSpellings } from './reason-spellings';
import type { ProblemLog } from '../../model/problems';

/** A closed connection stays findable for duplicate Teardown lines this long (log time). */
const RECENT_US = 600e6;
/** Built vs Teardown − duration: how far apart they may be stamped and still be one connection. */
const ORPHAN_SLACK_US = 2e6;

const precOf = (p: number): number => (Number.isFinite(p) ? p : 1e6);

export class FirewallLog {
  readonly names = new Names();
  readonly conns = new FirewallConnColumns();
  readonly denies = new FirewallDenyColumns();
  /** Input names by input index (as the session numbers them). */
  files: string[] = [];
  /** By input index: its teardowns are stamped after the close (model/formats.ts teardownStamp `after-close`). */
  loggedAfterClose: boolean[] = [];
  /** Dated events per UTC day (every decoded event, for dating time-of-day captures). */
  get days(): Map<number, number> {
    return this.dayCounts.byDay;
  }
  private readonly dayCounts = new DayCounts();
  /** TCP packets denied for no connection (model/firewall.ts isNoConnectionTcp: ASA 106015), repeats counted. */
  deniesNoConnectionTcp = 0;
  /** Lines folded as duplicates: Built/Teardown repeated by a relay, and exact repeats across inputs. */
  duplicateLines = 0;
  /** Events stored (connections' Built/Teardown and packet events). */
  events = 0;
  /** Connection events read (Built/Teardown of any protocol, duplicates and ones without endpoints included): none
   *  means connection logging was off or the log was filtered (a grep for the denies), so no deny can be joined. */
  connectionEvents = 0;
  /** How the log spelled each normalised teardown reason (reason-spellings.ts). */
  readonly reasonSpellings = new ReasonSpellings();
  /** Where warnings about the input being read go (set per input by the engine). */
  problems: ProblemLog | null = null;
  /** The bound on deny rows per flow (deny-cap.ts). */
  denyCap = new DenyFlowCap();
  /** The TCP connections' address pairs, indexed as their rows become final (conn-pairs.ts); the join reads it. */
  readonly pairs = new ConnPairs();
  private dedupe: LineDedupe | null = null;
  private readonly open = new KeyMap();
  private readonly orphans = new KeyMap();
  private readonly recent = new KeyMap();
  private closed = new ClosedQueue();
  private normCache = new Int32Array(1024);
  /** The normalised ids (normId) made so far: all of them after finish(); for a copy on another thread (log-snapshot.ts). */
  get normIds(): Int32Array<ArrayBuffer> { return this.normCache; }
  set normIds(a: Int32Array<ArrayBuffer>) { this.normCache = a; }

  /** Whether addRecord needs each line's text (duplicate lines are folded across inputs). */
  get wantsText(): boolean {
    return this.dedupe !== null;
  }

  /** Fold exact duplicate lines across inputs (worth it only when more than one input is loaded). */
  foldDuplicatesAcrossInputs(): void {
    this.dedupe ??= new LineDedupe();
  }

  private readonly scratch = new FirewallRecord();

  /** One decoded event (the decoder's scratch object: read now, never kept). `text`/`at`: the line and where its
   *  message starts, for duplicate folding across inputs. */
  add(e: FirewallEvent, text?: string, at = 0): void {
    this.addRecord(recordOf(e, this.names, this.scratch), text, at);
  }

  /** One decoded event as a record (model/firewall-record.ts; the decoder's scratch: read now, never kept). */
  addRecord(r: FirewallRecord, text?: string, at = 0): void {
    if (!this.counted(r)) return;
    if (this.dedupe && text !== undefined && this.dedupe.seen(r.input, this.names.list[r.device], r.timeUs, text, at)) {
      this.duplicateLines++;
      return;
    }
    this.store(r);
  }

  /** addRecord of a line given by its key (model/firewall-record.ts FirewallRecordSink.addKeyedRecord). */
  addKeyedRecord(r: FirewallRecord, k1: number, k2: number): void {
    if (!this.counted(r)) return;
    if (this.dedupe && this.dedupe.seenKey(r.input, r.timeUs, k1, k2)) {
      this.duplicateLines++;
      return;
    }
    this.store(r);
  }

  /** FirewallRecordSink.peekConnection: the places of its key in `open` and `recent` (built() and teardown() read both). */
  peekConnection(device: number, connId: number): number {
    const key = this.numKey(device, connId);
    return key >= 0 ? this.open.peek(key) + this.recent.peek(key) : 0;
  }

  /** Counts record r (its day; a connection message); whether it is one to store. */
  private counted(r: FirewallRecord): boolean {
    this.dayCounts.add(r.timeUs);
    const k = r.kind;
    if (k === REC_SKIP) {
      // A connection message the store cannot keep (no endpoints) still says connection logging is on.
      if (r.unkeptConnection) this.connectionEvents++;
      return false;
    }
    if (k === REC_BUILT || k === REC_TEARDOWN) this.connectionEvents++;
    return true;
  }

  private store(r: FirewallRecord): void {
    const k = r.kind;
    if (k === REC_BUILT) this.built(r);
    else if (k === REC_TEARDOWN) this.teardown(r);
    else this.packetEvent(r);
  }

  /** Normalised-address id of a printed address id (as connection reports write it: IPv6 compressed; normalIp
   *  once per distinct address), NONE for NONE. The columns keep only the printed ids: this map is per name, not per row. */
  normId(rawId: number): number {
    if (rawId === NONE) return NONE;
    if (this.names.isIpv4(rawId)) return rawId; // normalIp keeps dotted IPv4 as it is
    if (rawId >= this.normCache.length) this.normCache = grow(this.normCache, rawId + 1);
    const c = this.normCache[rawId];
    if (c) return c - 1;
    const raw = this.names.list[rawId];
    const n = normalIp(raw);
    const id = n === raw ? rawId : this.names.id(n);
    this.normCache[rawId] = id + 1;
    return id;
  }

  private connKey(dev: number, idNum: number): number | string {
    const k = this.numKey(dev, idNum);
    return k >= 0 ? k : `${dev}/${idNum}`;
  }

  /** The pairing key of device and connection ID as a number, -1 when it is a text (connKey). */
  private numKey(dev: number, idNum: number): number {
    return idNum >= 0 && idNum < 2 ** 40 && dev < 4096 ? idNum * 4096 + dev : -1;
  }

  /** Pairing key of a connection without an ID (ICMP): device and its two endpoints, in either order. */
  private endpointsKey(dev: number, a: number, ap: number, b: number, bp: number): string {
    const x = endpointCode(a, ap);
    const y = endpointCode(b, bp);
    return x < y ? `${dev}:${x}:${y}` : `${dev}:${y}:${x}`;
  }

  /** Pairing key of row i (as built() and teardown() made it). */
  private keyOf(i: number): number | string {
    const c = this.conns;
    const id = c.connId[i];
    return id === id ? this.connKey(c.device[i], id) : this.endpointsKey(c.device[i], c.cAddr[i], c.cPort[i], c.sAddr[i], c.sPort[i]);
  }

  /** Pairing key of a connection record: device and connection ID, else (ICMP) device and endpoints. */
  private keyOfRecord(r: FirewallRecord): number | string {
    const id = r.connId;
    return id === id ? this.connKey(r.device, id) : this.endpointsKey(r.device, r.srcAddr, r.srcPort, r.dstAddr, r.dstPort);
  }

  /** Client/server of a connection message: by its direction, else the lower port is the server's. */
  private orient(i: number, r: FirewallRecord, withMapped: boolean): void {
    const c = this.conns;
    let srcIsClient: boolean;
    if (r.initiator !== 0) srcIsClient = r.initiator === 1;
    else if (r.direction === DIR_INBOUND) srcIsClient = true;
    else if (r.direction === DIR_OUTBOUND) srcIsClient = false;
    else srcIsClient = !(r.srcPort >= 0 && (r.dstPort < 0 || r.srcPort < r.dstPort));
    c.direction[i] = r.direction;
    c.byPort[i] = r.direction === DIR_NONE && r.initiator === 0 ? 1 : 0;
    const m = withMapped;
    if (srcIsClient) {
      c.cIface[i] = r.srcIface; c.cAddr[i] = r.srcAddr; c.cPort[i] = r.srcPort; c.cMapped[i] = m ? r.srcMapped : NONE; c.cMappedPort[i] = m ? r.srcMappedPort : -1;
      c.sIface[i] = r.dstIface; c.sAddr[i] = r.dstAddr; c.sPort[i] = r.dstPort; c.sMapped[i] = m ? r.dstMapped : NONE; c.sMappedPort[i] = m ? r.dstMappedPort : -1;
    } else {
      c.cIface[i] = r.dstIface; c.cAddr[i] = r.dstAddr; c.cPort[i] = r.dstPort; c.cMapped[i] = m ? r.dstMapped : NONE; c.cMappedPort[i] = m ? r.dstMappedPort : -1;
      c.sIface[i] = r.srcIface; c.sAddr[i] = r.srcAddr; c.sPort[i] = r.srcPort; c.sMapped[i] = m ? r.srcMapped : NONE; c.sMappedPort[i] = m ? r.srcMappedPort : -1;
    }
  }

  /** Whether an endpoint (names ids of address and interface, port) is the stored client or server of connection i. */
  private isSide(i: number, addr: number, port: number, iface: number): boolean {
    const c = this.conns;
    return (c.cAddr[i] === addr && c.cPort[i] === port && c.cIface[i] === iface) || (c.sAddr[i] === addr && c.sPort[i] === port && c.sIface[i] === iface);
  }

  /** Protocol and ICMP type/code of row i from a connection record (the Built's win over the Teardown's). */
  private setProto(i: number, r: FirewallRecord): void {
    const c = this.conns;
    c.proto[i] = r.proto;
    if (r.hasIcmp && (c.icmpType[i] < 0 || r.kind === REC_BUILT)) {
      c.icmpType[i] = r.icmpType;
      c.icmpCode[i] = r.icmpCode;
    }
  }

  private setBuilt(i: number, r: FirewallRecord): void {
    const c = this.conns;
    c.seen[i] |= 1;
    c.builtMsg[i] = r.messageId;
    this.setProto(i, r);
    c.builtInput[i] = r.input;
    c.builtLine[i] = r.line;
    c.builtUs[i] = r.timeUs;
    c.builtPrec[i] = r.precisionUs;
    c.startUs[i] = r.timeUs;
    this.orient(i, r, true);
  }

  private setTeardown(i: number, r: FirewallRecord): void {
    const c = this.conns;
    c.seen[i] |= 2;
    c.tdMsg[i] = r.messageId;
    if (!(c.seen[i] & 1)) this.setProto(i, r);
    else if (r.hasIcmp && c.icmpType[i] < 0) {
      c.icmpType[i] = r.icmpType;
      c.icmpCode[i] = r.icmpCode;
    }
    c.tdInput[i] = r.input;
    c.tdLine[i] = r.line;
    c.tdUs[i] = r.timeUs;
    c.tdPrec[i] = r.precisionUs;
    c.tdReason[i] = r.reason; c.tdReasonCode[i] = r.reasonCode;
    this.reasonSpellings.note(r.reasonCode, r.reasonSpelling, r.reason);
    c.tdFrom[i] = r.from;
    c.tdBytes[i] = r.bytes;
    c.tdDurationS[i] = r.durationS;
    if (Number.isFinite(r.timeUs)) c.endUs[i] = r.timeUs;
  }

  private built(r: FirewallRecord): void {
    this.events++;
    const dev = r.device;
    const key = this.keyOfRecord(r);
    const idNum = r.connId;
    const prev = this.open.get(key);
    // Without an ID (ICMP) a second Built on the same endpoints is a new connection, not a repeat.
    if (prev >= 0 && idNum === idNum && this.conns.proto[prev] === r.proto &&
      this.isSide(prev, r.srcAddr, r.srcPort, r.srcIface) && this.isSide(prev, r.dstAddr, r.dstPort, r.dstIface)) {
      this.duplicateLines++; // the same Built again (relays repeat lines)
      return;
    }
    const orphan = this.orphans.get(key);
    if (orphan >= 0 && this.fitsOrphan(orphan, r)) {
      this.orphans.delete(key);
      this.setBuilt(orphan, r);
      this.conns.endUs[orphan] = Number.isFinite(this.conns.tdUs[orphan]) ? this.conns.tdUs[orphan] : r.timeUs;
      return;
    }
    const i = this.conns.add();
    this.conns.device[i] = dev;
    this.conns.connId[i] = idNum;
    this.setBuilt(i, r);
    this.conns.endUs[i] = r.timeUs;
    this.open.set(key, i);
    this.pairs.built(this, i);
  }

  /** A Teardown seen before its Built: the Built is stamped where the Teardown's duration points. */
  private fitsOrphan(i: number, r: FirewallRecord): boolean {
    const c = this.conns;
    const td = c.tdUs[i];
    if (!Number.isFinite(td) || !Number.isFinite(r.timeUs)) return false;
    const prec = Math.max(precOf(c.tdPrec[i]), precOf(r.precisionUs));
    if (r.timeUs > td + prec) return false;
    if (c.tdDurationS[i] < 0) return td - r.timeUs <= prec;
    return Math.abs(td - c.tdDurationS[i] * 1e6 - r.timeUs) <= ORPHAN_SLACK_US + prec;
  }

  private teardown(r: FirewallRecord): void {
    this.events++;
    const dev = r.device;
    const key = this.keyOfRecord(r);
    const idNum = r.connId;
    const open = this.open.get(key);
    if (open >= 0) {
      this.setTeardown(open, r);
      this.open.delete(key);
      this.remember(key, open);
      return;
    }
    const dup = this.recent.get(key);
    // The same Teardown again: same stamp, and the same endpoint (or, when the Built named other endpoints, the
    // same byte count and duration).
    if (dup >= 0 && this.conns.tdUs[dup] === r.timeUs &&
      (this.isSide(dup, r.srcAddr, r.srcPort, r.srcIface) || (this.conns.tdBytes[dup] === r.bytes && this.conns.tdDurationS[dup] === r.durationS))) {
      this.duplicateLines++;
      return;
    }
    const i = this.conns.add();
    this.conns.device[i] = dev;
    this.conns.connId[i] = idNum;
    this.orient(i, r, false);
    this.setTeardown(i, r);
    this.conns.startUs[i] = Number.isFinite(r.timeUs) && r.durationS >= 0 ? r.timeUs - r.durationS * 1e6 : r.timeUs;
    this.conns.endUs[i] = r.timeUs;
    this.orphans.set(key, i);
    this.remember(key, i);
  }

  /** Keeps a closed connection findable by key for RECENT_US of log time (duplicate Teardown lines). */
  private remember(key: number | string, i: number): void {
    this.recent.set(key, i);
    // A closed row's close time and key never change after this (a Built that fits an orphan keeps both).
    const now = this.conns.tdUs[i];
    const q = this.closed;
    q.push(i, typeof key === 'number' ? key : NaN, now);
    if (!Number.isFinite(now)) return;
    while (q.oldestBefore(now - RECENT_US)) {
      const j = q.oldestRow();
      const nk = q.oldestKey();
      q.shift();
      const k = nk === nk ? nk : this.keyOf(j);
      if (this.recent.get(k) === j) this.recent.delete(k);
    }
  }

  private packetEvent(r: FirewallRecord): void {
    if (r.noConnectionTcp) this.deniesNoConnectionTcp += r.repeat;
    this.events++;
    const d = this.denies;
    const i = d.add();
    d.input[i] = r.input;
    d.line[i] = r.line;
    d.device[i] = r.device;
    d.timeUs[i] = r.timeUs;
    d.precUs[i] = r.precisionUs;
    d.messageId[i] = r.messageId;
    d.flags[i] = r.tcpFlags;
    d.repeat[i] = r.repeat;
    d.iface[i] = r.iface;
    d.joinable[i] = r.keyed && Number.isFinite(r.timeUs) ? 1 : 0;
    d.proto[i] = r.proto;
    d.cause[i] = r.cause;
    d.kind[i] = r.rowKind;
    d.acl[i] = r.acl;
    // For 313005 the type/code of the ICMP error itself.
    d.icmpType[i] = r.icmpType;
    d.icmpCode[i] = r.icmpCode;
    d.srcAddr[i] = r.srcAddr;
    d.srcPort[i] = r.srcPort;
    d.dstAddr[i] = r.dstAddr;
    d.dstPort[i] = r.dstPort;
    const into = this.denyCap.admit(this, i, r.line);
    if (into >= 0) {
      d.count--; // the row just added
      d.repeat[into] += r.repeat;
    } else if (d.joinable[i]) this.pairs.deny(this, i);
  }

  /** The connection ID of row i as printed; '' for a connection whose messages carry none (ICMP). */
  connIdText(i: number): string {
    const v = this.conns.connId[i];
    return v >= 0 ? String(v) : v < 0 ? this.names.list[-v - 1] : '';
  }

  private readonly messageNumbers = new MessageNumbers(this.names);
  /** A message id (names id) as the flow table's number (message-numbers.ts). */
  messageNumber(id: number): number {
    return this.messageNumbers.of(id);
  }

  /** The UTC date (YYYY-MM-DD) most dated events fall on. */
  mostCommonDate(): string | undefined {
    return this.dayCounts.mostCommonDate();
  }

  /** Ends the streaming state (pairing maps); the columns stay. */
  finish(): void {
    this.open.clear();
    this.orphans.clear();
    this.recent.clear();
    this.closed.clear();
    this.dedupe = null;
    this.denyCap = new DenyFlowCap(this.denyCap.cap);
    // Every name's normalised id now, so that readers after this never add a name (normalIp is idempotent).
    for (let k = 0, n = this.names.list.length; k < n; k++) this.normId(k);
    this.conns.trim();
    this.denies.trim();
  }
}
