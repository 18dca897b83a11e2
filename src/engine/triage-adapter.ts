/**
 * ADAPTER, TO BE REPLACED by the columnar firewall engine (issue #11), which produces TriageInput itself
 * (`session.triage`). Until then this builds TriageInput from today's session: the firewall events it keeps, paired
 * again (analysis/firewall/pairing.ts), and the 106015 join of analysis/firewall/correlate.ts redone here with the
 * same rule (same 4-tuple, real or mapped, same device, teardown at most `prec` after the deny) extended by a second,
 * longer window for connections the firewall removed on a timeout:
 *  - late-close: the latest such teardown was not a timeout and came at most LATE_DENY_WINDOW_S (120 s) before;
 *  - idle-timeout: it was a timeout (Idle Timeout, Conn-timeout, FIN Timeout, SYN Timeout, ...) at most
 *    IDLE_DENY_WINDOW_S before. An endpoint wakes up when its application next writes, which may be minutes or
 *    hours after the firewall forgot the connection: 2 h covers Linux's default keep-alive (7200 s) against the
 *    ASA's default 1 h conn timeout, the commonest mismatch;
 *  - no-connection: anything else.
 * late-close + idle-timeout within 120 s is exactly today's summary `deniesLateClose`.
 */
import type { AnalysisSession } from './analyze-sources';
import type { FirewallEvent } from '../model/firewall';
import { isoTime } from '../model/report';
import { DENY_CLASS, type TriageInput } from '../model/firewall-triage';
import { pairFirewallConnections, type FirewallConnection } from '../analysis/firewall/pairing';
import { LATE_DENY_WINDOW_S } from '../analysis/firewall/correlate';
import { connectionKeys, endpointKey, normalIp, pairKey } from '../analysis/firewall/keys';

export const IDLE_DENY_WINDOW_S = 7200;

const NONE = 0xffffffff;
const isTimeout = (reason: string) => /timeout/i.test(reason);
const prec = (e: FirewallEvent | null) => (e && Number.isFinite(e.precisionUs) ? e.precisionUs : 1e6);
const iso = (t: number) => (Number.isFinite(t) ? isoTime(t) : null);

/** The session's TriageInput: the engine's own when it makes one, else built here; null without a firewall log. */
export function triageInputOf(session: AnalysisSession): TriageInput | null {
  const own = (session as { triage?: TriageInput | null }).triage;
  if (own !== undefined) return own;
  if (!session.report.inputs.some((r) => r.format === 'asa-syslog')) return null;
  return buildTriageInput(session);
}

function rowKey(device: string, connId: string, teardown: string | null, built: string | null): string {
  return `${device}\u0000${connId}\u0000${teardown ?? ''}\u0000${built ?? ''}`;
}

/** Flow-table rows of the firewall connections, through the FirewallFacts the correlation left on the reports. */
function rowsByConnection(session: AnalysisSession): Map<string, number> {
  const out = new Map<string, number>();
  const list = session.reports;
  for (let k = 0; k < list.length; k++) {
    const f = list.keptAt(k)?.firewall;
    if (f && f.connId !== null) out.set(rowKey(f.device, f.connId, f.teardown?.time ?? null, f.built), k);
  }
  return out;
}

export function buildTriageInput(session: AnalysisSession): TriageInput {
  const events = session.firewallEvents;
  const names: string[] = [];
  const pool = new Map<string, number>();
  const intern = (s: string) => {
    let i = pool.get(s);
    if (i === undefined) pool.set(s, (i = names.push(s) - 1));
    return i;
  };
  const ep = (addr: string, port: number) => intern(endpointKey(normalIp(addr), port));

  const all = pairFirewallConnections(events);
  const noConnectionLogging = all.length === 0;
  const tcp = all.filter((c) => c.protocol === 'tcp');
  const rows = rowsByConnection(session);

  // Teardowns and builds, as columns; each TCP connection's teardown index.
  const tdOf = new Int32Array(all.length).fill(-1);
  const withTd = tcp.filter((c) => c.teardown);
  const teardowns = {
    count: withTd.length,
    timeUs: new Float64Array(withTd.length),
    reasonId: new Uint32Array(withTd.length),
    fromId: new Uint32Array(withTd.length),
    clientId: new Uint32Array(withTd.length),
    serverId: new Uint32Array(withTd.length),
    row: new Int32Array(withTd.length),
  };
  withTd.forEach((c, k) => {
    const e = c.teardown!;
    tdOf[c.index] = k;
    teardowns.timeUs[k] = e.timeUs;
    teardowns.reasonId[k] = intern(e.reason ?? '');
    teardowns.fromId[k] = e.iface === null ? NONE : intern(e.iface);
    teardowns.clientId[k] = ep(c.client.addr, c.client.port);
    teardowns.serverId[k] = ep(c.server.addr, c.server.port);
    const built = c.built ? iso(c.built.timeUs) : null;
    teardowns.row[k] = rows.get(rowKey(c.device, c.connId, iso(e.timeUs) ?? '', built)) ?? -1;
  });
  const builtTimes = tcp.filter((c) => c.built && Number.isFinite(c.built.timeUs)).map((c) => c.built!.timeUs);

  const byKey = new Map<string, FirewallConnection[]>();
  for (const c of withTd) {
    for (const k of connectionKeys(c.client, c.server)) {
      const l = byKey.get(k);
      if (l) l.push(c);
      else byKey.set(k, [c]);
    }
  }

  const list = events.filter((e) => e.messageId === '106015');
  const n = list.length;
  const denies = {
    count: n,
    timeUs: new Float64Array(n),
    cls: new Uint8Array(n),
    repeat: new Uint32Array(n),
    srcId: new Uint32Array(n),
    dstId: new Uint32Array(n),
    flags: new Uint16Array(n),
    teardown: new Int32Array(n),
  };
  const lateUs = LATE_DENY_WINDOW_S * 1e6;
  const idleUs = IDLE_DENY_WINDOW_S * 1e6;
  list.forEach((e, i) => {
    denies.timeUs[i] = e.timeUs;
    denies.repeat[i] = e.repeat;
    denies.flags[i] = e.tcpFlags >= 0 ? e.tcpFlags : 0;
    denies.srcId[i] = e.src ? ep(e.src.addr, e.src.port) : NONE;
    denies.dstId[i] = e.dst ? ep(e.dst.addr, e.dst.port) : NONE;
    denies.cls[i] = DENY_CLASS['no-connection'];
    denies.teardown[i] = -1;
    if (!e.src || !e.dst || e.protocol !== 'tcp' || e.src.port < 0 || e.dst.port < 0 || !Number.isFinite(e.timeUs)) return;
    const key = pairKey(endpointKey(normalIp(e.src.addr), e.src.port), endpointKey(normalIp(e.dst.addr), e.dst.port));
    let best: FirewallConnection | null = null;
    for (const c of byKey.get(key) ?? []) {
      if (c.device !== e.device && c.device !== '' && e.device !== '') continue;
      const t = c.teardown!.timeUs;
      if (!Number.isFinite(t)) continue;
      const gap = e.timeUs - t;
      if (gap < -Math.max(prec(c.teardown), prec(e)) || gap > idleUs) continue;
      if (!best || t > best.teardown!.timeUs) best = c;
    }
    if (!best) return;
    const gap = e.timeUs - best.teardown!.timeUs;
    const timeout = isTimeout(best.teardown!.reason ?? '');
    if (!timeout && gap > lateUs) return;
    denies.cls[i] = DENY_CLASS[timeout ? 'idle-timeout' : 'late-close'];
    denies.teardown[i] = tdOf[best.index];
  });

  return {
    names,
    denies,
    teardowns,
    builds: { count: builtTimes.length, timeUs: Float64Array.from(builtTimes) },
    noConnectionLogging,
    lateWindowS: LATE_DENY_WINDOW_S,
    idleWindowS: IDLE_DENY_WINDOW_S,
  };
}
