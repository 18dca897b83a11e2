/**
 * Deterministic ASA syslog lines for the syslog benchmark: a realistic mix of connection messages
 * (302013/302014 with NAT and every common teardown reason, 106015 late-packet denies, 106023/106100 ACL
 * logs, 305011/305012 xlates) plus messages Teardown only counts (733100, 113005, 722051), behind the usual
 * `<PRI>Mon dd yyyy HH:MM:SS host : ` wrapper. Lines are plain strings, joined with LF.
 */

import { rng } from './log-lines';

const REASONS = ['TCP FINs', 'TCP FINs', 'TCP FINs', 'TCP Reset-I', 'TCP Reset-O', 'SYN Timeout', 'Conn-timeout', 'FIN Timeout'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `count` syslog lines (about 170 bytes each) starting at 2018-06-20 00:00:00, about 200 per second. */
export function generateSyslogLines(count: number, seed = 1): string[] {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const lines: string[] = [];
  let t = 0;
  let conn = 40000000;
  const open: { id: number; c: string; cp: number; s: string; sp: number; m: string }[] = [];
  while (lines.length < count) {
    // About 200 messages a second: a modest rate for a firewall logging connections at level 6 (busy ones log
    // thousands), so consecutive lines share their header like in real logs.
    t += int(200) === 0 ? 1 : 0;
    const hh = Math.floor(t / 3600) % 24;
    const head = `<166>Jun 20 2018 ${pad(hh)}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)} fw-bench : `;
    const k = r();
    if (k < 0.3 || open.length === 0) {
      const c = `198.51.${int(256)}.${int(256)}`;
      const cp = 1024 + int(64000);
      const s = `10.20.${int(8)}.${1 + int(250)}`;
      const sp = [443, 80, 22, 8443][int(4)];
      const m = `203.0.113.${1 + int(250)}`;
      const id = conn++;
      open.push({ id, c, cp, s, sp, m });
      lines.push(`${head}%ASA-6-302013: Built inbound TCP connection ${id} for outside:${c}/${cp} (${c}/${cp}) to inside:${s}/${sp} (${m}/${sp})`);
    } else if (k < 0.6) {
      const x = open.splice(int(open.length), 1)[0];
      const reason = REASONS[int(REASONS.length)];
      const from = int(2) ? ` from ${int(2) ? 'outside' : 'inside'}` : '';
      lines.push(`${head}%ASA-6-302014: Teardown TCP connection ${x.id} for outside:${x.c}/${x.cp} to inside:${x.s}/${x.sp} duration 0:${pad(int(60))}:${pad(int(60))} bytes ${int(5000000)} ${reason}${from}`);
      if (reason === 'TCP FINs' && int(3) === 0) {
        lines.push(`${head}%ASA-6-106015: Deny TCP (no connection) from ${x.s}/${x.sp} to ${x.c}/${x.cp} flags RST  on interface inside`);
      }
    } else if (k < 0.7) {
      lines.push(`${head}%ASA-4-106023: Deny tcp src outside:192.0.2.${int(256)}/${1024 + int(60000)} dst inside:10.20.${int(8)}.${int(256)}/${[23, 445, 3389][int(3)]} by access-group "outside_access_in" [0x0, 0x0]`);
    } else if (k < 0.78) {
      lines.push(`${head}%ASA-6-106100: access-list inside_in permitted tcp inside/10.20.${int(8)}.${int(256)}(${1024 + int(60000)}) -> outside/192.0.2.${int(256)}(443) hit-cnt 1 first hit [0x71a87d94, 0x0]`);
    } else if (k < 0.88) {
      const real = `10.20.${int(8)}.${int(256)}/${1024 + int(60000)}`;
      const mapped = `203.0.113.${int(256)}/${1024 + int(60000)}`;
      lines.push(int(2)
        ? `${head}%ASA-6-305011: Built dynamic TCP translation from inside:${real} to outside:${mapped}`
        : `${head}%ASA-6-305012: Teardown dynamic TCP translation from inside:${real} to outside:${mapped} duration 0:00:30`);
    } else if (k < 0.92) {
      lines.push(`${head}%ASA-4-733100: [ Scanning] drop rate-${1 + int(2)} exceeded. Current burst rate is ${int(10)} per second, max configured rate is 10; Current average rate is 5 per second, max configured rate is 5; Cumulative total count is ${int(100000)}`);
    } else if (k < 0.96) {
      lines.push(`${head}%ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.${int(256)} : user = ***** : user IP = 192.0.2.${int(256)}`);
    } else {
      lines.push(`${head}%ASA-5-722051: Group <vpn> User <user${int(1000)}> IP <198.51.100.${int(256)}> IPv4 Address <10.99.${int(256)}.${int(256)}> assigned to session`);
    }
  }
  lines.length = count;
  return lines;
}
