/**
 * Plain-language account of a firewall connection: who closed it per the log (the Teardown's normalised reason,
 * model/teardown-reasons.ts, its text as the vendor wrote it, and `from IFACE`) and what became of packets that came after (TCP packets denied for
 * no connection: model/firewall.ts isNoConnectionTcp, ASA 106015), named by the vendor's message id, timed to the captured packets when there are any, and saying how precise the log's stamps are.
 */
import { isNoConnectionTcp, type FirewallEvent } from '../../model/firewall';
import type { ConnectionReport, FirewallDeny, FirewallFacts } from '../../model/report';
import { inDateRange, isoTime, rawSeconds, secondOf } from '../../model/report';
import { FIN, RST, flagNames } from '../../model/segment';
import { DENY_CLASS } from '../../model/firewall-triage';
import type { FirewallConnection } from './materialize';
import { IDLE_DENY_WINDOW_S } from './join';
import { ipPort } from '../../model/endpoint-text';
import { teardownReasonEntry } from '../../model/teardown-reasons';
import { phrase, phraseText, type Ipv4Value, type Phrase } from '../../lib/phrase';

/** What an explanation reads of a deny event (a whole FirewallEvent will do). */
export type ExplainedDenyEvent = Pick<FirewallEvent, 'messageId' | 'timeUs' | 'kind' | 'cause' | 'protocol'>;
/**
 * An endpoint of a listed deny as an explanation reads it: its address as text, or (a writer of many: log-only.ts)
 * as an IPv4 value whose text is the same (lib/phrase.ts Ipv4Value).
 */
export type ExplainedEndpoint = { ip: string | Ipv4Value; port: number };
/** What an explanation reads of a listed deny (model/report.ts FirewallDeny; a whole one will do). */
export type ExplainedDeny = Pick<FirewallDeny, 'flags' | 'interface' | 'afterTeardownMs'> & { src: ExplainedEndpoint; dst: ExplainedEndpoint };
/** What the sentences about denies read of the connection's Teardown (a whole FirewallEvent will do). */
export type ExplainedTeardown = Pick<FirewallEvent, 'timeUs' | 'precisionUs' | 'reason'>;

export interface DenyTiming {
  deny: ExplainedDenyEvent;
  denyFacts: ExplainedDeny;
  sender: 'client' | 'server';
  /** Its class (model/firewall-triage.ts DENY_CLASS) for TCP no-connection denies. */
  cls?: number;
  /** The denied packet in the capture and the other side's close packet before it (connection timeline indexes). */
  packet: { index: number; timeUs: number; flags: number; cause: { index: number; timeUs: number; flags: number } | null } | null;
}

const clock = (t: number, precisionUs: number) => {
  if (!Number.isFinite(t)) return '?';
  if (!inDateRange(t)) return rawSeconds(t);
  const day = timeOfDay(t);
  if (precisionUs >= 1e6) return day;
  const digits = precisionUs >= 1000 ? 3 : 6;
  const frac = String(Math.floor(t % 1e6)).padStart(6, '0').slice(0, digits);
  return `${day}.${frac}`;
};

/** Seconds from the epoch to the year 10000: isoTime writes the years before it with four digits. */
const YEAR_10000_S = 253402300800;
const TWO = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** The last second timeOfDay wrote and its text (a deny's explanation asks for its own second, then the next deny's). */
let daySecond = NaN;
let dayText = '';

/**
 * isoTime(t).slice(11, 19): for a time from 1970 to the year 9999 its time of day, counted from the second without
 * making the date's text.
 */
export function timeOfDay(t: number): string {
  const second = secondOf(Math.floor(t));
  if (!(second >= 0 && second < YEAR_10000_S)) return isoTime(t).slice(11, 19);
  if (second !== daySecond) {
    const s = second % 86400;
    daySecond = second;
    dayText = `${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}`;
  }
  return dayText;
}

/**
 * gapText's texts by gap (at most GAP_TEXTS of them): a log's late denies mostly come a whole number of seconds after
 * their teardown, few distinct gaps written by the hundred thousand, and toFixed took ~40% of wording their sentences.
 */
const gapTexts = new Map<number, string>();
const GAP_TEXTS = 4096;

export function gapText(us: number): string {
  let text = gapTexts.get(us);
  if (text === undefined) {
    text = gapTextOf(us);
    if (gapTexts.size < GAP_TEXTS) gapTexts.set(us, text);
  }
  return text;
}

function gapTextOf(us: number): string {
  const a = Math.abs(us);
  if (a < 1000) return `${(us / 1000).toFixed(3)} ms`;
  if (a < 1e6) return `${(us / 1000).toFixed(1)} ms`;
  return `${(us / 1e6).toFixed(a < 10e6 ? 2 : 0)} s`;
}

/** Minutes and hours for the gaps after an idle timeout. */
function longGapText(us: number): string {
  if (us < 120e6) return gapText(us);
  const min = Math.round(us / 60e6);
  return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

const ep = (e: { ip: string; port: number }) => ipPort(e.ip, e.port);
/**
 * ep's text as a phrase, for the sentences written by the hundred thousand: a writer puts the address and the port
 * in its bytes apart (json-bytes.ts JoinedText) instead of a string joined per deny and flattened to be read.
 */
const epPhrase = (e: ExplainedEndpoint): Phrase => (typeof e.ip === 'string' && e.ip.includes(':') ? phrase`[${e.ip}]:${e.port}` : phrase`${e.ip}:${e.port}`);

function closePacketName(flags: number): string {
  if (flags & FIN && flags & RST) return 'FIN+RST';
  if (flags & RST) return 'RST';
  if (flags & FIN) return 'FIN';
  return flagNames(flags);
}

/** What an explanation reads of the report beside the connection and its denies (a whole report will do). */
export type ExplainedFacts = Pick<FirewallFacts, 'mapped' | 'duration' | 'bytes' | 'deniesNotListed'>;
export type ExplainedReport = Pick<ConnectionReport, 'client' | 'server'>;

/**
 * `brief` (log-only connections, possibly millions): skip the sentence restating the connection's endpoints and
 * times, which the report's own fields carry, and keep only who closed it and what came after.
 */
export function explainFirewall(c: FirewallConnection, f: ExplainedFacts, denies: DenyTiming[], r: ExplainedReport, brief = false): string {
  const parts: (string | Phrase)[] = [explainFirewallHead(c, f, r, brief)];
  explainDenies(c.teardown, c.teardown?.precisionUs ?? c.built?.precisionUs ?? 1e6, f.deniesNotListed, denies, parts);
  return parts.map(phraseText).join(' ');
}

/**
 * explainFirewall's first sentence: the connection and who closed it per the log. Brief, it reads only the
 * Teardown's reason and interface and the two sides' interfaces (a writer of many makes it once for each).
 */
export function explainFirewallHead(c: FirewallConnection, f: ExplainedFacts, r: ExplainedReport, brief: boolean): string {
  const dev = c.device ? ` on ${c.device}` : '';
  const cIf = c.client.iface ?? '?';
  const sIf = c.server.iface ?? '?';
  const mapped = f.mapped && (f.mapped.server.ip !== r.server.ip || f.mapped.server.port !== r.server.port)
    ? `, server mapped to ${ep(f.mapped.server)}`
    : f.mapped && (f.mapped.client.ip !== r.client.ip || f.mapped.client.port !== r.client.port) ? `, client mapped to ${ep(f.mapped.client)}` : '';
  const dir = c.direction ? `${c.direction}, ` : '';
  const td = c.teardown;
  let s = brief ? '' : `Firewall connection ${c.connId}${dev} (${dir}${cIf} ${ep(r.client)} to ${sIf} ${ep(r.server)}${mapped})`;
  if (c.built && !brief) s += ` was built at ${clock(c.built.timeUs, c.built.precisionUs)}`;
  if (td) {
    s += brief ? 'Torn down' : `${c.built ? ' and' : ' was'} torn down at ${clock(td.timeUs, td.precisionUs)}`;
    if (f.duration && !brief) s += ` after ${f.duration}`;
    if (f.bytes !== null && f.bytes !== undefined && !brief) s += ` (${f.bytes} bytes)`;
    const reason = teardownReasonEntry(td.teardownReason);
    if (td.reason) {
      const why = reason.explain;
      s += `: "${td.reason}"${td.iface ? ` from ${td.iface}` : ''}${why ? `, ${why}` : ''}`;
    }
    s += '.';
    if (td.iface && cIf !== sIf) {
      const side = td.iface === sIf ? `the server's side (${sIf})` : td.iface === cIf ? `the client's side (${cIf})` : null;
      const reset = reason.closes === RST;
      if (side) s += reset ? ` Per the log the RST came from ${side}.` : ` Per the log ${side} started the close.`;
    }
  } else if (brief) {
    s = 'No teardown is in the log (still open, or logged elsewhere).';
  } else {
    s += c.built ? '; no teardown is in the log (still open, or logged elsewhere).' : '.';
  }
  return s;
}

/**
 * The sentences after the first (pushed to `out`): what became of the TCP packets denied for no connection, how many
 * denies are not listed, and what else was logged for the connection. `td`: its Teardown (null: none logged);
 * `prec`: how precise the log's stamps are (µs). Phrases (lib/phrase.ts): a writer of many keeps their fixed words
 * as bytes once.
 */
export function explainDenies(td: ExplainedTeardown | null, prec: number, notListed: number | undefined, denies: readonly DenyTiming[], out: { push(p: string | Phrase): unknown }): void {
  for (const d of denies) {
    if (!isNoConnectionTcp(d.deny)) continue;
    const id = d.deny.messageId;
    const flags = d.denyFacts.flags || 'packet';
    const on = d.denyFacts.interface ? phrase` on ${d.denyFacts.interface}` : '';
    const sameSecond = td && Math.floor(td.timeUs / prec) === Math.floor(d.deny.timeUs / prec);
    const stampNote = prec >= 1e6
      ? sameSecond
        ? phrase` The log's stamps are whole seconds: teardown and deny are both stamped ${clock(d.deny.timeUs, prec)}.`
        : phrase` The log's stamps are whole seconds: the deny is stamped ${clock(d.deny.timeUs, prec)}.`
      : '';
    if (d.cls === DENY_CLASS['idle-timeout'] && td && d.denyFacts.afterTeardownMs !== null) {
      const when = d.denyFacts.afterTeardownMs < prec / 1000 ? 'in the same second as the firewall' : phrase`${longGapText(d.denyFacts.afterTeardownMs * 1000)} after the firewall`;
      out.push(
        phrase`A ${flags} from the ${d.sender} (${epPhrase(d.denyFacts.src)} to ${epPhrase(d.denyFacts.dst)}) came ${when} removed the connection for "${td.reason ?? 'timeout'}" and was denied as "no connection" (${id}${on}): ${IDLE_MEANS}${stampNote}`,
      );
    } else if (d.packet?.cause) {
      const gap = d.packet.timeUs - d.packet.cause.timeUs;
      const who = d.sender === 'client' ? "client's" : "server's";
      const other = d.sender === 'client' ? "server's" : "client's";
      out.push(
        phrase`The ${who} ${flags} (packet ${d.packet.index + 1}) came ${gapText(gap)} after the ${other} ${closePacketName(d.packet.cause.flags)} (packet ${d.packet.cause.index + 1}) ${ENDED_IT}${flags} as "no connection" (${id}${on}).${stampNote}`,
      );
    } else if (td && d.denyFacts.afterTeardownMs !== null) {
      const after = d.denyFacts.afterTeardownMs < prec / 1000 ? 'in the same second as the teardown' : phrase`${gapText(d.denyFacts.afterTeardownMs * 1000)} after the teardown`;
      out.push(
        phrase`A ${flags} from the ${d.sender} (${epPhrase(d.denyFacts.src)} to ${epPhrase(d.denyFacts.dst)}) came ${after} and was denied as "no connection" (${id}${on}): a late packet of this connection.${stampNote}`,
      );
    }
  }
  if (notListed) out.push(phrase`${notListed} more denies of this connection are counted but not listed.`);
  let others: Map<string, number> | null = null;
  for (const d of denies) if (!isNoConnectionTcp(d.deny)) (others ??= new Map()).set(d.deny.messageId, (others.get(d.deny.messageId) ?? 0) + 1);
  if (others) out.push(`Also logged for this connection: ${[...others].map(([id, n]) => `${n}× ${id}`).join(', ')}.`);
}

const IDLE_MEANS = phrase`the endpoints were still using a connection the firewall had forgotten, so its timeout is shorter than the application's idle time or keep-alive interval. Raising that timeout or enabling keep-alives is the usual fix. (Denies up to ${IDLE_DENY_WINDOW_S / 3600} h after a timeout are counted as this.)`;
const ENDED_IT = phrase`that ended the connection on the firewall, so the firewall had already torn it down and denied the `;
