/**
 * The joins of a firewall log, as index lookups over its columns (never a scan over earlier events):
 *  - an index of direction-free address pairs (real or NAT-mapped on either side, pair-index.ts; filled while the
 *    log is read, conn-pairs.ts) to the TCP connections that have them (UDP, ICMP and other connections take no part in the joins), in CSR form twice: in row order, and the torn-down ones sorted by Teardown time (only
 *    during the join);
 *  - each TCP packet denied for no connection (model/firewall.ts isNoConnectionTcp: ASA 106015 `Deny TCP (no
 *    connection)`) finds, by binary search in its pair's Teardown-sorted list, the latest
 *    Teardown of that 4-tuple at or before it (same second allowed, same device unless either has none) and is
 *    classed (model/firewall-triage.ts DENY_CLASSES):
 *      late-close    the Teardown closed the connection (TCP FINs, Reset-I/O, ...) at most LATE_DENY_WINDOW_S
 *                    before: a late packet of a just-closed connection. 120 s: TCP stacks retransmit a FIN or
 *                    answer a late segment with an RST for about that long (Linux tcp_fin_timeout 60 s, orphan
 *                    retries ~100 s); a longer gap is more likely a new, unknown flow.
 *      idle-timeout  the Teardown was a timeout (Idle Timeout, Conn-timeout, FIN/SYN Timeout) at most
 *                    IDLE_DENY_WINDOW_S before: the endpoints still used a connection the firewall had forgotten.
 *      no-connection otherwise (scans, backscatter, asymmetric routing, a log that starts after the Built).
 *    A recurring 4-tuple costs a binary search, not a walk over its earlier connections.
 *  - other packet events (ACL denies, drops, ICMP errors about a flow) join the connection whose lifetime (plus
 *    slack) holds them, preferring the latest started.
 */
import { DENY_CLASS } from '../../model/firewall-triage';
import { releasable, shareable, shrinkTo } from '../../model/firewall-store';
import type { FirewallLog } from './log';
import { type PairIndex, WARM, endpointCode, pairAdd, pairFind, pairMayHave } from './pair-index';
import { rowSlot } from './conn-pairs';
import { isTimeoutReason } from '../../model/teardown-reasons';

export const LATE_DENY_WINDOW_S = 120;
/**
 * 4 h: an endpoint wakes up on an idle connection when the application next writes or when its TCP keepalive
 * fires, by default 2 h after the last packet (Linux tcp_keepalive_time 7200 s, Windows KeepAliveTime 2 h); the
 * ASA's default idle timeout is 1 h, so a connection it removed wakes up at most about an hour later with default
 * keepalives, and applications with their own idle timers come back within a few hours. Longer, and the same
 * 4-tuple is more likely a new connection that reused the port.
 */
export const IDLE_DENY_WINDOW_S = 4 * 3600;
/** How far (beyond the stamp precision) a packet event may lie before a firewall connection's start. */
export const MATCH_SLACK_US = 10e6;
/** Denies listed per connection (the rest are counted): a flood of one flow's denies must not make one huge report. */
export const DENIES_PER_CONNECTION = 100;
/** denyClass value of rows that are not TCP no-connection denies. */
export const NO_CLASS = 255;

const precOf = (p: number): number => (Number.isFinite(p) ? p : 1e6);

/**
 * The address-pair lookups of a join: read only by the join itself and by the correlation with captured
 * connections (correlate.ts, apply.ts), then released (releasePairs) so that a big log's output is written
 * without them.
 */
export interface JoinPairs {
  index: PairIndex;
  /** CSR over pair slots: connections in row order. */
  connStart: Int32Array;
  connList: Int32Array;
  /** Per deny row: its pair slot (-1 unjoinable); empty without captured connections (nothing reads it then). */
  denySlot: Int32Array;
}

export interface FirewallJoin {
  /** The pair lookups until the correlation is done; null after releasePairs. */
  pairs: JoinPairs | null;
  /** Per deny row: the connection it joined (-1 none), its class (NO_CLASS for others). */
  denyConn: Int32Array;
  denyClass: Uint8Array;
  /** CSR over connections: their joined deny rows, in log order. */
  connDenyStart: Int32Array;
  connDenyList: Int32Array;
  /** TCP no-connection denies per class (repeats counted), in DENY_CLASSES order. */
  byClass: number[];
  /** True when no connection event (Built/Teardown, any protocol) is in the log at all (FirewallLog.connectionEvents). */
  noConnectionLogging: boolean;
}

/**
 * `indexDenies` (there are captured connections to correlate): give every deny's address pair a slot, also when
 * no connection has it (needed only to find the denies of captured connections the log has no connection for).
 * Otherwise such denies get slot -1, and the pair index is not kept past the join (pairs.index answers -1): on a
 * log-only analysis nothing looks a pair up afterwards. Once per log, after its last line: it completes the log's
 * pair index (log.pairs) and takes it over.
 */
export function joinFirewallLog(log: FirewallLog, indexDenies = true): FirewallJoin {
  const c = log.conns;
  const d = log.denies;
  // Each TCP connection's distinct pair slots, indexed as the log was read (conn-pairs.ts): slotN[i] of them (rowSlot).
  log.pairs.finish(log);
  const { index, slots: rowSlots, more, slotN } = log.pairs;
  const xs = new Float64Array(WARM);
  const ys = new Float64Array(WARM);
  const rows = new Int32Array(WARM);
  const denySlot = releasable(Int32Array, d.count).fill(-1);
  // The slots of the denies' pairs found while the log was read (conn-pairs.ts found, in row order) are final.
  const { found, foundN } = log.pairs;
  let f = 0;
  for (let j0 = 0; j0 < d.count; j0 += WARM) {
    const j1 = Math.min(d.count, j0 + WARM);
    let pairs = 0;
    for (let j = j0; j < j1; j++) {
      if (!d.joinable[j]) continue;
      if (f < foundN && found[2 * f] === j) {
        denySlot[j] = found[2 * f++ + 1];
        continue;
      }
      const x = endpointCode(log.normId(d.srcAddr[j]), d.srcPort[j]);
      const y = endpointCode(log.normId(d.dstAddr[j]), d.dstPort[j]);
      // Looked up only (no captured connections): a pair the index's filter has not seen stays -1 without a lookup.
      if (!indexDenies && !pairMayHave(index, x, y)) continue;
      rows[pairs] = j;
      xs[pairs] = x;
      ys[pairs++] = y;
    }
    index.warm(xs, ys, pairs);
    for (let k = 0; k < pairs; k++) denySlot[rows[k]] = indexDenies ? pairAdd(index, xs[k], ys[k]) : pairFind(index, xs[k], ys[k]);
  }
  log.pairs.releaseDenies();
  const slots = index.size;
  // Without captured connections nothing looks a pair up after this: the index goes now, its memory back before
  // the lists are made (on a big log it is the join's biggest part).
  if (!indexDenies) index.release();
  // CSR by counting: start[s] counts slot s, the running sums make it the end of s, and filling from the last
  // row down (each placed at --start[s]) leaves it the start of s with the rows in row order, no copy needed.
  // Plain arrays, not releasable ones: V8 reads and writes an array on a resizable buffer ~1.4-2x slower, and these
  // loops are most of the join (u1m.log's join 158 -> 117 ms, fastest of six). Their memory goes back at a later
  // garbage collection instead of at once; a big log's peak is at the end of its read, before them.
  const connStart = new Int32Array(slots + 1);
  const tdStart = new Int32Array(slots + 1);
  const torn = (i: number) => Number.isFinite(c.tdUs[i]) && (c.seen[i] & 2) !== 0;
  for (let i = 0; i < c.count; i++) {
    const t = torn(i);
    for (let q = 0, n = slotN[i]; q < n; q++) {
      const s = rowSlot(rowSlots, more, i, q);
      connStart[s]++;
      if (t) tdStart[s]++;
    }
  }
  for (let s = 1; s < slots; s++) {
    connStart[s] += connStart[s - 1];
    tdStart[s] += tdStart[s - 1];
  }
  if (slots) {
    connStart[slots] = connStart[slots - 1];
    tdStart[slots] = tdStart[slots - 1];
  }
  const connList = new Int32Array(connStart[slots]);
  const tdList = new Int32Array(tdStart[slots]);
  for (let i = c.count - 1; i >= 0; i--) {
    const t = torn(i);
    for (let q = slotN[i] - 1; q >= 0; q--) {
      const s = rowSlot(rowSlots, more, i, q);
      connList[--connStart[s]] = i;
      if (t) tdList[--tdStart[s]] = i;
    }
  }
  log.pairs.releaseRows();
  // Teardown order within each slot (already so in a log written in time order: checked before sorting).
  for (let s = 0; s < slots; s++) {
    const a = tdStart[s];
    const b = tdStart[s + 1];
    let sorted = true;
    for (let k = a + 1; k < b && sorted; k++) if (c.tdUs[tdList[k]] < c.tdUs[tdList[k - 1]]) sorted = false;
    if (!sorted) tdList.subarray(a, b).sort((x, y) => c.tdUs[x] - c.tdUs[y] || x - y);
  }

  const denyConn = shareable(Int32Array, d.count).fill(-1);
  const denyClass = shareable(Uint8Array, d.count).fill(NO_CLASS);
  const byClass = [0, 0, 0];
  const lateUs = LATE_DENY_WINDOW_S * 1e6;
  const idleUs = IDLE_DENY_WINDOW_S * 1e6;
  const devOk = (conn: number, dev: number) => c.device[conn] === dev || log.names.list[c.device[conn]] === '' || log.names.list[dev] === '';
  for (let j = 0; j < d.count; j++) {
    const slot = denySlot[j];
    const t = d.timeUs[j];
    const dev = d.device[j];
    if (d.noConnectionTcp(j)) {
      let cls = DENY_CLASS['no-connection'];
      if (slot >= 0) {
        const lo = tdStart[slot];
        let hi = tdStart[slot + 1];
        // First position whose Teardown is more than a second (the coarsest stamp) after the deny.
        let a = lo;
        let b = hi;
        while (a < b) {
          const m = (a + b) >> 1;
          if (c.tdUs[tdList[m]] <= t + 1e6) a = m + 1;
          else b = m;
        }
        hi = a;
        let best = -1;
        for (let k = hi - 1; k >= lo; k--) {
          const x = tdList[k];
          const prec = Math.max(precOf(c.tdPrec[x]), precOf(d.precUs[j]));
          const gap = t - c.tdUs[x];
          if (best >= 0 && c.tdUs[x] !== c.tdUs[best]) break;
          if (gap < -prec || !devOk(x, dev)) continue;
          if (gap > idleUs) break;
          best = x; // equal Teardown times: the earliest row wins, as it did in a scan in row order
        }
        if (best >= 0) {
          const gap = t - c.tdUs[best];
          if (isTimeoutReason(c.tdReasonCode[best])) cls = DENY_CLASS['idle-timeout'];
          else if (gap <= lateUs) cls = DENY_CLASS['late-close'];
          if (cls !== DENY_CLASS['no-connection']) denyConn[j] = best;
        }
      }
      denyClass[j] = cls;
      byClass[cls] += d.repeat[j];
      continue;
    }
    if (slot < 0) continue;
    let best = -1;
    for (let k = connStart[slot]; k < connStart[slot + 1]; k++) {
      const x = connList[k];
      if (!devOk(x, dev)) continue;
      const prec = Math.max(precOf(c.tdPrec[x]), precOf(d.precUs[j]));
      const start = Number.isFinite(c.startUs[x]) ? c.startUs[x] : -Infinity;
      const end = c.seen[x] & 2 ? c.endUs[x] : Infinity;
      if (t < start - prec - MATCH_SLACK_US || t > end + lateUs) continue;
      if (best < 0 || (c.startUs[best] < c.startUs[x] && c.startUs[x] <= t)) best = x;
    }
    denyConn[j] = best;
  }
  // The Teardown-ordered lists serve only the loop above.
  shrinkTo(tdStart, 0);
  shrinkTo(tdList, 0);
  if (!indexDenies) shrinkTo(denySlot, 0);
  // Per connection: its denies in log order (CSR by counting, as above).
  const connDenyStart = shareable(Int32Array, c.count + 1);
  for (let j = 0; j < d.count; j++) if (denyConn[j] >= 0) connDenyStart[denyConn[j]]++;
  for (let i = 1; i < c.count; i++) connDenyStart[i] += connDenyStart[i - 1];
  if (c.count) connDenyStart[c.count] = connDenyStart[c.count - 1];
  const connDenyList = shareable(Int32Array, connDenyStart[c.count]);
  for (let j = d.count - 1; j >= 0; j--) if (denyConn[j] >= 0) connDenyList[--connDenyStart[denyConn[j]]] = j;
  return {
    pairs: { index, connStart, connList, denySlot }, denyConn, denyClass, connDenyStart, connDenyList, byClass,
    noConnectionLogging: log.connectionEvents === 0,
  };
}

/** The join's pair lookups, asserted present (before releasePairs). */
export function pairsOf(join: FirewallJoin): JoinPairs {
  if (!join.pairs) throw new Error('the firewall join\'s pair lookups were released after the correlation');
  return join.pairs;
}

/**
 * Drops the pair lookups (tens of MB on a big log) once nothing will correlate any more: the index's and denySlot's
 * memory back at once, the lists' at the next garbage collection.
 */
export function releasePairs(join: FirewallJoin): void {
  const p = join.pairs;
  if (!p) return;
  p.index.release();
  shrinkTo(p.connStart, 0);
  shrinkTo(p.connList, 0);
  shrinkTo(p.denySlot, 0);
  join.pairs = null;
}
