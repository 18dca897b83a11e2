/**
 * FTD (and NGIPS) connection events 430002 (connection start) and 430003 (connection end), which many FTD
 * deployments log instead of 302013/302014 (Cisco "Firepower Threat Defense Syslog Messages", Security Event
 * Syslog Messages; field names as the FMC connection-event table gives them: `Action (Syslog:
 * AccessControlRuleAction)`). The body is `Key: Value` pairs joined by `, `; some keys have spaces
 * (`Prefilter Policy`, `Endpoint Profile`) and some values have commas (`UserAgent`, `URL`), so a pair ends only
 * where `, ` is followed by a key and `: `. Sample (anonymised, from Elastic's FTD test logs):
 *   %FTD-1-430003: EventPriority: Low, DeviceUUID: 5c12..., InstanceID: 5, FirstPacketSecond: 2023-03-27T08:54:54Z,
 *   ConnectionID: 56696, AccessControlRuleAction: Block with reset, SrcIP: 10.0.1.20, DstIP: 10.0.100.30,
 *   SrcPort: 50815, DstPort: 7680, Protocol: tcp, IngressInterface: Inside, EgressInterface: Outside, ...,
 *   ConnectionDuration: 0, InitiatorPackets: 3, ResponderPackets: 1, InitiatorBytes: 261, ResponderBytes: 66
 * Read: SrcIP/SrcPort (the initiator) -> src, DstIP/DstPort -> dst with their interfaces and the NAT_ fields as
 * mapped addresses; ConnectionID (with InstanceID, IDs being per Snort instance) pairs start and end, else the
 * 5-tuple does; ConnectionDuration, Initiator/Responder Packets and Bytes; the close reason from `Reason`
 * (or AccessControlRuleReason, or a blocking action such as `Block with reset`); `TCPFlags`/`TCP Flags` as flag
 * words or a number. Not handled: intrusion, file and malware events (430001, 430004, 430005): counted only.
 */
import type { FirewallEndpoint, FirewallEvent } from '../../model/firewall';
import { createCursor, readFlagWords, readUint } from './syslog-fields';

const at = createCursor();

/** Is s[i..] a key (`Word[ Word]...: `, starting with a letter, at most 40 characters)? Returns the `:` or -1. */
function keyEnd(s: string, i: number): number {
  const c0 = s.charCodeAt(i);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return -1;
  const limit = Math.min(s.length - 1, i + 40);
  for (let k = i + 1; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 58) return s.charCodeAt(k + 1) === 32 || k + 1 === s.length ? k : -1;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 32)) return -1;
  }
  return -1;
}

/** The Key -> Value pairs of the body at s[a..] (only keys in `wanted`). */
function readPairs(s: string, a: number, wanted: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  let p = a;
  while (p < s.length) {
    const colon = keyEnd(s, p);
    if (colon < 0) break;
    const v0 = colon + 2;
    // The value runs to the next `, ` that starts a key.
    let e = s.indexOf(', ', v0);
    while (e >= 0 && keyEnd(s, e + 2) < 0) e = s.indexOf(', ', e + 2);
    const end = e < 0 ? s.length : e;
    const key = s.slice(p, colon);
    if (wanted.has(key)) out.set(key, s.slice(v0, end).trim());
    p = e < 0 ? s.length : e + 2;
  }
  return out;
}

const WANTED = new Set([
  'SrcIP', 'DstIP', 'SrcPort', 'DstPort', 'Protocol', 'IngressInterface', 'EgressInterface', 'ConnectionID', 'InstanceID',
  'ConnectionDuration', 'InitiatorPackets', 'ResponderPackets', 'InitiatorBytes', 'ResponderBytes', 'AccessControlRuleAction',
  'AccessControlRuleReason', 'AccessControlRuleName', 'Reason', 'TCPFlags', 'TCP Flags', 'User', 'ICMPType', 'ICMPCode',
  'NAT_InitiatorIP', 'NAT_InitiatorPort', 'NAT_ResponderIP', 'NAT_ResponderPort',
]);

function num(v: string | undefined): number {
  if (v === undefined) return -1;
  const n = readUint(v, 0, v.length, at);
  return at.end === v.length ? n : -1;
}

function endpoint(iface: string | undefined, addr: string, port: number, mappedAddr: string | undefined, mappedPort: number): FirewallEndpoint {
  return {
    iface: iface || null,
    addr,
    port,
    mappedAddr: mappedAddr || null,
    mappedPort: mappedAddr ? mappedPort : -1,
    identity: null,
  };
}

/** `TCPFlags` as flag words (`SYN ACK FIN`, `FIN|ACK`) or a number (the TCP header's flag bits). */
function tcpFlags(v: string | undefined): number {
  if (v === undefined || v === '') return -1;
  const n = num(v);
  if (n >= 0) return n & 0xff;
  const hex = /^0x([0-9a-f]+)$/i.exec(v);
  if (hex) return parseInt(hex[1], 16) & 0xff;
  return readFlagWords(v.replace(/[|,+]/g, ' '), 0, v.length);
}

const NO_USER = new Set(['No Authentication Required', 'Not Found', 'Unknown', '']);

/** 430002 (start, isStart) / 430003 (end): fill `ev` from the pairs; false without both addresses. */
export function ftdConnection(s: string, a: number, ev: FirewallEvent, isStart: boolean): boolean {
  const f = readPairs(s, a, WANTED);
  const src = f.get('SrcIP');
  const dst = f.get('DstIP');
  if (!src || !dst) return false;
  ev.kind = isStart ? 'built' : 'teardown';
  ev.initiator = 'src'; // SrcIP/SrcPort are the initiator's, DstIP/DstPort the responder's (FMC field guide)
  const proto = (f.get('Protocol') ?? '').toLowerCase();
  ev.protocol = proto || null;
  ev.src = endpoint(f.get('IngressInterface'), src, num(f.get('SrcPort')), f.get('NAT_InitiatorIP'), num(f.get('NAT_InitiatorPort')));
  ev.dst = endpoint(f.get('EgressInterface'), dst, num(f.get('DstPort')), f.get('NAT_ResponderIP'), num(f.get('NAT_ResponderPort')));
  const id = f.get('ConnectionID');
  const inst = f.get('InstanceID');
  // Without an ID the 5-tuple pairs the start with its end (the ID key is per device, as for 302013/302014).
  ev.connId = id ? (inst ? `${id} (instance ${inst})` : id) : `${proto}:${src}/${ev.src.port}>${dst}/${ev.dst.port}`;
  ev.durationS = num(f.get('ConnectionDuration'));
  ev.srcPackets = num(f.get('InitiatorPackets'));
  ev.dstPackets = num(f.get('ResponderPackets'));
  ev.srcBytes = num(f.get('InitiatorBytes'));
  ev.dstBytes = num(f.get('ResponderBytes'));
  if (ev.srcBytes >= 0 && ev.dstBytes >= 0) ev.bytes = ev.srcBytes + ev.dstBytes;
  ev.tcpFlags = tcpFlags(f.get('TCPFlags') ?? f.get('TCP Flags'));
  const action = f.get('AccessControlRuleAction') ?? '';
  ev.reason = f.get('Reason') || f.get('AccessControlRuleReason') || (/block/i.test(action) ? action : null);
  ev.acl = f.get('AccessControlRuleName') || null;
  const user = f.get('User');
  ev.user = user !== undefined && !NO_USER.has(user) ? user : null;
  const t = num(f.get('ICMPType'));
  if (proto === 'icmp' && t >= 0) ev.icmp = { type: t, code: num(f.get('ICMPCode')) };
  return true;
}
