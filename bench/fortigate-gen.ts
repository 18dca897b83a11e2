/**
 * Deterministic FortiGate (FortiOS) traffic logs at the size firewalls write them, streamed to a file (flat memory):
 *   npx tsx bench/fortigate-gen.ts --lines=2000000 [--seed=1] --out=/tmp/fgt-2m.log
 * Fields only as Fortinet's FortiOS Log Message Reference documents them (traffic messages 13
 * LOG_ID_TRAFFIC_END_FORWARD, 15 LOG_ID_TRAFFIC_START_FORWARD, 20 LOG_ID_TRAFFIC_STAT, 7 LOG_ID_TRAFFIC_OTHER_INVALID
 * with msg="no session matched"; event logs counted only), in the shapes decode/text/fortigate.ts reads
 * (tests/fixtures/fortigate/PROVENANCE.md). Two devices: FGT-EDGE sends over syslog with the `<189>` priority
 * alone, FGT-CORE behind a relay's RFC 3164 stamp and host; about 200 lines a second from 2026-12-06 00:00:00 UTC,
 * `eventtime` in nanoseconds. Per session (one end log, written when the session leaves the table, a second or so
 * after the close): TCP (85%), UDP and ICMP; outbound through SNAT (`trandisp="snat" transip transport`), inbound
 * through DNAT (`trandisp="dnat" tranip tranport`), some without NAT (`noop`); actions close, client-rst,
 * server-rst, timeout (UDP: accept); a start log for 5% of sessions; statistics logs of long sessions. Denies:
 * the implicit deny (policyid=0) and named policies, and "no session matched" packets after 30% of closes and of
 * timeouts. Noise: system event logs, DNS query logs (action="dns"... counted only) and lines without a logid.
 */
import { createTimeline, rng } from './log-gen';

const START_MS = Date.UTC(2026, 11, 6);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DEVICES = [
  { name: 'FGT-EDGE', id: 'FGVM02TM26000001', relay: false },
  { name: 'FGT-CORE', id: 'FG100FTK26000002', relay: true },
];
const TCP_ACTIONS: [string, number][] = [['close', 60], ['client-rst', 12], ['server-rst', 14], ['timeout', 14]];
const TCP_TOTAL = TCP_ACTIONS.reduce((n, [, w]) => n + w, 0);
const POLICIES = ['LAN-to-WAN', 'DMZ-web', 'VPN-users', 'block-smb'];


export interface FortigateGenOptions { lines: number; seed?: number }

/** Writes the log to `out`; returns the number of lines, sessions begun and bytes. */
export function generateFortigateLog(out: string, o: FortigateGenOptions): { lines: number; sessions: number; bytes: number } {
  const r = rng(o.seed ?? 1);
  const int = (n: number) => Math.floor(r() * n);
  let sessions = 0;
  let sessionId = 100000;

  /** The syslog header and FortiOS's own date/time/device fields of a line at `tMs`. */
  const head = (tMs: number, dev: number): string => {
    const d = new Date(START_MS + tMs);
    const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const D = DEVICES[dev];
    const ns = `${Math.floor((START_MS + tMs) / 1000)}${pad(Math.floor(tMs % 1000), 3)}${pad(int(1000), 3)}000`;
    const pre = D.relay ? `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${hms} ${D.name.toLowerCase()} ` : '<189>';
    return `${pre}date=${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} time=${hms} devname="${D.name}" devid="${D.id}" eventtime=${ns} tz="+0000"`;
  };
  // FortiOS's logs start with their logid after the header; anything else (a relay's own line) is written as it is.
  const tl = createTimeline(out, (tMs, dev, text) => (text.startsWith('logid=') ? `${head(tMs, dev)} ${text}` : text));
  const put = tl.put;
  const later = tl.later;
  const lanIp = () => `10.${10 + int(4)}.${int(32)}.${1 + int(250)}`;
  const wanIp = () => `${[198, 203, 192][int(3)]}.${[51, 0][int(2)]}.${int(256)}.${1 + int(254)}`;

  while (tl.step(r, o.lines)) {
    const t = tl.t;
    const k = r();
    const dev = int(2);
    if (k < 0.55) {
      // A session: its end log after its lifetime (and the table's timers), maybe a start log and statistics.
      const id = sessionId++;
      sessions++;
      const p = r();
      const proto = p < 0.85 ? 6 : p < 0.97 ? 17 : 1;
      const outbound = r() < 0.7;
      const c = outbound ? lanIp() : wanIp();
      const cp = proto === 1 ? int(65536) : 1024 + int(64000);
      const sp = proto === 17 ? [53, 123, 443][int(3)] : proto === 1 ? 0 : [443, 80, 22, 25, 8443][int(5)];
      const s = outbound ? wanIp() : `172.16.${int(8)}.${1 + int(250)}`;
      const pub = `203.0.113.${1 + int(250)}`;
      const natPort = 1024 + int(64000);
      const nat = outbound
        ? (r() < 0.9 ? ` trandisp="snat" transip=${pub} transport=${natPort}` : ' trandisp="noop"')
        : ` trandisp="dnat" tranip=${s} tranport=${sp}`;
      const dst = outbound ? s : pub; // inbound: the client talks to the public address, DNATed to the server
      const intf = outbound ? 'srcintf="port2" srcintfrole="lan" dstintf="port1" dstintfrole="wan"' : 'srcintf="port1" srcintfrole="wan" dstintf="port3" dstintfrole="dmz"';
      const policy = 1 + int(4);
      let action = 'accept';
      if (proto === 6) {
        let w = int(TCP_TOTAL);
        for (const [name, weight] of TCP_ACTIONS) if ((w -= weight) < 0) { action = name; break; }
      }
      const life = action === 'timeout' ? 3600000 : proto !== 6 ? 180000 : Math.min(7200000, Math.exp(6 + 2.5 * (r() + r() + r() - 1.5)));
      const end = t + life + (action === 'close' ? 1000 : 0); // a closed session leaves the table after tcp-timewait-timer
      const ports = proto === 1 ? `icmpid=0x${cp.toString(16).padStart(4, '0')} icmptype=0x08 icmpcode=0x00` : `srcport=${cp} dstport=${sp}`;
      const svc = proto === 1 ? 'PING' : proto === 17 ? `udp/${sp}` : ['HTTPS', 'HTTP', 'SSH', 'SMTP', 'tcp/8443'][[443, 80, 22, 25, 8443].indexOf(sp)];
      const core = `type="traffic" subtype="forward" level="notice" vd="root" srcip=${c} ${ports.split(' ')[0]} ${intf.split(' ').slice(0, 2).join(' ')} dstip=${dst} ${ports.split(' ').slice(1).join(' ')} ${intf.split(' ').slice(2).join(' ')} sessionid=${id} proto=${proto}`;
      const sent = 200 + int(2000000);
      const rcvd = 200 + int(20000000);
      if (r() < 0.05) {
        later(t, dev, `logid="0000000015" ${core} action="start" policyid=${policy} policytype="policy" service="${svc}"${nat} duration=0 sentbyte=0 rcvdbyte=0`);
      }
      if (life > 120000) {
        later(t + 120000, dev, `logid="0000000020" ${core} action="accept" policyid=${policy} policytype="policy" service="${svc}"${nat} duration=120 sentbyte=${int(sent)} rcvdbyte=${int(rcvd)} sentdelta=${int(sent)} rcvddelta=${int(rcvd)}`);
      }
      const durS = Math.floor((end - t) / 1000);
      later(end, dev, `logid="0000000013" ${core} action="${action}" policyid=${policy} policytype="policy" poluuid="5c0a1e1a-93b0-51f1-8c3e-0a0b0c0d0e${pad(policy, 2)}" service="${svc}" dstcountry="Reserved" srccountry="Reserved"${nat} duration=${durS} sentbyte=${sent} rcvdbyte=${rcvd} sentpkt=${1 + int(2000)} rcvdpkt=${1 + int(4000)} appcat="unscanned"`);
      if (proto === 6 && action !== 'timeout' && r() < 0.3) {
        // A late packet of the closed session: no session matched (log-invalid-packet).
        later(end + int(3000), dev, `logid="0000000007" type="traffic" subtype="forward" level="warning" vd="root" srcip=${s} srcport=${sp} dstip=${outbound ? pub : c} dstport=${outbound ? natPort : cp} srcintf="port1" dstintf="unknown-0" sessionid=0 proto=6 action="deny" policyid=0 trandisp="noop" service="tcp/${sp}" duration=0 sentbyte=0 rcvdbyte=0 msg="no session matched"`);
      } else if (action === 'timeout' && r() < 0.3) {
        later(end + 60000 + int(540000), dev, `logid="0000000007" type="traffic" subtype="forward" level="warning" vd="root" srcip=${c} srcport=${cp} dstip=${dst} dstport=${sp} srcintf="${outbound ? 'port2' : 'port1'}" dstintf="unknown-0" sessionid=0 proto=6 action="deny" policyid=0 trandisp="noop" service="tcp/${sp}" duration=0 sentbyte=0 rcvdbyte=0 msg="no session matched"`);
      }
    } else if (k < 0.72) {
      const implicit = r() < 0.6;
      const policy = implicit ? 0 : 10 + int(4);
      const name = implicit ? '' : ` policyname="${POLICIES[policy - 10]}"`;
      put(t, dev, `logid="0000000013" type="traffic" subtype="forward" level="warning" vd="root" srcip=${wanIp()} srcport=${1024 + int(60000)} srcintf="port1" srcintfrole="wan" dstip=203.0.113.${1 + int(250)} dstport=${[23, 445, 3389, 22][int(4)]} dstintf="root" dstintfrole="undefined" sessionid=${sessionId++} proto=6 action="deny" policyid=${policy}${name} policytype="policy" service="tcp" dstcountry="Reserved" srccountry="Reserved" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 appcat="unscanned" crscore=30 craction=131072 crlevel="high"`);
    } else if (k < 0.78) {
      put(t, dev, `logid="0000000007" type="traffic" subtype="forward" level="warning" vd="root" srcip=${wanIp()} srcport=${1024 + int(60000)} dstip=203.0.113.${1 + int(250)} dstport=${[443, 80][int(2)]} srcintf="port1" dstintf="unknown-0" sessionid=0 proto=6 action="deny" policyid=0 trandisp="noop" service="tcp/443" duration=0 sentbyte=0 rcvdbyte=0 msg="no session matched"`);
    } else if (k < 0.86) {
      put(t, dev, `logid="0100032001" type="event" subtype="system" level="information" vd="root" logdesc="Admin login successful" sn="${int(1e9)}" user="admin" ui="https(10.10.0.${int(256)})" method="https" srcip=10.10.0.${int(256)} dstip=10.10.0.1 action="login" status="success" reason="none" profile="super_admin" msg="Administrator admin logged in successfully from https(10.10.0.${int(256)})"`);
    } else if (k < 0.96) {
      put(t, dev, `logid="1501054802" type="utm" subtype="dns" eventtype="dns-response" level="information" vd="root" policyid=1 sessionid=${sessionId++} srcip=${lanIp()} srcport=${1024 + int(60000)} srcintf="port2" srcintfrole="lan" dstip=10.10.0.53 dstport=53 dstintf="root" dstintfrole="undefined" proto=17 profile="default" xid=${int(65536)} qname="host${int(5000)}.example.com" qtype="A" qtypeval=1 qclass="IN" ipaddr="192.0.2.${int(256)}" msg="Domain is monitored" action="pass" cat=52 catdesc="Information Technology"`);
    } else {
      const d = new Date(START_MS + t);
      put(t, dev, `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} relay01 syslog-ng[812]: Syslog connection established; fd='${int(100)}', server='AF_INET(10.10.0.9:514)'`);
    }
  }
  const bytes = tl.close();
  return { lines: tl.lines, sessions, bytes };
}

if (process.argv[1] && /fortigate-gen\.ts$/.test(process.argv[1])) {
  const arg = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
  const out = arg('out') ?? 'bench/out/fortigate.log';
  const res = generateFortigateLog(out, { lines: Number(arg('lines') ?? 1e6), seed: Number(arg('seed') ?? 1) });
  process.stderr.write(`${out}: ${res.lines} lines, ${res.sessions} sessions, ${res.bytes} bytes\n`);
}
