/**
 * The firewall log as the triage view's columns (model/firewall-triage.ts TriageInput), straight from the log's
 * columns and joins: one row per TCP no-connection deny (ASA 106015) (with its class and the teardown it joined), per Teardown and per
 * Built. Endpoints are "addr/port" texts (keys.ts endpointKey, addresses as connection reports write them),
 * one id per distinct endpoint, the text made when read.
 */
import { NONE, PROTO_TCP, grow } from '../../model/firewall-store';
import type { TriageInput, TriageNames } from '../../model/firewall-triage';
import type { InputFormat } from '../../model/formats';
import type { ConnectionList } from '../connection-list';
import type { CorrelateResult } from './correlate';
import type { FirewallJoin } from './join';
import type { FirewallLog } from './log';
import { endpointCode } from './pair-index';
import { endpointKey } from './keys';
import { IDLE_DENY_WINDOW_S, LATE_DENY_WINDOW_S } from './join';
import { TEARDOWN_REASONS } from '../../model/teardown-reasons';
import { noConnectionMessageIds } from './message-numbers';
import { runSteps, STEP, type Steps } from '../../lib/steps';
import { lowerBound } from '../../lib/lower-bound';

/**
 * How the triage lists a teardown reason: a reason a decoder knew is one row, spelled as the log's decoders spelled
 * it (two vendors' words joined: "TCP FINs / close"); one no decoder knew, its text as written (trimmed).
 */
function reasonText(log: FirewallLog, code: number, text: number): string {
  if (TEARDOWN_REASONS[code].asWritten) return (log.names.at(text) ?? '').trim();
  return [...new Set(log.reasonSpellings.of(code).map((id) => log.names.list[id].trim()))].join(' / ');
}

/** Flow table row of each firewall connection: the packet connection it matched, or its log-only row (-1: none). */
export function connectionFlowRows(log: FirewallLog, correlation: CorrelateResult | null, list: ConnectionList): Int32Array {
  return runSteps(connectionFlowRowSteps(log, correlation, list));
}

/** connectionFlowRows as steps (lib/steps.ts: the worker runs them in slices). */
export function* connectionFlowRowSteps(log: FirewallLog, correlation: CorrelateResult | null, list: ConnectionList): Steps<Int32Array> {
  const rowOf = new Int32Array(log.conns.count).fill(-1);
  if (correlation) {
    const logOnly = correlation.syslogConnections.rows;
    for (let k = 0; k < logOnly.length; k++) {
      rowOf[logOnly[k]] = list.packetCount + k;
      if ((k & (STEP - 1)) === 0) yield;
    }
    if (correlation.matched) {
      const listIndex = new Map<number, number>();
      for (let k = 0; k < list.packetCount; k++) {
        listIndex.set(list.connIndex(k), k);
        if ((k & (STEP - 1)) === 0) yield;
      }
      const matched = correlation.matchedReport;
      for (let i = 0; i < matched.length; i++) {
        if (matched[i] >= 0) rowOf[i] = listIndex.get(matched[i]) ?? -1;
        if ((i & (STEP - 1)) === 0) yield;
      }
    }
  }
  return rowOf;
}

/**
 * The distinct endpoint codes (pair-index.ts endpointCode) of the TCP teardowns' ends and the no-connection denies'
 * ends, sorted. A million endpoints take 8 bytes each here, where a hash map of them took over 36 (half empty, and
 * twice that while it grew).
 */
function* sortedEndpointCodes(log: FirewallLog): Steps<Float64Array> {
  const c = log.conns;
  const d = log.denies;
  let n = 0;
  for (let i = 0; i < c.count; i++) if (c.proto[i] === PROTO_TCP && c.seen[i] & 2) n += 2;
  for (let j = 0; j < d.count; j++) if (d.noConnectionTcp(j)) n += 2;
  const all = new Float64Array(n);
  n = 0;
  const put = (addr: number, port: number) => {
    const norm = log.normId(addr);
    if (norm !== NONE) all[n++] = endpointCode(norm, port);
  };
  for (let i = 0; i < c.count; i++) {
    if ((i & (STEP - 1)) === 0) yield;
    if (c.proto[i] !== PROTO_TCP || !(c.seen[i] & 2)) continue;
    put(c.cAddr[i], c.cPort[i]);
    put(c.sAddr[i], c.sPort[i]);
  }
  for (let j = 0; j < d.count; j++) {
    if ((j & (STEP - 1)) === 0) yield;
    if (!d.noConnectionTcp(j)) continue;
    put(d.srcAddr[j], d.srcPort[j]);
    put(d.dstAddr[j], d.dstPort[j]);
  }
  yield;
  const sorted = all.subarray(0, n).sort();
  yield;
  let u = 0;
  for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[u - 1]) sorted[u++] = sorted[k];
  // The codes live while the triage columns are made (tens of MB on a big log): where the distinct ones are fewer
  // than three quarters, a copy of them, so that the columns are made after the whole array is garbage.
  return u < n * 0.75 ? all.slice(0, u) : all.subarray(0, u);
}


/**
 * The endpoint names as TriageNames: made outside triageInputSteps, so that what the names keep is only these
 * columns (a closure made there would keep every variable its closures share, the sorted codes among them: 12 bytes
 * per distinct endpoint held for as long as the triage).
 */
function endpointNames(log: FirewallLog, epNorm: Uint32Array, epPort: Uint16Array, texts: Map<number, string>, count: number): TriageNames {
  return {
    length: count,
    at: (id) => (id < 0 || id >= count ? undefined : epNorm[id] === NONE ? texts.get(id) : endpointKey(log.names.list[epNorm[id]], epPort[id])),
  };
}

/**
 * The builds as the store's own time column read in place (a copy took 8 bytes a connection): a connection never
 * built has a NaN time, one not TCP is not kept. Made outside triageInputSteps for the reason endpointNames is.
 */
function tcpBuilds(log: FirewallLog): TriageInput['builds'] {
  const c = log.conns;
  return { count: c.count, timeUs: c.builtUs, keep: (i) => c.proto[i] === PROTO_TCP };
}

/** The triage's input, as steps (lib/steps.ts: the worker runs them in slices, answering queries in between). */
export function* triageInputSteps(
  log: FirewallLog, join: FirewallJoin, correlation: CorrelateResult | null, list: ConnectionList, logFormats: InputFormat[],
): Steps<TriageInput> {
  // Names: reasons and interfaces (few) as texts; endpoints (a big log has millions) as their address id and port,
  // found by their numeric code among the sorted distinct codes, their "addr/port" text made only when read
  // (names.at), each with its address's index for the host filter (so the triage need not split a million names
  // again). Ids in order of first use, as they always were.
  const c = log.conns;
  const d = log.denies;
  const codes = yield* sortedEndpointCodes(log);
  const idOfCode = new Int32Array(codes.length).fill(-1);
  const texts = new Map<number, string>();
  let count = 0;
  let epNorm = new Uint32Array(codes.length + 64);
  let epPort = new Uint16Array(codes.length + 64);
  const ips: string[] = [];
  let ipOf = new Uint32Array(codes.length + 64);
  // Each address once in ips, by its names id (names are interned: one text, one id), so no map of the log's
  // hundreds of thousands of address texts; a text's address that is no name (a reason, an interface) by a small map.
  const ipOfName = new Int32Array(log.names.list.length).fill(-1);
  const ipOfText = new Map<string, number>();
  const ipOfNorm = (norm: number): number => {
    let k = ipOfName[norm];
    if (k < 0) k = ipOfName[norm] = ips.push(log.names.list[norm]) - 1;
    return k;
  };
  const ipId = (ip: string): number => {
    const name = log.names.find(ip);
    if (name >= 0 && log.names.list[name] === ip) return ipOfNorm(name);
    let k = ipOfText.get(ip);
    if (k === undefined) ipOfText.set(ip, (k = ips.push(ip) - 1));
    return k;
  };
  const add = (norm: number, port: number, ip: number): number => {
    const id = count++;
    if (id >= ipOf.length) {
      ipOf = grow(ipOf, id + 1);
      epNorm = grow(epNorm, id + 1);
      epPort = grow(epPort, id + 1);
    }
    ipOf[id] = ip;
    epNorm[id] = norm;
    epPort[id] = port;
    return id;
  };
  const textIds = new Map<string, number>();
  const textId = (t: string): number => {
    let id = textIds.get(t);
    if (id === undefined) {
      const slash = t.lastIndexOf('/');
      textIds.set(t, (id = add(NONE, 0, ipId(slash > 0 ? t.slice(0, slash) : t))));
      texts.set(id, t);
    }
    return id;
  };
  const endpoint = (norm: number, port: number): number => {
    if (norm === NONE) return NONE;
    const at = lowerBound(codes, endpointCode(norm, port));
    let id = idOfCode[at];
    if (id < 0) id = idOfCode[at] = add(norm, port, ipOfNorm(norm));
    return id;
  };
  const rowOf = yield* connectionFlowRowSteps(log, correlation, list);
  let nt = 0;
  for (let i = 0; i < c.count; i++) {
    if ((i & (STEP - 1)) === 0) yield;
    if (c.proto[i] === PROTO_TCP && c.seen[i] & 2) nt++;
  }
  // rowOf becomes each connection's teardown index (-1: none) as the loop reads it: one scratch column, not two.
  const tdIndex = rowOf;
  const teardowns = {
    count: nt, timeUs: new Float64Array(nt), reasonId: new Uint32Array(nt), reasonCode: new Uint8Array(nt), fromId: new Uint32Array(nt),
    clientId: new Uint32Array(nt), serverId: new Uint32Array(nt), row: new Int32Array(nt),
  };
  const reasonIds = new Map<number, number>();
  nt = 0;
  for (let i = 0; i < c.count; i++) {
    if ((i & (STEP - 1)) === 0) yield;
    const row = rowOf[i];
    tdIndex[i] = -1;
    if (c.proto[i] !== PROTO_TCP) continue;
    if (!(c.seen[i] & 2)) continue;
    const k = nt++;
    tdIndex[i] = k;
    teardowns.timeUs[k] = c.tdUs[i];
    // Keyed by the vendor's text: the decoder gives one text one reason code.
    let r = reasonIds.get(c.tdReason[i]);
    if (r === undefined) reasonIds.set(c.tdReason[i], (r = textId(reasonText(log, c.tdReasonCode[i], c.tdReason[i]))));
    teardowns.reasonId[k] = r;
    teardowns.reasonCode[k] = c.tdReasonCode[i];
    teardowns.fromId[k] = c.tdFrom[i] === NONE ? NONE : textId(log.names.list[c.tdFrom[i]]);
    teardowns.clientId[k] = endpoint(log.normId(c.cAddr[i]), c.cPort[i]);
    teardowns.serverId[k] = endpoint(log.normId(c.sAddr[i]), c.sPort[i]);
    teardowns.row[k] = row;
  }
  let n = 0;
  for (let j = 0; j < d.count; j++) {
    if ((j & (STEP - 1)) === 0) yield;
    if (d.noConnectionTcp(j)) n++;
  }
  const denies = {
    count: n, timeUs: new Float64Array(n), cls: new Uint8Array(n), repeat: new Uint32Array(n), srcId: new Uint32Array(n),
    dstId: new Uint32Array(n), flags: new Uint16Array(n), teardown: new Int32Array(n),
  };
  n = 0;
  for (let j = 0; j < d.count; j++) {
    if ((j & (STEP - 1)) === 0) yield;
    if (!d.noConnectionTcp(j)) continue;
    const k = n++;
    denies.timeUs[k] = d.timeUs[j];
    denies.cls[k] = join.denyClass[j];
    denies.repeat[k] = d.repeat[j];
    denies.srcId[k] = endpoint(log.normId(d.srcAddr[j]), d.srcPort[j]);
    denies.dstId[k] = endpoint(log.normId(d.dstAddr[j]), d.dstPort[j]);
    denies.flags[k] = Math.max(0, d.flags[j]);
    denies.teardown[k] = join.denyConn[j] >= 0 ? tdIndex[join.denyConn[j]] : -1;
  }
  return {
    builds: tcpBuilds(log),
    names: endpointNames(log, epNorm, epPort, texts, count), ipOf: ipOf.length - count > 1024 ? ipOf.slice(0, count) : ipOf.subarray(0, count), ips, denies, teardowns, lateWindowS: LATE_DENY_WINDOW_S, idleWindowS: IDLE_DENY_WINDOW_S,
    noConnectionLogging: join.noConnectionLogging,
    logFormats,
    messageIds: noConnectionMessageIds(d, log.names),
  };
}
