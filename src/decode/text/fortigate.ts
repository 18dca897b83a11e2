/**
 * FortiGate (FortiOS) traffic log decoder: one log per line as `key=value` pairs (fortigate-fields.ts), sent over
 * syslog (any header in front: `<189>`, RFC 5424, a relay's stamp and host) or written by a disk or FortiAnalyzer
 * export (plain lines, values bare or quoted). Facts relied on, from Fortinet's FortiOS Log Message Reference
 * (traffic logs 13 LOG_ID_TRAFFIC_END_FORWARD, 15 LOG_ID_TRAFFIC_START_FORWARD, 20 LOG_ID_TRAFFIC_STAT) and
 * Fortinet's sample logs; README "FortiGate traffic logs":
 *  - `type="traffic"` logs are one per session: `action` is `deny` (blocked by a firewall policy), `start` (the
 *    session-start log, when enabled), or how an allowed session ended: `close`, `client-rst`, `server-rst`,
 *    `timeout`, `accept` (...); `dns` and `ip-conn` (a failed connection attempt) are counted only. Statistics logs
 *    (message 20/21: a session still open, "ongoing") are counted only: they end nothing.
 *  - Message 7 (LOG_ID_TRAFFIC_OTHER_INVALID, logged with `log-invalid-packet`, on 7.4 `extended-log`) is a packet
 *    dropped as invalid, `action="deny"` with `msg` saying why: `msg="no session matched"` is a packet of no session
 *    in the table (a Fortinet technical tip: the FortiGate counterpart of the ASA's 106015), cause `no-connection`.
 *  - `srcip`/`srcport`/`srcintf` is the initiator, `dstip`/`dstport`/`dstintf` the responder; `sessionid` the
 *    session; `duration` seconds; `sentbyte`/`rcvdbyte` and `sentpkt`/`rcvdpkt` what the initiator sent and received.
 *  - NAT: `transip`/`transport` the translated source, `tranip`/`tranport` the translated destination (`trandisp`
 *    snat, dnat, snat+dnat, noop): kept as the endpoints' mapped side, like the ASA's mapped addresses.
 *  - `logid` (ten digits, `0000000013`; FortiAnalyzer writes `13`) is the vendor's message id, kept as printed.
 * A session-end log is one connection: its Built at the log time minus `duration` (whole seconds, so stamped as the
 * whole second it falls in), its Teardown at the log time with the `action` as the vendor's reason text and its
 * normalised reason (reasonOf). A `start` log is a Built alone; the session's end log then gives only the Teardown.
 * `deny` is a deny: cause `security-policy` for the implicit deny (policy 0), else `access-rule` naming the policy;
 * `no-connection` for "no session matched", `other` for another invalid packet.
 * Not read: event and UTM logs (counted by logid only), local-traffic logs' own quirks beyond the same fields.
 */
import type { ByteSource } from '../../lib/byte-source';
import { newFirewallEvent, type FirewallEndpoint, type FirewallEvent } from '../../model/firewall';
import type { InputReport } from '../../model/report';
import type { DecodeOptions, InputSinks, TextSniff } from '../types';
import type { FirewallRecordSink } from '../../model/firewall-record';
import { createFortigateFastPath, type FortigateLineBytes, type FortigateShared } from './fortigate-fast';
import { KeyValueLine } from './fortigate-fields';
import { F, INVALID, KEYS, NO_SESSION, ONGOING, protocolOf, reasonOf } from './fortigate-keys';
import { lineTime, type LineTime } from './fortigate-time';
import { readTextInput } from './line-notes';
import { zoneOfOptions, type ZoneSpec } from './syslog-zones';

export interface FortigateLineDecoder {
  line(s: string, lineNo: number): void;
  /** The fast path over a line's bytes (fortigate-fast.ts): true when it read the line, false to give it to line(). */
  lineBytes: FortigateLineBytes;
  finish(): void;
  /** Lines with a `logid`, and events emitted. */
  readonly tagged: number;
  readonly events: number;
}

const endpoint = (): FirewallEndpoint => ({ iface: null, addr: '', port: -1, mappedAddr: null, mappedPort: -1, identity: null });

/**
 * The per-line decoder, usable without a ByteSource (tests). `emit` gets each event as one reused scratch object
 * (valid only during the call), with the line and where its message starts (the first pair, past any header).
 */
export function createFortigateLineDecoder(
  input: number,
  file: string,
  emit: (e: FirewallEvent, text: string, at: number) => void,
  options: { zone: ZoneSpec | null; records?: FirewallRecordSink | null },
  report: Pick<InputReport, 'firewallMessages' | 'firewallEvents'>,
): FortigateLineDecoder {
  const kv = new KeyValueLine(KEYS);
  const template = newFirewallEvent(input, file);
  const ev = newFirewallEvent(input, file);
  const src = endpoint();
  const dst = endpoint();
  const when: LineTime = { timeUs: NaN, precisionUs: 1e6 };
  const counts = new Map<string, number>();
  /** Sessions whose start log was read (device and session id), until their end log. */
  const started = new Set<string>();
  // The strings most lines repeat, made once: the last logid, device and action seen.
  let lastId = '';
  let lastDevice = '';
  let lastAction = '';
  const state: FortigateShared & FortigateLineDecoder = { counts, started, tagged: 0, events: 0, line, finish, lineBytes: () => false };
  // The fast path into the store's records, when the sink takes records (fortigate-fast.ts).
  if (options.records) state.lineBytes = createFortigateFastPath(input, options.records, state);

  const text = (k: number, last: string): string => (kv.is(k, last) ? last : kv.value(k)!);

  function side(ep: FirewallEndpoint, ip: number, port: number, iface: number, icmp: boolean): FirewallEndpoint | null {
    if (!kv.has(ip)) return null;
    ep.addr = kv.value(ip)!;
    ep.port = icmp ? kv.uint(F.icmpid) : kv.uint(port);
    ep.iface = kv.value(iface);
    ep.mappedAddr = null;
    ep.mappedPort = -1;
    return ep;
  }

  /** NAT: both sides' mapped address (the translated one, else the real one) when the log translated either. */
  function mapped(ep: FirewallEndpoint | null, ip: number, port: number): void {
    if (ep === null) return;
    ep.mappedAddr = kv.has(ip) ? kv.value(ip)! : ep.addr;
    const p = kv.uint(port);
    ep.mappedPort = kv.has(ip) && p >= 0 ? p : ep.port;
  }

  function line(s: string, lineNo: number): void {
    kv.read(s);
    if (!kv.has(F.logid)) return;
    state.tagged++;
    const id = (lastId = text(F.logid, lastId));
    counts.set(id, (counts.get(id) ?? 0) + 1);
    const message = kv.uint(F.logid) % 1e6;
    if (!kv.is(F.type, 'traffic') || ONGOING.has(message)) return;
    const action = (lastAction = kv.has(F.action) ? text(F.action, lastAction) : '');
    const isDeny = action === 'deny';
    const isStart = action === 'start';
    if (action === 'dns' || action === 'ip-conn' || action === '') return;
    Object.assign(ev, template);
    ev.line = lineNo;
    lineTime(kv, F, options.zone, when);
    ev.timeUs = when.timeUs;
    ev.precisionUs = when.precisionUs;
    ev.messageId = id;
    const dev = kv.has(F.devname) ? F.devname : F.devid;
    ev.device = kv.has(dev) ? (lastDevice = text(dev, lastDevice)) : '';
    const proto = kv.uint(F.proto);
    const icmp = proto === 1 || proto === 58;
    ev.protocol = protocolOf(proto);
    ev.src = side(src, F.srcip, F.srcport, F.srcintf, icmp);
    ev.dst = side(dst, F.dstip, F.dstport, F.dstintf, icmp);
    if (icmp && kv.has(F.icmptype)) ev.icmp = { type: kv.uint(F.icmptype), code: Math.max(0, kv.uint(F.icmpcode)) };
    const at = kv.bodyAt;
    if (isDeny) {
      ev.kind = 'deny';
      const policy = kv.uint(F.policyid);
      ev.cause = kv.is(F.msg, NO_SESSION) ? 'no-connection' : message === INVALID ? 'other' : policy === 0 ? 'security-policy' : 'access-rule';
      ev.reason = kv.value(F.msg);
      ev.acl = kv.value(F.policyname) ?? kv.value(F.policyid);
      ev.iface = ev.src?.iface ?? null;
      state.events++;
      emit(ev, s, at);
      return;
    }
    if (kv.has(F.transip) || kv.has(F.tranip)) {
      mapped(ev.src, F.transip, F.transport);
      mapped(ev.dst, F.tranip, F.tranport);
    }
    ev.connId = kv.value(F.sessionid);
    ev.initiator = 'src';
    if (isStart) {
      ev.kind = 'built';
      if (ev.connId !== null) started.add(`${ev.device}/${ev.connId}`);
      state.events++;
      emit(ev, s, at);
      return;
    }
    const duration = kv.uint(F.duration);
    const end = ev.timeUs;
    const endPrecision = ev.precisionUs;
    if (!(started.size > 0 && ev.connId !== null && started.delete(`${ev.device}/${ev.connId}`))) {
      if (duration >= 0) {
        ev.kind = 'built';
        // `duration` counts whole seconds: the start is known to a second, so the Built is stamped as a whole second
        // (as an ASA's are: printed so, and ladders and joins read it with a second's precision).
        ev.timeUs = Math.floor((end - duration * 1e6) / 1e6) * 1e6;
        ev.precisionUs = 1e6;
        state.events++;
        emit(ev, s, at);
      }
    }
    ev.kind = 'teardown';
    ev.timeUs = end;
    ev.precisionUs = endPrecision;
    ev.reason = action;
    ev.teardownReason = reasonOf(action);
    ev.durationS = duration;
    const sent = kv.uint(F.sentbyte);
    const rcvd = kv.uint(F.rcvdbyte);
    ev.srcBytes = sent;
    ev.dstBytes = rcvd;
    ev.bytes = sent >= 0 && rcvd >= 0 ? sent + rcvd : -1;
    state.events++;
    emit(ev, s, at);
  }

  function finish(): void {
    const byId: Record<string, number> = {};
    for (const [id, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) byId[id] = n;
    report.firewallMessages = byId;
    report.firewallEvents = state.events;
  }

  return state;
}

/** Decodes one FortiGate log input, streaming it line by line; events go to sinks.firewall. */
export async function decodeFortigate(source: ByteSource, input: number, sinks: InputSinks, options: DecodeOptions, report: InputReport): Promise<void> {
  const zone = zoneOfOptions(options);
  const sink = sinks.firewall;
  const dec = createFortigateLineDecoder(input, source.name, (e, text, at) => sink?.event(e, text, at), { zone, records: sink?.records }, report);
  const res = await readTextInput(source, (s, lineNo) => dec.line(s, lineNo), options, report, sink?.records ? dec.lineBytes : undefined);
  dec.finish();
  const untagged = res.lines - dec.tagged;
  if (untagged > 0) report.skipped['no FortiGate logid'] = (report.skipped['no FortiGate logid'] ?? 0) + untagged;
  if (dec.tagged === 0 && res.lines > 0) options.problems.warn('no FortiGate log line (logid=...) found in this input', { line: 1 });
}

/**
 * The FortiGate vote on a text sample: a line with `logid=`, ` type=` and a time field (`date=`, `eventtime=`,
 * FortiAnalyzer's `itime=`) is one vote.
 */
export function fortigateSniff(): TextSniff {
  return {
    line: (line) => (line.includes('logid=') && line.includes('type=') && (line.includes('date=') || line.includes('eventtime=') || line.includes('itime=')) ? 1 : 0),
  };
}
