/**
 * The firewall-log triage view's numbers, counted from the engine's TriageInput columns (model/firewall-triage.ts)
 * in the worker: 106015 denies per time bucket stacked by class, builds and teardowns per bucket as context, the
 * teardown reasons (and which side reset), the hosts with the most late and idle-timeout denies, and one connection
 * of each class to open. Everything under one filter (time range, classes, host). Only small arrays come out, so
 * a log of millions of denies costs the page a few hundred numbers per change.
 *
 * Counts are messages times their "repeated N times" factor, as the analyze summary counts them.
 */
import { DENY_CLASSES, DENY_CLASS, type TriageInput, type TriageNames } from '../../model/firewall-triage';
import type { InputFormat } from '../../model/formats';
import { RST } from '../../model/segment';
import { TEARDOWN_REASON } from '../../model/teardown-reasons';
import { bucketGrid, findSpike, type Spike } from './triage-time';
import { runSteps, STEP, type Steps } from '../../lib/steps';
import { deniedServers, NO_ROW, pickRow, rowOf, serverSlot, topHosts, type TriageHost } from './triage-hosts';

export const CLASS_COUNT = DENY_CLASSES.length;

export interface TriageFilter {
  /** Time range (µs, inclusive) the charts other than the timeline, and the table, are limited to; null = all. */
  fromUs: number | null;
  toUs: number | null;
  /** One bit per DENY_CLASSES index; 0 = every class. */
  classes: number;
  /** "ip" or "ip/port" as the names print them; '' = every host. */
  host: string;
}

export const NO_TRIAGE_FILTER: TriageFilter = { fromUs: null, toUs: null, classes: 0, host: '' };

export type { TriageHost } from './triage-hosts';

export interface TriageReason {
  reason: string;
  count: number;
  /** `from IFACE` of these teardowns, most first ('' = not given). */
  from: { iface: string; count: number }[];
}

/** Idle-timeout denies of one teardown reason: how long after the teardown they came (seconds). */
export interface TriageIdleReason {
  reason: string;
  count: number;
  minAfterS: number;
  medianAfterS: number;
  maxAfterS: number;
}

export interface TriageTimeline {
  startUs: number;
  bucketUs: number;
  count: number;
  /** Denies per bucket and class: denies[bucket * CLASS_COUNT + class] (class and host filters applied). */
  denies: Float64Array;
  builds: Float64Array;
  teardowns: Float64Array;
  /**
   * Per bucket: a flow-table row of a connection with a deny in it, for a click from the bucket to a ladder (a late or
   * idle-timeout RST one first, then any joined deny; class and host filters applied), -1 when none.
   */
  rows: Int32Array;
}

export interface TriageView {
  /** Every TCP no-connection deny (ASA 106015), and per class, without any filter. */
  total: number;
  byClass: number[];
  /** Per class, under the whole filter. */
  shown: number[];
  /** Denies whose line had no usable time stamp (counted, not placed on the timeline). */
  undated: number;
  timeline: TriageTimeline | null;
  /** Where the denies on the timeline rose (see findSpike), with its start time. */
  spike: (Spike & { startUs: number }) | null;
  reasons: TriageReason[];
  servers: TriageHost[];
  clients: TriageHost[];
  idle: TriageIdleReason[];
  /** Per class: a flow-table row with a deny of that class under the filter (an RST one first), -1 when none. */
  examples: number[];
  noConnectionLogging: boolean;
  /** The formats of the firewall logs read (TriageInput.logFormats). */
  logFormats: InputFormat[];
  /** The vendor's message ids of the denies counted ("106015"), most first: what the view calls them. */
  messageIds: string[];
  lateWindowS: number;
  idleWindowS: number;
}

/** What a TriageInput needs once, whatever the filter. */
export interface TriagePrep {
  input: TriageInput;
  /** Address part of each name ("10.0.0.1/443" -> "10.0.0.1"), as an index into `ips`. */
  ipOf: Uint32Array;
  ips: string[];
  /** Per teardown: 1 when a deny was joined to it. */
  denied: Uint8Array;
  fromUs: number;
  toUs: number;
  /** The server endpoints that can have late or idle-timeout denies, ascending: the counters' slots (triage-hosts.ts). */
  servers: Uint32Array;
  /**
   * Per-slot counters of the last view, reused by the next (zeroed): a log of a million endpoints made 28 MB of
   * garbage per view, each time a range was brushed.
   */
  scratch?: { lateBy: Float64Array; idleBy: Float64Array; serverRow: Int32Array };
  scratchInUse?: boolean;
}

const NONE = 0xffffffff;

export function prepareTriage(input: TriageInput): TriagePrep {
  const { ipOf, ips } = input.ipOf && input.ips ? { ipOf: input.ipOf, ips: input.ips } : addressIndex(input.names);
  const denied = new Uint8Array(input.teardowns.count);
  let fromUs = Infinity;
  let toUs = -Infinity;
  const span = (t: number) => {
    if (t < fromUs) fromUs = t;
    if (t > toUs) toUs = t;
  };
  const d = input.denies;
  for (let i = 0; i < d.count; i++) {
    if (d.teardown[i] >= 0) denied[d.teardown[i]] = 1;
    if (Number.isFinite(d.timeUs[i])) span(d.timeUs[i]);
  }
  for (let i = 0; i < input.teardowns.count; i++) if (Number.isFinite(input.teardowns.timeUs[i])) span(input.teardowns.timeUs[i]);
  const bt = input.builds;
  for (let i = 0; i < bt.count; i++) if (Number.isFinite(bt.timeUs[i]) && (!bt.keep || bt.keep(i))) span(bt.timeUs[i]);
  return { input, ipOf, ips, denied, servers: deniedServers(input, denied), fromUs, toUs };
}

/** Per name, the index of its address (the text before its last '/', or the whole name) in `ips`. */
export function addressIndex(names: TriageNames): { ipOf: Uint32Array; ips: string[] } {
  const ipIndex = new Map<string, number>();
  const ips: string[] = [];
  const ipOf = new Uint32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const n = names.at(i)!;
    const slash = n.lastIndexOf('/');
    const ip = slash > 0 ? n.slice(0, slash) : n;
    let k = ipIndex.get(ip);
    if (k === undefined) ipIndex.set(ip, (k = ips.push(ip) - 1));
    ipOf[i] = k;
  }
  return { ipOf, ips };
}

/** Names (by index) the host filter keeps: the exact endpoint, or every port of an address. */
function hostMask(p: TriagePrep, host: string): Uint8Array | null {
  if (!host) return null;
  const names = p.input.names;
  const m = new Uint8Array(names.length);
  // A name is `host` only when its address is host's address part: only those names are made to compare.
  const slash = host.lastIndexOf('/');
  const hostIp = slash > 0 ? host.slice(0, slash) : host;
  for (let i = 0; i < names.length; i++) {
    const ip = p.ips[p.ipOf[i]];
    m[i] = ip === host || (ip === hostIp && names.at(i) === host) ? 1 : 0;
  }
  return m;
}

export function triageView(p: TriagePrep, f: TriageFilter): TriageView {
  return runSteps(triageViewSteps(p, f));
}

/** triageView as steps (lib/steps.ts: a view of millions of denies is a second of work the worker does in slices). */
export function* triageViewSteps(p: TriagePrep, f: TriageFilter): Steps<TriageView> {
  // The counters are the prep's own unless another view (run in slices too) has them now.
  const own = !p.scratchInUse;
  if (own) p.scratchInUse = true;
  try {
    return yield* viewSteps(p, f, own);
  } finally {
    if (own) p.scratchInUse = false;
  }
}

function* viewSteps(p: TriagePrep, f: TriageFilter, own: boolean): Steps<TriageView> {
  const { input } = p;
  const d = input.denies;
  const td = input.teardowns;
  const names = input.names;
  const hosts = hostMask(p, f.host);
  const from = f.fromUs ?? -Infinity;
  const to = f.toUs ?? Infinity;
  const classOk = (c: number) => f.classes === 0 || (f.classes & (1 << c)) !== 0;
  const inRange = (t: number) => t >= from && t <= to;
  const tdHost = (k: number) => !hosts || hosts[td.clientId[k]] === 1 || hosts[td.serverId[k]] === 1;
  const denyHost = (i: number) => {
    if (!hosts) return true;
    const k = d.teardown[i];
    return k >= 0 ? tdHost(k) : hosts[d.srcId[i]] === 1 || hosts[d.dstId[i]] === 1;
  };

  const grid = p.fromUs <= p.toUs ? bucketGrid(p.fromUs, p.toUs) : null;
  const bucketOf = (t: number) => (grid && Number.isFinite(t) ? Math.min(grid.count - 1, Math.floor((t - grid.startUs) / grid.bucketUs)) : -1);
  const timeline: TriageTimeline | null = grid
    ? { ...grid, denies: new Float64Array(grid.count * CLASS_COUNT), builds: new Float64Array(grid.count), teardowns: new Float64Array(grid.count), rows: new Int32Array(grid.count) }
    : null;
  const bucketRow = new Int32Array(grid?.count ?? 0).fill(NO_ROW);

  const byClass = new Array<number>(CLASS_COUNT).fill(0);
  const shown = new Array<number>(CLASS_COUNT).fill(0);
  let total = 0;
  let undated = 0;
  const late = DENY_CLASS['late-close'];
  const idle = DENY_CLASS['idle-timeout'];
  const slots = p.servers.length;
  const fresh = () => ({ lateBy: new Float64Array(slots), idleBy: new Float64Array(slots), serverRow: new Int32Array(slots) });
  const scratch = own ? (p.scratch ??= fresh()) : fresh();
  const { lateBy, idleBy, serverRow } = scratch;
  lateBy.fill(0);
  idleBy.fill(0);
  serverRow.fill(NO_ROW);
  const lateByIp = new Float64Array(p.ips.length);
  const idleByIp = new Float64Array(p.ips.length);
  // Per server endpoint / client address: a row to open in one click (negated while it is not an RST one yet).
  const clientRow = new Int32Array(p.ips.length).fill(NO_ROW);
  const examples = new Array<number>(CLASS_COUNT).fill(-1);
  const exampleRst = new Uint8Array(CLASS_COUNT);
  // Idle-timeout gaps per teardown reason, as a histogram of whole seconds (exact median, bounded memory).
  const gaps = new Map<number, Uint32Array>();
  const gapLen = Math.max(1, Math.ceil(input.idleWindowS) + 2);

  for (let i = 0; i < d.count; i++) {
    if ((i & (STEP - 1)) === 0) yield;
    const c = d.cls[i];
    const n = d.repeat[i];
    const t = d.timeUs[i];
    total += n;
    byClass[c] += n;
    if (!Number.isFinite(t)) undated += n;
    if (!classOk(c) || !denyHost(i)) continue;
    const b = bucketOf(t);
    if (b >= 0 && timeline) {
      timeline.denies[b * CLASS_COUNT + c] += n;
      const j = d.teardown[i];
      if (j >= 0 && td.row[j] >= 0) pickRow(bucketRow, b, td.row[j], (c === late || c === idle) && (d.flags[i] & RST) !== 0);
    }
    if (!inRange(t) && (f.fromUs !== null || f.toUs !== null)) continue;
    shown[c] += n;
    const k = d.teardown[i];
    if (k < 0) continue;
    if (c === late || c === idle) {
      const by = c === late ? lateBy : idleBy;
      const byIp = c === late ? lateByIp : idleByIp;
      const slot = serverSlot(p.servers, td.serverId[k]);
      by[slot] += n;
      byIp[p.ipOf[td.clientId[k]]] += n;
      if (td.row[k] >= 0) {
        const rst = (d.flags[i] & RST) !== 0;
        pickRow(serverRow, slot, td.row[k], rst);
        pickRow(clientRow, p.ipOf[td.clientId[k]], td.row[k], rst);
      }
    }
    if (c === idle) {
      let h = gaps.get(td.reasonId[k]);
      if (!h) gaps.set(td.reasonId[k], (h = new Uint32Array(gapLen)));
      const s = Math.max(0, Math.min(gapLen - 1, Math.round((t - td.timeUs[k]) / 1e6)));
      h[s] += n;
    }
    const row = td.row[k];
    if (row >= 0 && !exampleRst[c]) {
      const rst = (d.flags[i] & RST) !== 0;
      if (examples[c] < 0 || rst) examples[c] = row;
      if (rst) exampleRst[c] = 1;
    }
  }

  // Teardowns (reasons, context line) and builds, under the range and host filters.
  const reasonCount = new Map<number, number>();
  const reasonFrom = new Map<number, Map<number, number>>();
  for (let k = 0; k < td.count; k++) {
    if ((k & (STEP - 1)) === 0) yield;
    if (!tdHost(k)) continue;
    const t = td.timeUs[k];
    const b = bucketOf(t);
    if (b >= 0 && timeline) timeline.teardowns[b]++;
    if (!inRange(t) && (f.fromUs !== null || f.toUs !== null)) continue;
    const r = td.reasonId[k];
    reasonCount.set(r, (reasonCount.get(r) ?? 0) + 1);
    let m = reasonFrom.get(r);
    if (!m) reasonFrom.set(r, (m = new Map()));
    m.set(td.fromId[k], (m.get(td.fromId[k]) ?? 0) + 1);
  }
  if (timeline && !hosts) for (let k = 0; k < input.builds.count; k++) {
    if ((k & (STEP - 1)) === 0) yield;
    const b = bucketOf(input.builds.timeUs[k]);
    if (b >= 0 && (!input.builds.keep || input.builds.keep(k))) timeline.builds[b]++;
  }

  const reasons: TriageReason[] = [...reasonCount].sort((a, b) => b[1] - a[1]).map(([r, count]) => ({
    reason: names.at(r) ?? '',
    count,
    from: [...reasonFrom.get(r)!].sort((a, b) => b[1] - a[1]).map(([i, n]) => ({ iface: i === NONE ? '' : names.at(i) ?? '', count: n })),
  }));

  const idleReasons: TriageIdleReason[] = [...gaps].map(([r, h]) => {
    let count = 0;
    let min = -1;
    let max = 0;
    for (let s = 0; s < h.length; s++) if (h[s]) {
      count += h[s];
      if (min < 0) min = s;
      max = s;
    }
    let acc = 0;
    let med = min;
    for (let s = 0; s < h.length; s++) {
      acc += h[s];
      if (acc * 2 >= count) {
        med = s;
        break;
      }
    }
    return { reason: names.at(r) ?? '', count, minAfterS: min, medianAfterS: med, maxAfterS: max };
  }).sort((a, b) => b.count - a.count);

  if (timeline) for (let b = 0; b < timeline.count; b++) timeline.rows[b] = rowOf(bucketRow[b]);
  const spikeAt = timeline ? findSpike(sumClasses(timeline)) : null;
  return {
    total, byClass, shown, undated, timeline,
    spike: spikeAt && timeline ? { ...spikeAt, startUs: timeline.startUs + spikeAt.bucket * timeline.bucketUs } : null,
    reasons,
    servers: topHosts(lateBy, idleBy, (i) => names.at(p.servers[i]) ?? '', serverRow),
    clients: topHosts(lateByIp, idleByIp, (i) => p.ips[i], clientRow),
    idle: idleReasons,
    examples,
    noConnectionLogging: input.noConnectionLogging,
    logFormats: input.logFormats,
    messageIds: input.messageIds,
    lateWindowS: input.lateWindowS,
    idleWindowS: input.idleWindowS,
  };
}

/** Denies per bucket, all classes together. */
export function sumClasses(t: TriageTimeline): Float64Array {
  const out = new Float64Array(t.count);
  for (let b = 0; b < t.count; b++) for (let c = 0; c < CLASS_COUNT; c++) out[b] += t.denies[b * CLASS_COUNT + c];
  return out;
}

/**
 * Per flow-table row: one bit per deny class the row's connection has a deny of (for the table's class filter).
 */
export function rowDenyClasses(input: TriageInput, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  const d = input.denies;
  for (let i = 0; i < d.count; i++) {
    const k = d.teardown[i];
    const row = k >= 0 ? input.teardowns.row[k] : -1;
    if (row >= 0 && row < rows) out[row] |= 1 << d.cls[i];
  }
  return out;
}

/**
 * A clean close from the same log to put beside `row`: a connection the firewall tore down on FINs (reason 'fins') with no
 * deny after it, nearest in time, on the same server first; null when the log has none.
 */
const FINS = TEARDOWN_REASON.fins;

export function cleanLogClose(p: TriagePrep, row: number): number | null {
  const td = p.input.teardowns;
  let at = -1;
  for (let k = 0; k < td.count; k++) if (td.row[k] === row) at = k;
  const t = at >= 0 ? td.timeUs[at] : NaN;
  let same = -1;
  let any = -1;
  const nearer = (k: number, best: number) => best < 0 || !Number.isFinite(t) || Math.abs(td.timeUs[k] - t) < Math.abs(td.timeUs[best] - t);
  for (let k = 0; k < td.count; k++) {
    if (k === at || td.row[k] < 0 || td.row[k] === row || p.denied[k] || td.reasonCode[k] !== FINS) continue;
    if (at >= 0 && td.serverId[k] === td.serverId[at]) {
      if (nearer(k, same)) same = k;
    } else if (nearer(k, any)) any = k;
  }
  const k = same >= 0 ? same : any;
  return k >= 0 ? td.row[k] : null;
}
