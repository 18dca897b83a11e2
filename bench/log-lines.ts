/**
 * Deterministic ASA/FTD logs at the size firewalls write them, made in parts (flat memory at any size), with no Node
 * API: bench/log-gen.ts writes them to a file, and a browser test makes one in the page (tests/e2e/page-log.ts).
 * Two devices (fw-a writes `<PRI>Mon dd yyyy HH:MM:SS fw-a : %ASA-...`, fw-b the RFC 3164 shape
 * `Mon dd HH:MM:SS fw-b %FTD-...` with no year), about 200 lines a second from 2018-06-20 00:00:00 on.
 * Per connection: Built (inbound with NAT, or outbound), often an xlate Built/Teardown pair, then a Teardown
 * after a lognormal lifetime with a realistic reason mix (TCP FINs, Reset-I/O, SYN/FIN/Idle Timeout,
 * Conn-timeout); 106015 denies of late packets 0-3 s after a FIN/Reset close, 106015 denies 1-10 min after an
 * idle timeout, and 106015 denies of flows the log never built (scans, backscatter). Noise: 106023 ACL denies,
 * 106100 permits, 733100, 113005, 722051. `--recurring`: every connection takes one of 150 address pairs
 * (ports included), so each 4-tuple recurs thousands of times, as the flows of a few chatty services do.
 */

/** A seeded PRNG (mulberry32): the same stream for the same seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REASONS: [string, number][] = [
  ['TCP FINs', 55], ['TCP Reset-I', 10], ['TCP Reset-O', 10], ['SYN Timeout', 6], ['Conn-timeout', 6], ['Idle Timeout', 5], ['FIN Timeout', 4], ['TCP Reset-APPLIANCE', 2], ['Flow closed by inspection', 2],
];
const REASON_TOTAL = REASONS.reduce((n, [, w]) => n + w, 0);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const START_MS = Date.UTC(2018, 5, 20);

interface Flow { c: string; cp: number; s: string; sp: number; m: string; mp: number; inbound: boolean }
/** A line due later (teardown, late deny), in a binary min-heap by time. */
export interface Due { t: number; seq: number; text: string; dev: number }

export class Heap {
  private a: Due[] = [];
  get size(): number { return this.a.length; }
  peek(): Due { return this.a[0]; }
  private less(x: Due, y: Due): boolean { return x.t < y.t || (x.t === y.t && x.seq < y.seq); }
  push(d: Due): void {
    const a = this.a;
    a.push(d);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Due {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Lines in time order, handed to `write` about 4 MiB of text at a time (flat memory at any size): `put` one now,
 * `later` one due at a time to come, `due(t, max)` writes those due by `t` (up to `max` lines in all). `line` makes a
 * line's text. The lines are ASCII: a character is a byte.
 */
export function createLineTimeline(write: (text: string) => void, line: (tMs: number, dev: number, text: string) => string) {
  const heap = new Heap();
  let buf = '';
  let bytes = 0;
  let seq = 0;
  const tl = {
    lines: 0,
    /** The time of the line being made (ms from the log's start). */
    t: 0,
    /**
     * On to the next line's time (~200 lines a second, the gap drawn from `r`), writing the lines due by then;
     * false once `max` lines are written.
     */
    step(r: () => number, max: number): boolean {
      if (tl.lines >= max) return false;
      tl.t += -Math.log(1 - r()) * 5;
      tl.due(tl.t, max);
      return tl.lines < max;
    },
    put(tMs: number, dev: number, text: string): void {
      buf += `${line(tMs, dev, text)}\n`;
      tl.lines++;
      if (buf.length > 1 << 22) {
        write(buf);
        bytes += buf.length;
        buf = '';
      }
    },
    later: (t: number, dev: number, text: string) => heap.push({ t, seq: seq++, text, dev }),
    due(t: number, max: number): void {
      while (heap.size && heap.peek().t <= t && tl.lines < max) {
        const d = heap.pop();
        tl.put(d.t, d.dev, d.text);
      }
    },
    /** Writes what is buffered: the bytes written in all. */
    close(): number {
      if (buf) write(buf);
      bytes += buf.length;
      buf = '';
      return bytes;
    },
  };
  return tl;
}

export interface LogGenOptions { lines: number; recurring?: boolean; seed?: number }

/** Hands the log's text to `write` in parts of about 4 MiB; returns the number of lines, connections and bytes. */
export function generateLogText(write: (text: string) => void, o: LogGenOptions): { lines: number; connections: number; bytes: number } {
  const r = rng(o.seed ?? 1);
  const int = (n: number) => Math.floor(r() * n);
  const ip4 = (a: string) => `${a}.${int(256)}.${1 + int(254)}`;
  const newFlow = (): Flow => {
    const inbound = r() < 0.6;
    return inbound
      ? { c: ip4('198.51'), cp: 1024 + int(64000), s: `10.20.${int(8)}.${1 + int(250)}`, sp: [443, 80, 22, 8443][int(4)], m: `203.0.113.${1 + int(250)}`, mp: 0, inbound }
      : { c: `10.30.${int(16)}.${1 + int(250)}`, cp: 1024 + int(64000), s: ip4('192.0'), sp: [443, 443, 80, 25][int(4)], m: `203.0.113.${1 + int(250)}`, mp: 1024 + int(64000), inbound };
  };
  const pool = o.recurring ? Array.from({ length: 150 }, newFlow) : null;
  let conns = 0;
  const stamp = (tMs: number, dev: number): string => {
    const d = new Date(START_MS + tMs);
    const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const md = `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}`;
    return dev === 0 ? `<166>${md} ${d.getUTCFullYear()} ${hms} fw-a : %ASA-` : `${md} ${hms} fw-b %FTD-`;
  };
  const tl = createLineTimeline(write, (tMs, dev, text) => `${stamp(tMs, dev)}${text}`);
  const put = tl.put;
  const later = tl.later;
  let connId = 40000000;
  while (tl.step(r, o.lines)) {
    const t = tl.t;
    const k = r();
    const dev = int(2);
    if (k < 0.27) {
      const f = pool ? pool[int(pool.length)] : newFlow();
      const id = connId++;
      conns++;
      const cep = `${f.c}/${f.cp}`;
      const sep = `${f.s}/${f.sp}`;
      const mep = f.inbound ? `${f.m}/${f.sp}` : `${f.m}/${f.mp}`;
      if (f.inbound) put(t, dev, `6-302013: Built inbound TCP connection ${id} for outside:${cep} (${cep}) to inside:${sep} (${mep})`);
      else put(t, dev, `6-302013: Built outbound TCP connection ${id} for outside:${sep} (${sep}) to inside:${cep} (${mep})`);
      if (!f.inbound && r() < 0.5) later(t + 1, dev, `6-305011: Built dynamic TCP translation from inside:${cep} to outside:${mep}`);
      let w = int(REASON_TOTAL);
      let reason = REASONS[0][0];
      for (const [name, weight] of REASONS) if ((w -= weight) < 0) { reason = name; break; }
      const life = reason === 'SYN Timeout' ? 30000 : reason === 'Conn-timeout' || reason === 'Idle Timeout' ? 3600000 : Math.min(7200000, Math.exp(7 + 2.5 * (r() + r() + r() - 1.5)));
      const end = t + life;
      const from = reason.startsWith('TCP') && reason !== 'TCP Reset-APPLIANCE' ? ` from ${reason === 'TCP Reset-I' ? 'inside' : reason === 'TCP Reset-O' ? 'outside' : int(2) ? 'outside' : 'inside'}` : '';
      const s = Math.floor(life / 1000);
      const dur = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
      const ends = f.inbound ? `for outside:${cep} to inside:${sep}` : `for outside:${sep} to inside:${cep}`;
      later(end, dev, `6-302014: Teardown TCP connection ${id} ${ends} duration ${dur} bytes ${int(5000000)} ${reason}${from}`);
      const toClient = `from ${f.s}/${f.sp} to ${f.inbound ? f.c : f.m}/${f.inbound ? f.cp : f.mp}`;
      if ((reason === 'TCP FINs' || reason.startsWith('TCP Reset-')) && r() < 0.3) {
        later(end + int(3000), dev, `6-106015: Deny TCP (no connection) ${toClient} flags ${r() < 0.7 ? 'RST' : 'FIN ACK'}  on interface ${f.inbound ? 'inside' : 'outside'}`);
      } else if ((reason === 'Conn-timeout' || reason === 'Idle Timeout') && r() < 0.5) {
        later(end + 60000 + int(540000), dev, `6-106015: Deny TCP (no connection) ${toClient} flags PSH ACK  on interface ${f.inbound ? 'inside' : 'outside'}`);
      }
      if (!f.inbound && r() < 0.5) later(end + 30000, dev, `6-305012: Teardown dynamic TCP translation from inside:${cep} to outside:${mep} duration ${dur}`);
    } else if (k < 0.33) {
      put(t, dev, `6-106015: Deny TCP (no connection) from 192.0.2.${int(256)}/${1024 + int(60000)} to 203.0.113.${1 + int(250)}/${[443, 80, 22][int(3)]} flags ${r() < 0.5 ? 'SYN ACK' : 'RST ACK'}  on interface outside`);
    } else if (k < 0.5) {
      put(t, dev, `4-106023: Deny tcp src outside:192.0.2.${int(256)}/${1024 + int(60000)} dst inside:10.20.${int(8)}.${int(256)}/${[23, 445, 3389][int(3)]} by access-group "outside_access_in" [0x0, 0x0]`);
    } else if (k < 0.6) {
      put(t, dev, `6-106100: access-list inside_in permitted tcp inside/10.20.${int(8)}.${int(256)}(${1024 + int(60000)}) -> outside/192.0.2.${int(256)}(443) hit-cnt 1 first hit [0x71a87d94, 0x0]`);
    } else if (k < 0.75) {
      put(t, dev, `4-733100: [ Scanning] drop rate-${1 + int(2)} exceeded. Current burst rate is ${int(10)} per second, max configured rate is 10; Current average rate is 5 per second, max configured rate is 5; Cumulative total count is ${int(100000)}`);
    } else if (k < 0.88) {
      put(t, dev, `6-113005: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.${int(256)} : user = ***** : user IP = 192.0.2.${int(256)}`);
    } else {
      put(t, dev, `5-722051: Group <vpn> User <user${int(1000)}> IP <198.51.100.${int(256)}> IPv4 Address <10.99.${int(256)}.${int(256)}> assigned to session`);
    }
  }
  const bytes = tl.close();
  return { lines: tl.lines, connections: conns, bytes };
}
