/**
 * A multi-day Cisco ASA log shaped like the seed's story, for the firewall triage view: web servers behind the
 * firewall, clients outside, every connection Built and Torn down (302013/302014, whole-second stamps). Half-way
 * (`changeAtDay`) an administrator changes the rules (a 111008 line) and from then on many clients end their
 * connections with FIN then RST: the server's answering RST arrives after the firewall tore the connection down on
 * the FINs and is denied (106015, flags RST, same second) — the late-close spike. Throughout, a database pool whose
 * connections the firewall removes on Conn-timeout/Idle Timeout sends its next packet 1-10 minutes later (106015,
 * flags PSH ACK: the idle-timeout class), and a few scans hit nothing (106015 with no connection in the log).
 *
 * Deterministic for a seed. Lines come out in time order, in chunks, so a million connections never sit in memory.
 */
import { Rng } from './gen/prng';

export interface TriageLogOptions {
  days: number;
  /** Web connections per hour (on average; a mild day/night swing). */
  perHour: number;
  /** When the rules change, in days from the start. */
  changeAtDay: number;
  /** Share of web connections with a late server RST after the change (before: `lateBefore`). */
  lateAfter: number;
  lateBefore: number;
  /** Database connections removed on a timeout per hour, each followed by a deny 1-10 min later. */
  idlePerHour: number;
  /** Scan packets (no connection in the log) per hour. */
  scansPerHour: number;
  seed: number;
  /** First day, UTC. */
  start: string;
}

export const TRIAGE_LOG_DEFAULTS: TriageLogOptions = {
  days: 4, perHour: 300, changeAtDay: 1.5, lateAfter: 0.4, lateBefore: 0.005, idlePerHour: 6, scansPerHour: 4, seed: 7, start: '2018-06-18',
};

/** What the generator wrote, to check a reader against. */
export interface TriageLogTruth {
  connections: number;
  lateDenies: number;
  idleDenies: number;
  scanDenies: number;
  /** The rule change, µs since the epoch. */
  changeUs: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function stamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `<166>${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} fw-edge : `;
}

function dur(s: number): string {
  const t = Math.max(0, Math.floor(s));
  return `${Math.floor(t / 3600)}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
}

/** Calls `out` with chunks of lines (each ending in LF), in time order. Returns what it wrote. */
export function generateTriageLog(opts: Partial<TriageLogOptions>, out: (chunk: string) => void): TriageLogTruth {
  const o = { ...TRIAGE_LOG_DEFAULTS, ...opts };
  const r = new Rng(o.seed);
  const t0 = Date.parse(`${o.start}T00:00:00Z`) * 1000;
  const end = t0 + o.days * 86400e6;
  const changeUs = t0 + Math.round(o.changeAtDay * 24) * 3600e6 + 17 * 60e6;
  const truth: TriageLogTruth = { connections: 0, lateDenies: 0, idleDenies: 0, scanDenies: 0, changeUs };
  let id = 47000000;
  let carry: [number, string][] = [];
  const servers = Array.from({ length: 12 }, (_, i) => `10.20.30.${11 + i}`);
  const apps = Array.from({ length: 6 }, (_, i) => `10.20.30.${101 + i}`);
  const db = '10.20.40.5';
  const HOUR = 3600e6;

  for (let h = t0; h < end; h += HOUR) {
    const ev: [number, string][] = carry;
    carry = [];
    const swing = 0.75 + 0.5 * Math.sin(((h - t0) / 86400e6) * 2 * Math.PI - Math.PI / 2);
    const n = Math.round(o.perHour * swing * (0.9 + 0.2 * r.float()));
    for (let k = 0; k < n; k++) {
      const t = h + Math.floor(r.float() * HOUR);
      const c = `198.51.${r.int(0, 255)}.${r.int(1, 254)}`;
      const cp = r.int(1025, 65535);
      const s = r.pick(servers);
      const m = `203.0.113.${s.split('.')[3]}`;
      const cid = id++;
      truth.connections++;
      ev.push([t, `%ASA-6-302013: Built inbound TCP connection ${cid} for outside:${c}/${cp} (${c}/${cp}) to inside:${s}/443 (${m}/443)`]);
      const life = r.exp(20e6) + 50e3;
      const te = t + life;
      const late = r.chance(te >= changeUs ? o.lateAfter : o.lateBefore);
      const x = r.float();
      const reason = late || x < 0.8 ? `TCP FINs from ${r.chance(0.7) ? 'inside' : 'outside'}` : x < 0.9 ? 'TCP Reset-I from inside' : x < 0.97 ? 'TCP Reset-O from outside' : 'SYN Timeout';
      ev.push([te, `%ASA-6-302014: Teardown TCP connection ${cid} for outside:${c}/${cp} to inside:${s}/443 duration ${dur(life / 1e6)} bytes ${r.int(300, 2_000_000)} ${reason}`]);
      if (late) {
        truth.lateDenies++;
        ev.push([te + 1, `%ASA-6-106015: Deny TCP (no connection) from ${s}/443 to ${c}/${cp} flags RST  on interface inside`]);
      }
    }
    // The database pool: connections the firewall removes for inactivity; the app writes again minutes later.
    const idle = Math.round(o.idlePerHour * (0.8 + 0.4 * r.float()));
    for (let k = 0; k < idle; k++) {
      const t = h + Math.floor(r.float() * HOUR);
      const a = r.pick(apps);
      const ap = r.int(32768, 60999);
      const cid = id++;
      const timeout = r.chance(0.5) ? 'Conn-timeout' : 'Idle Timeout';
      const life = (timeout === 'Conn-timeout' ? 3600 : 3600 + r.int(0, 1800)) * 1e6;
      truth.connections++;
      truth.idleDenies++;
      ev.push([t, `%ASA-6-302013: Built outbound TCP connection ${cid} for dmz:${db}/5432 (${db}/5432) to inside:${a}/${ap} (${a}/${ap})`]);
      ev.push([t + life, `%ASA-6-302014: Teardown TCP connection ${cid} for dmz:${db}/5432 to inside:${a}/${ap} duration ${dur(life / 1e6)} bytes ${r.int(2000, 90000)} ${timeout}`]);
      ev.push([t + life + r.int(60, 600) * 1e6, `%ASA-6-106015: Deny TCP (no connection) from ${a}/${ap} to ${db}/5432 flags PSH ACK  on interface inside`]);
    }
    const scans = Math.round(o.scansPerHour * r.float() * 2);
    for (let k = 0; k < scans; k++) {
      truth.scanDenies++;
      ev.push([h + Math.floor(r.float() * HOUR), `%ASA-6-106015: Deny TCP (no connection) from 192.0.2.${r.int(1, 254)}/${r.int(1025, 65535)} to 203.0.113.${r.int(1, 30)}/443 flags ACK  on interface outside`]);
    }
    if (changeUs >= h && changeUs < h + HOUR) {
      ev.push([changeUs, "%ASA-5-111008: User 'admin' executed the 'access-list outside_in extended permit tcp any object web-servers eq https' command."]);
    }
    const next = h + HOUR;
    const now = ev.filter((e) => e[0] < next || next >= end);
    carry = ev.filter((e) => e[0] >= next && next < end);
    now.sort((a, b) => a[0] - b[0]);
    out(now.map(([t, line]) => stamp(t) + line + '\n').join(''));
  }
  return truth;
}

/** The whole log as one string (small logs, tests). */
export function triageLogText(opts: Partial<TriageLogOptions> = {}): { text: string; truth: TriageLogTruth } {
  const parts: string[] = [];
  const truth = generateTriageLog(opts, (c) => parts.push(c));
  return { text: parts.join(''), truth };
}
