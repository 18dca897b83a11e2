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
import { DENY_ROW_KIND, isNoConnectionTcp, type DenyRowKind, type FirewallEndpoint, type FirewallEvent } from '../../model/firewall';
import { DENY_CAUSE } from '../../model/deny-causes';
import { DIR_INBOUND, DIR_NONE, DIR_OUTBOUND, FirewallConnColumns, FirewallDenyColumns, NONE, Names, grow, protoCode } from '../../model/firewall-store';
import { endpointCode } from './pair-index';
import { normalIp } from './keys';
import { LineDedupe } from './line-dedupe';
import { KeyMap } from './num-map';
import { DenyFlowCap } from './deny-cap';
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
  /** Dated events per UTC day (every decoded event, for dating time-of-day captures). */
  readonly days = new Map<number, number>();
  /** TCP packets denied for no connection (model/firewall.ts isNoConnectionTcp: ASA 106015), repeats counted. */
  deniesNoConnectionTcp = 0;
  /** Lines folded as duplicates: Built/Teardown repeated by a relay, and exact repeats across inputs. */
  duplicateLines = 0;
  /** Events stored (connections' Built/Teardown and packet events). */
  events = 0;
  /** Where warnings about the input being read go (set per input by the engine). */
  problems: ProblemLog | null = null;
  /** The bound on deny rows per flow (deny-cap.ts). */
  denyCap = new DenyFlowCap();
  private dedupe: LineDedupe | null = null;
  private readonly open = new KeyMap();
  private readonly orphans = new KeyMap();
  private readonly recent = new KeyMap();
  private recentQueue = new Int32Array(1024);
  private recentHead = 0;
  private recentTail = 0;
  private normCache = new Int32Array(1024);

  /** Fold exact duplicate lines across inputs (worth it only when more than one input is loaded). */
  foldDuplicatesAcrossInputs(): void {
    this.dedupe ??= new LineDedupe();
  }

  /**
   * One decoded event (the decoder's scratch object: read now, never kept). `text`/`at`: the line and where its
   * message starts, for duplicate folding across inputs.
   */
  add(e: FirewallEvent, text?: string, at = 0): void {
    if (Number.isFinite(e.timeUs)) {
      const d = Math.floor(e.timeUs / 86400e6);
      this.days.set(d, (this.days.get(d) ?? 0) + 1);
    }
    const k = e.kind;
    const conn = k === 'built' || k === 'teardown';
    if (!conn && k !== 'deny' && k !== 'drop' && k !== 'icmp-error') return;
    if (conn && (!e.src || !e.dst || (e.connId === null && e.protocol !== 'icmp' && e.protocol !== 'icmp6'))) return;
    if (this.dedupe && text !== undefined && this.dedupe.seen(e.input, e.device, e.timeUs, text, at)) {
      this.duplicateLines++;
      return;
    }
    if (k === 'built') this.built(e);
    else if (k === 'teardown') this.teardown(e);
    else this.packetEvent(e);
  }

  /**
   * Normalised-address id of a printed address id (as connection reports write it: IPv6 compressed; normalIp
   * once per distinct address), NONE for NONE. The columns keep only the printed ids: this map is per name, not per row.
   */
  normId(rawId: number): number {
    if (rawId === NONE) return NONE;
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
    return idNum >= 0 && idNum < 2 ** 40 && dev < 4096 ? idNum * 4096 + dev : `${dev}/${idNum}`;
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

  /** The stored connection ID of the event keyOfEvent read last (NaN when the message has none). */
  private eventIdNum = NaN;

  /** Pairing key of a connection event (its stored connection ID in eventIdNum: no object per line). */
  private keyOfEvent(e: FirewallEvent, dev: number): number | string {
    if (e.connId !== null) {
      this.eventIdNum = this.connIdOf(e.connId);
      return this.connKey(dev, this.eventIdNum);
    }
    this.eventIdNum = NaN;
    const a = this.names.id(e.src!.addr);
    const b = this.names.id(e.dst!.addr);
    return this.endpointsKey(dev, a, e.src!.port, b, e.dst!.port);
  }

  private connIdOf(text: string): number {
    // Plain decimals up to 15 digits as numbers (exact in a double); anything else as an interned string.
    if (text.length <= 15 && /^(0|[1-9][0-9]*)$/.test(text)) return Number(text);
    return -(this.names.id(text) + 1);
  }

  private setSide(i: number, client: boolean, ep: FirewallEndpoint, withMapped: boolean): void {
    const c = this.conns;
    const iface = this.names.idFew(ep.iface);
    const addr = this.names.id(ep.addr);
    // The mapped address is often the real one (no NAT on that side): one lookup saved.
    const mapped = withMapped && ep.mappedAddr !== null ? (ep.mappedAddr === ep.addr ? addr : this.names.id(ep.mappedAddr)) : NONE;
    const mappedPort = withMapped && ep.mappedAddr !== null ? ep.mappedPort : -1;
    if (client) {
      c.cIface[i] = iface; c.cAddr[i] = addr; c.cPort[i] = ep.port; c.cMapped[i] = mapped; c.cMappedPort[i] = mappedPort;
    } else {
      c.sIface[i] = iface; c.sAddr[i] = addr; c.sPort[i] = ep.port; c.sMapped[i] = mapped; c.sMappedPort[i] = mappedPort;
    }
  }

  /** Client/server of a connection message: by its direction, else the lower port is the server's. */
  private orient(i: number, e: FirewallEvent, withMapped: boolean): void {
    const src = e.src!;
    const dst = e.dst!;
    let srcIsClient: boolean;
    if (e.initiator !== null) srcIsClient = e.initiator === 'src';
    else if (e.direction === 'inbound') srcIsClient = true;
    else if (e.direction === 'outbound') srcIsClient = false;
    else srcIsClient = !(src.port >= 0 && (dst.port < 0 || src.port < dst.port));
    this.conns.direction[i] = e.direction === 'inbound' ? DIR_INBOUND : e.direction === 'outbound' ? DIR_OUTBOUND : DIR_NONE;
    this.conns.byPort[i] = e.direction === null && e.initiator === null ? 1 : 0;
    this.setSide(i, true, srcIsClient ? src : dst, withMapped);
    this.setSide(i, false, srcIsClient ? dst : src, withMapped);
  }

  /** Whether endpoint ep is the stored client or server of connection i (address, port, interface as printed). */
  private isSide(i: number, ep: FirewallEndpoint): boolean {
    const c = this.conns;
    const addr = this.names.find(ep.addr);
    const iface = ep.iface === null ? 0xffffffff : this.names.find(ep.iface);
    return (c.cAddr[i] === addr && c.cPort[i] === ep.port && c.cIface[i] === iface) || (c.sAddr[i] === addr && c.sPort[i] === ep.port && c.sIface[i] === iface);
  }

  /** Protocol and ICMP type/code of row i from a connection event (the Built's win over the Teardown's). */
  private setProto(i: number, e: FirewallEvent): void {
    const c = this.conns;
    c.proto[i] = protoCode(e.protocol ?? 'tcp');
    if (e.icmp && (c.icmpType[i] < 0 || e.kind === 'built')) {
      c.icmpType[i] = e.icmp.type;
      c.icmpCode[i] = e.icmp.code;
    }
  }

  private setBuilt(i: number, e: FirewallEvent): void {
    const c = this.conns;
    c.seen[i] |= 1;
    c.builtMsg[i] = Number(e.messageId);
    this.setProto(i, e);
    c.builtInput[i] = e.input;
    c.builtLine[i] = e.line;
    c.builtUs[i] = e.timeUs;
    c.builtPrec[i] = e.precisionUs;
    c.startUs[i] = e.timeUs;
    this.orient(i, e, true);
  }

  private setTeardown(i: number, e: FirewallEvent): void {
    const c = this.conns;
    c.seen[i] |= 2;
    c.tdMsg[i] = Number(e.messageId);
    if (!(c.seen[i] & 1)) this.setProto(i, e);
    else if (e.icmp && c.icmpType[i] < 0) {
      c.icmpType[i] = e.icmp.type;
      c.icmpCode[i] = e.icmp.code;
    }
    c.tdInput[i] = e.input;
    c.tdLine[i] = e.line;
    c.tdUs[i] = e.timeUs;
    c.tdPrec[i] = e.precisionUs;
    c.tdReason[i] = this.names.idFew(e.reason);
    c.tdFrom[i] = this.names.idFew(e.iface);
    c.tdBytes[i] = e.bytes;
    c.tdDurationS[i] = e.durationS;
    if (Number.isFinite(e.timeUs)) c.endUs[i] = e.timeUs;
  }

  private built(e: FirewallEvent): void {
    this.events++;
    const dev = this.names.idFew(e.device);
    const key = this.keyOfEvent(e, dev);
    const idNum = this.eventIdNum;
    const prev = this.open.get(key);
    // Without an ID (ICMP) a second Built on the same endpoints is a new connection, not a repeat.
    if (prev >= 0 && idNum === idNum && this.conns.proto[prev] === protoCode(e.protocol ?? 'tcp') && this.isSide(prev, e.src!) && this.isSide(prev, e.dst!)) {
      this.duplicateLines++; // the same Built again (relays repeat lines)
      return;
    }
    const orphan = this.orphans.get(key);
    if (orphan >= 0 && this.fitsOrphan(orphan, e)) {
      this.orphans.delete(key);
      this.setBuilt(orphan, e);
      this.conns.endUs[orphan] = Number.isFinite(this.conns.tdUs[orphan]) ? this.conns.tdUs[orphan] : e.timeUs;
      return;
    }
    const i = this.conns.add();
    this.conns.device[i] = dev;
    this.conns.connId[i] = idNum;
    this.setBuilt(i, e);
    this.conns.endUs[i] = e.timeUs;
    this.open.set(key, i);
  }

  /** A Teardown seen before its Built: the Built is stamped where the Teardown's duration points. */
  private fitsOrphan(i: number, e: FirewallEvent): boolean {
    const c = this.conns;
    const td = c.tdUs[i];
    if (!Number.isFinite(td) || !Number.isFinite(e.timeUs)) return false;
    const prec = Math.max(precOf(c.tdPrec[i]), precOf(e.precisionUs));
    if (e.timeUs > td + prec) return false;
    if (c.tdDurationS[i] < 0) return td - e.timeUs <= prec;
    return Math.abs(td - c.tdDurationS[i] * 1e6 - e.timeUs) <= ORPHAN_SLACK_US + prec;
  }

  private teardown(e: FirewallEvent): void {
    this.events++;
    const dev = this.names.idFew(e.device);
    const key = this.keyOfEvent(e, dev);
    const idNum = this.eventIdNum;
    const open = this.open.get(key);
    if (open >= 0) {
      this.setTeardown(open, e);
      this.open.delete(key);
      this.remember(key, open);
      return;
    }
    const dup = this.recent.get(key);
    // The same Teardown again: same stamp, and the same endpoint (or, when the Built named other endpoints, the
    // same byte count and duration).
    if (dup >= 0 && this.conns.tdUs[dup] === e.timeUs &&
      (this.isSide(dup, e.src!) || (this.conns.tdBytes[dup] === e.bytes && this.conns.tdDurationS[dup] === e.durationS))) {
      this.duplicateLines++;
      return;
    }
    const i = this.conns.add();
    this.conns.device[i] = dev;
    this.conns.connId[i] = idNum;
    this.orient(i, e, false);
    this.setTeardown(i, e);
    this.conns.startUs[i] = Number.isFinite(e.timeUs) && e.durationS >= 0 ? e.timeUs - e.durationS * 1e6 : e.timeUs;
    this.conns.endUs[i] = e.timeUs;
    this.orphans.set(key, i);
    this.remember(key, i);
  }

  /** Keeps a closed connection findable by key for RECENT_US of log time (duplicate Teardown lines). */
  private remember(key: number | string, i: number): void {
    this.recent.set(key, i);
    if (this.recentTail >= this.recentQueue.length) {
      const live = this.recentTail - this.recentHead;
      if (live * 2 <= this.recentQueue.length) {
        this.recentQueue.copyWithin(0, this.recentHead, this.recentTail);
      } else {
        const q = new Int32Array(this.recentQueue.length * 2);
        q.set(this.recentQueue.subarray(this.recentHead, this.recentTail));
        this.recentQueue = q;
      }
      this.recentHead = 0;
      this.recentTail = live;
    }
    this.recentQueue[this.recentTail++] = i;
    const now = this.conns.tdUs[i];
    if (!Number.isFinite(now)) return;
    while (this.recentHead < this.recentTail) {
      const j = this.recentQueue[this.recentHead];
      const t = this.conns.tdUs[j];
      if (Number.isFinite(t) && t >= now - RECENT_US) break;
      this.recentHead++;
      const k = this.keyOf(j);
      if (this.recent.get(k) === j) this.recent.delete(k);
    }
  }

  private packetEvent(e: FirewallEvent): void {
    const icmpErr = e.kind === 'icmp-error';
    const src = icmpErr ? (e.inner?.src ?? null) : e.src;
    const dst = icmpErr ? (e.inner?.dst ?? null) : e.dst;
    const proto = icmpErr ? (e.inner?.protocol ?? null) : e.protocol;
    if (isNoConnectionTcp(e)) this.deniesNoConnectionTcp += e.repeat;
    const keyed = !!src && !!dst && proto === 'tcp' && src.port >= 0 && dst.port >= 0;
    this.events++;
    const d = this.denies;
    const i = d.add();
    d.input[i] = e.input;
    d.line[i] = e.line;
    d.device[i] = this.names.idFew(e.device);
    d.timeUs[i] = e.timeUs;
    d.precUs[i] = e.precisionUs;
    d.messageId[i] = Number(e.messageId);
    d.flags[i] = e.tcpFlags;
    d.repeat[i] = e.repeat;
    d.iface[i] = this.names.idFew(e.iface ?? e.src?.iface ?? '');
    d.joinable[i] = keyed && Number.isFinite(e.timeUs) ? 1 : 0;
    d.proto[i] = protoCode(proto);
    d.cause[i] = e.cause === null ? DENY_CAUSE.other : DENY_CAUSE[e.cause];
    d.kind[i] = DENY_ROW_KIND[e.kind as DenyRowKind];
    d.acl[i] = this.names.idFew(e.acl);
    // For 313005 the type/code of the ICMP error itself.
    d.icmpType[i] = e.icmp ? e.icmp.type : -1;
    d.icmpCode[i] = e.icmp ? e.icmp.code : -1;
    if (src) {
      d.srcAddr[i] = this.names.id(src.addr);
      d.srcPort[i] = src.port;
    } else {
      d.srcAddr[i] = NONE;
      d.srcPort[i] = -1;
    }
    if (dst) {
      d.dstAddr[i] = this.names.id(dst.addr);
      d.dstPort[i] = dst.port;
    } else {
      d.dstAddr[i] = NONE;
      d.dstPort[i] = -1;
    }
    const into = this.denyCap.admit(this, i, e.line);
    if (into >= 0) {
      d.count--; // the row just added
      d.repeat[into] += e.repeat;
    }
  }

  /** The connection ID of row i as printed; '' for a connection whose messages carry none (ICMP). */
  connIdText(i: number): string {
    const v = this.conns.connId[i];
    return v >= 0 ? String(v) : v < 0 ? this.names.list[-v - 1] : '';
  }

  /** The UTC date (YYYY-MM-DD) most dated events fall on (model/firewall.ts dateFromFirewallEvents, from counts). */
  mostCommonDate(): string | undefined {
    let best = -1;
    let bestN = 0;
    for (const [d, n] of this.days) {
      if (n > bestN || (n === bestN && d < best)) {
        best = d;
        bestN = n;
      }
    }
    return bestN ? new Date(best * 86400e3).toISOString().slice(0, 10) : undefined;
  }

  /** Ends the streaming state (pairing maps); the columns stay. */
  finish(): void {
    this.open.clear();
    this.orphans.clear();
    this.recent.clear();
    this.recentQueue = new Int32Array(0);
    this.dedupe = null;
    this.denyCap = new DenyFlowCap(this.denyCap.cap);
    // Every name's normalised id now, so that readers after this never add a name (normalIp is idempotent).
    for (let k = 0, n = this.names.list.length; k < n; k++) this.normId(k);
    this.conns.trim();
    this.denies.trim();
  }
}
