/**
 * Checks what a share link claims before anything uses it. A link is untrusted input: values are
 * type-checked and size-capped; nothing is evaluated, and the UI renders every string as text.
 */
import type { ConnectionReport, Endpoint, EndpointState, FirewallDeny, PacketAnomaly, VantageFacts } from '../model/report';
import type { SharedPacket, SharedPointView, ShareView } from './share-state';
import { isCloseKind } from '../model/close-kinds';
import { DENY_CAUSES } from '../model/deny-causes';
import { isTeardownReasonName, unknownReasonName } from '../model/teardown-reasons';
import { stripBidiControls } from '../lib/bidi';

const MAX_STRING = 4000;
const MAX_ARRAY = 20000;
const MAX_DEPTH = 8;

/** A JSON value with strings, arrays and depth capped; anything else (functions cannot occur in JSON) dropped. */
export function capJson(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof value === 'string') return stripBidiControls(value.length > MAX_STRING ? value.slice(0, MAX_STRING) : value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((v) => capJson(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
      const c = capJson(v, depth + 1);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return undefined;
}

/**
 * Longest endpoint text read from a link: an address, or a name from a firewall log (an ASA object name has up to 64
 * characters, an FQDN object up to 253, and a log may prefix the interface), as a link without pseudonyms carries it.
 */
export const MAX_ENDPOINT_TEXT = 320;

function isEndpoint(v: unknown): v is Endpoint {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.ip === 'string' && e.ip.length <= MAX_ENDPOINT_TEXT && Number.isInteger(e.port) && (e.port as number) >= 0 && (e.port as number) <= 65535;
}

export function validateConnection(raw: unknown): ConnectionReport | null {
  const c = capJson(raw) as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object') return null;
  if (!isEndpoint(c.client) || !isEndpoint(c.server)) return null;
  // Every nested list and object the views read without checking is made present and well-typed
  // here, so a hand-made link cannot crash the page (e.g. close without `states`, firewall without `denies`).
  const close = c.close as Record<string, unknown> | undefined;
  if (close !== undefined) {
    if (!isObject(close) || !isCloseKind(close.kind)) delete c.close;
    else normaliseClose(close);
  }
  if (c.firewall !== undefined && !normaliseFirewall(c.firewall)) delete c.firewall;
  if (c.vantage !== undefined && !normaliseVantage(c.vantage)) delete c.vantage;
  if (typeof c.id !== 'string') c.id = sharedConnectionId(c.client, c.server);
  c.files = listOf(c.files, (f): f is string => typeof f === 'string');
  for (const k of ['start', 'end'] as const) if (typeof c[k] !== 'string') c[k] = '';
  for (const k of ['packets', 'payloadBytes'] as const) {
    const v = c[k] as Record<string, unknown> | undefined;
    if (!v || typeof v.client !== 'number' || typeof v.server !== 'number') c[k] = { client: 0, server: 0 };
  }
  if (!['complete', 'partial', 'none'].includes(c.handshake as string)) c.handshake = 'none';
  return c as unknown as ConnectionReport;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const pair = (v: unknown): { client: boolean; server: boolean } =>
  isObject(v) ? { client: v.client === true, server: v.server === true } : { client: false, server: false };
const listOf = <T>(v: unknown, ok: (x: unknown) => x is T): T[] => (Array.isArray(v) ? v.filter(ok) : []);

const isState = (x: unknown): x is EndpointState => isObject(x) && typeof x.state === 'string' && isIndex(x.packet);
const isAnomaly = (x: unknown): x is PacketAnomaly => isObject(x) && typeof x.kind === 'string' && isIndex(x.packet);

function normaliseClose(close: Record<string, unknown>): void {
  close.fin = pair(close.fin);
  close.rst = pair(close.rst);
  if (close.initiator !== 'client' && close.initiator !== 'server') close.initiator = null;
  for (const k of ['simultaneous', 'finRstTogether', 'lateRst', 'dataAfterFin'] as const) close[k] = close[k] === true;
  for (const k of ['zeekState', 'history', 'explanation'] as const) close[k] = str(close[k]);
  const states = isObject(close.states) ? close.states : {};
  close.states = { client: listOf(states.client, isState), server: listOf(states.server, isState) };
  close.anomalies = listOf(close.anomalies, isAnomaly);
  const tls = close.tls;
  if (!isObject(tls)) close.tls = null;
  else {
    tls.version = strOrNull(tls.version);
    tls.alertBeforeFin = isObject(tls.alertBeforeFin) ? pair(tls.alertBeforeFin) : null;
    tls.inferred = tls.inferred === true;
    tls.note = str(tls.note);
  }
}

function normaliseFirewall(v: unknown): boolean {
  if (!isObject(v)) return false;
  v.device = str(v.device);
  v.connId = strOrNull(v.connId);
  v.built = strOrNull(v.built);
  const t = v.teardown;
  // Links made before teardowns carried their normalised reason read it from the reason's words (unknownReasonName).
  v.teardown = isObject(t)
    ? { time: str(t.time), reason: str(t.reason), reasonKind: isTeardownReasonName(t.reasonKind) ? t.reasonKind : unknownReasonName(str(t.reason)), from: strOrNull(t.from) }
    : null;
  v.denies = listOf(v.denies, (d): d is FirewallDeny => isObject(d) && isEndpoint(d.src) && isEndpoint(d.dst)).map((d) => ({
    ...d,
    time: str(d.time),
    flags: str(d.flags),
    interface: str(d.interface),
    messageId: str(d.messageId),
    // Links made before denies carried their cause (and unknown names) read as 'other'.
    cause: DENY_CAUSES.find((c) => c.name === d.cause)?.name ?? 'other',
    afterTeardownMs: typeof d.afterTeardownMs === 'number' ? d.afterTeardownMs : null,
  }));
  const m = v.mapped;
  v.mapped = isObject(m) && isEndpoint(m.client) && isEndpoint(m.server) ? m : null;
  if (v.teardownLogged !== 'after-close') delete v.teardownLogged;
  if (v.builtFrom !== 'duration') delete v.builtFrom;
  if (v.explanation !== undefined) v.explanation = str(v.explanation);
  if (v.bytes !== undefined && typeof v.bytes !== 'number') v.bytes = null;
  if (v.duration !== undefined) v.duration = strOrNull(v.duration);
  if (v.clockOffsetMs !== undefined && typeof v.clockOffsetMs !== 'number') delete v.clockOffsetMs;
  if (v.interfaces !== undefined && !(isObject(v.interfaces) && typeof v.interfaces.client === 'string' && typeof v.interfaces.server === 'string')) {
    v.interfaces = null;
  }
  return true;
}

function normaliseVantage(v: unknown): boolean {
  if (!isObject(v)) return false;
  v.points = listOf(v.points, (p): p is string => typeof p === 'string');
  v.dropped = listOf(v.dropped, (d): d is VantageFacts['dropped'][number] => isObject(d) && isIndex(d.packet)).map((d) => ({
    packet: d.packet,
    seenAt: str(d.seenAt),
    missingAt: str(d.missingAt),
  }));
  if (typeof v.clockOffsetMs !== 'number' || !Number.isFinite(v.clockOffsetMs)) v.clockOffsetMs = 0;
  if (v.clientSide !== 0 && v.clientSide !== 1) delete v.clientSide;
  const r = v.clockOffsetRangeMs;
  if (!(Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number' && Number.isFinite(x)))) delete v.clockOffsetRangeMs;
  // Each point's view of the endpoints, one per point (make-share.ts).
  const e = v.endpoints;
  if (!(Array.isArray(e) && e.length === (v.points as string[]).length && e.every((x) => isObject(x) && isEndpoint(x.client) && isEndpoint(x.server)))) delete v.endpoints;
  else v.endpoints = e.map((x) => ({ client: x.client, server: x.server }));
  // Anything else here is not ours (make-share.ts).
  for (const k of Object.keys(v)) if (!['points', 'dropped', 'clockOffsetMs', 'clientSide', 'clockOffsetRangeMs', 'endpoints'].includes(k)) delete v[k];
  return true;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function validatePacket(raw: unknown): SharedPacket | null {
  if (!Array.isArray(raw) || raw.length < 9) return null;
  const [t, c, f, s, a, l, w, v, i] = raw.slice(0, 9).map(num);
  if (t === null || (c !== 0 && c !== 1) || f === null || s === null || a === null || l === null || w === null || v === null || i === null) return null;
  const x = raw.slice(9).filter((n): n is string => typeof n === 'string' && n.length < 64).slice(0, 16).map(stripBidiControls);
  const pv = pointViews(raw.slice(9).find(Array.isArray));
  const ws = (v >> 2) & 15;
  return { t, c, f: f & 0x1ff, s, a, l, w, v: v & 3, i, x, ...(ws ? { ws: Math.min(ws - 1, 14) } : {}), ...(pv ? { pv } : {}) };
}

const u32 = (n: number | null): n is number => n !== null && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/** A packet's two capture point views ([t, seq, ack] or 0 each); null when not exactly that. */
function pointViews(raw: unknown): SharedPacket['pv'] | null {
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const one = (p: unknown): SharedPointView | null | undefined => {
    if (p === 0 || p === null) return null;
    if (!Array.isArray(p) || p.length !== 3) return undefined;
    const [t, s, a] = p.map(num);
    return t !== null && u32(s) && u32(a) ? [t, s, a] : undefined;
  };
  const a = one(raw[0]);
  const b = one(raw[1]);
  if (a === undefined || b === undefined || (a === null && b === null)) return null;
  return [a, b];
}

export function validateView(raw: unknown): ShareView | null {
  const v = capJson(raw) as Record<string, unknown> | undefined;
  if (!v || typeof v !== 'object') return null;
  const timeMode = ['proportional', 'compressed', 'even'].includes(v.timeMode as string) ? (v.timeMode as ShareView['timeMode']) : 'proportional';
  const focus = v.focus === 'whole' ? 'whole' : 'close';
  const l = (v.labels ?? {}) as Record<string, unknown>;
  const bool = (x: unknown, d: boolean) => (typeof x === 'boolean' ? x : d);
  return {
    timeMode,
    focus,
    labels: { flags: bool(l.flags, true), seq: bool(l.seq, true), length: bool(l.length, true), window: bool(l.window, false) },
  };
}

/** The id a shared connection gets (links do not carry the original id). */
export function sharedConnectionId(client: Endpoint, server: Endpoint): string {
  return `shared:${client.ip}:${client.port}-${server.ip}:${server.port}`;
}
