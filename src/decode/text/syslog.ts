/**
 * Cisco ASA / Firepower FTD syslog decoder (formats.md §1; Cisco "Secure Firewall ASA Series Syslog Messages").
 * Grammar: `<any header: relay stamp, <PRI>, stamp, device> %ASA-<level>-<NNNNNN>: <message text>` per line, e.g.
 *   `Wed Jun 20 11:58:46 2018;; <167>Jun 20 2018 11:58:45 : %ASA-7-302013: Built inbound TCP connection 47772320 for OUTSIDE:198.51.100.77/55132 (198.51.100.77/55132) to INSIDE:10.20.30.15/443 (203.0.113.15/443)`
 * Speed: the tag is found with indexOf, the ID read as a number, and only IDs in SUPPORTED_IDS get their header
 * and body parsed (targeted indexOf code, no regular expressions per line); other IDs are only counted.
 * Each line is a slice of its decoded chunk, where charCodeAt loops and startsWith(variable) cost more than
 * indexOf/startsWith(literal) and substring-then-===; the hot paths prefer the latter (measured with
 * instruction counts, see bench/syslog-bench.ts).
 * Years: a stamp without a year takes the year of the file's other lines (rolling over at Dec -> Jan), else
 * options.year, else the current year (with a warning). Stamps without a zone are taken as UTC.
 * Not handled: EMBLEM sequence-numbered headers beyond what the tag search skips, non-English month names,
 * multi-line messages.
 */
import type { ByteSource } from '../../lib/byte-source';
import { readTextInput } from './line-notes';
import { copyFirewallEvent, newFirewallEvent, type FirewallEvent } from '../../model/firewall';
import type { InputReport } from '../../model/report';
import type { DecodeOptions, InputSinks } from '../types';
import { createHeader, headerTimeUs, ZONE_AMBIGUOUS, type SyslogHeader } from './syslog-header';
import { HeaderCache, type CachedHeader } from './syslog-header-cache';
import { createSyslogFastPath, FAST_IDS } from './syslog-fast';
import { asciiText } from './syslog-fast-scan';
import { FirewallRecord, type FirewallRecordSink } from '../../model/firewall-record';
import { parseMessageBody, SUPPORTED_IDS } from './syslog-messages';
import { findTag, type TagMatch } from './syslog-tag';
import { createZoneNotes } from './syslog-zone-notes';
import { zoneOfOptions, type ZoneSpec } from './syslog-zones';
import { createContainerLines } from './containers/index';
import type { MessageLineSink, OuterFields } from './message-line';

const idTexts = new Map<number, string>();
/** One shared string per message ID (not one per event). */
function idText(id: number): string {
  let t = idTexts.get(id);
  if (t === undefined) {
    t = String(id).padStart(6, '0');
    idTexts.set(id, t);
  }
  return t;
}

interface Pending {
  /** A copy of the scratch event (held until its year is known), and its line for the sink. */
  ev: FirewallEvent;
  text: string;
  at: number;
  month: number;
  day: number;
  secondOfDay: number;
  fracUs: number;
  tzOffsetMin: number;
}

interface IdCell {
  id: number;
  n: number;
  supported: boolean;
  /** The fast path reads this ID (FAST_IDS). */
  fast: boolean;
  text: string;
  /** `text` interned in the record sink's names (-1 until the fast path first needs it): no string per line. */
  name: number;
}

/** Resets the scratch event for the next line (one object reused for every line: sinks copy what they keep). */
function resetEvent(ev: FirewallEvent, line: number, messageId: string, severity: number, h: SyslogHeader): FirewallEvent {
  ev.line = line;
  ev.device = h.device;
  ev.timeUs = NaN;
  ev.precisionUs = h.precisionUs;
  ev.messageId = messageId;
  ev.severity = severity;
  ev.kind = 'deny';
  ev.connId = null;
  ev.protocol = null;
  ev.direction = null;
  ev.initiator = null;
  ev.cause = null;
  ev.src = null;
  ev.dst = null;
  ev.reason = null;
  ev.teardownReason = null;
  ev.reasonSpelling = null;
  ev.iface = null;
  ev.tcpFlags = -1;
  ev.bytes = -1;
  ev.durationS = -1;
  ev.acl = null;
  ev.user = null;
  ev.inner = null;
  ev.icmp = null;
  ev.repeat = 1;
  ev.srcPackets = -1;
  ev.dstPackets = -1;
  ev.srcBytes = -1;
  ev.dstBytes = -1;
  return ev;
}

/** The message text of `message repeated N times: [ text]` wrappers; null when the body is not one. */
function unwrapRepeat(s: string, a: number): { text: string; times: number } | null {
  // 'm' first: a char test is cheaper than the startsWith call on nearly every line, which is not a repeat.
  if (s.charCodeAt(a) !== 109 || !s.startsWith('message repeated ', a)) return null;
  const open = s.indexOf('[', a);
  if (open < 0) return null;
  const times = parseInt(s.slice(a + 17), 10);
  let close = s.lastIndexOf(']');
  if (close < open) close = s.length;
  return { text: s.slice(open + 1, close).trim(), times: Number.isFinite(times) ? times : 1 };
}

export interface SyslogLineDecoder extends MessageLineSink {
  /** The fast path over a plain line's bytes (ASCII, no NUL); false when the line is to go to line() as text. */
  lineBytes(b: Uint8Array, start: number, end: number, lineNo: number): boolean;
  finish(): void;
}

/**
 * The per-line state machine, usable without a ByteSource (tests, the bench). `emit` gets every decoded event
 * in file order, as one reused scratch object valid only during the call (copyFirewallEvent keeps one), with
 * the line's text and where its message starts; counts per message ID are kept in `counts`.
 */
export function createSyslogLineDecoder(
  input: number,
  file: string,
  emit: (e: FirewallEvent, text: string, at: number) => void,
  options: Pick<DecodeOptions, 'year' | 'problems'> & { zone?: ZoneSpec | null; records?: FirewallRecordSink | null },
  report: Pick<InputReport, 'skipped'> & { firewallMessages?: Record<string, number>; firewallEvents?: number },
): SyslogLineDecoder & { counts: Map<number, IdCell>; events: number; tagged: number } {
  const headers = new HeaderCache();
  const zone = options.zone ?? null;
  const zoneNotes = createZoneNotes(options.problems, zone);
  const tag: TagMatch = { tagPos: 0, id: 0, severity: 0, bodyPos: 0 };
  // Per six-digit message ID: its count, whether a reader exists and its text (a cell: one lookup per line).
  const counts = new Map<number, IdCell>();
  /** The cells of recent IDs by a hash of the ID (in front of the map: one array read on most lines). */
  const recentCells: (IdCell | undefined)[] = new Array<IdCell | undefined>(256).fill(undefined);
  const cellOf = (id: number): IdCell => {
    const k = Math.imul(id, 0x9e3779b1) >>> 24;
    let cell = recentCells[k];
    if (cell !== undefined && cell.id === id) return cell;
    cell = counts.get(id);
    if (cell === undefined) counts.set(id, (cell = { id, n: 0, supported: SUPPORTED_IDS.has(id), fast: FAST_IDS.has(id), text: idText(id), name: -1 }));
    recentCells[k] = cell;
    return cell;
  };
  let fileYear = -1;
  let lastMonth = -1;
  let pending: Pending[] = [];
  let unparsedWarned = 0;
  // The fast path into the store's records, when the sink takes records (syslog-fast.ts).
  const records = options.records ?? null;
  const fast = records ? createSyslogFastPath(records.names, !!records.addressCodes) : null;
  const rec = new FirewallRecord();
  rec.input = input;
  const scratch = createHeader(); // for pending stamps, so `h` stays the last parsed header
  const ev0 = newFirewallEvent(input, file); // the one event every line is parsed into
  const state = {
    counts,
    events: 0,
    tagged: 0,
    line,
    lineBytes,
    finish,
  };

  /** A line held until its year was known: stamp it with that year and emit it. */
  const emitPending = (p: (typeof pending)[number], year: number): void => {
    scratch.month = p.month;
    scratch.day = p.day;
    scratch.secondOfDay = p.secondOfDay;
    scratch.fracUs = p.fracUs;
    scratch.tzOffsetMin = p.tzOffsetMin;
    p.ev.timeUs = headerTimeUs(scratch, year, zone);
    emit(p.ev, p.text, p.at);
  };
  const flushPending = (year: number, knownMonth: number): void => {
    for (const p of pending) {
      // A pending Dec stamp before a known Jan line belongs to the year before.
      const y = knownMonth >= 0 && p.month > knownMonth + 6 ? year - 1 : year;
      emitPending(p, y);
    }
    pending = [];
  };

  function line(s: string, lineNo: number, outer?: OuterFields | null): void {
    if (!findTag(s, tag)) return;
    state.tagged++;
    const id = tag.id;
    const cell = cellOf(id);
    cell.n++;
    if (!cell.supported) return;
    // Consecutive lines usually share their header (same second, same device): parse it once. (Comparing a
    // substring with === is faster in V8 than startsWith or a charCodeAt loop on these sliced strings.)
    const head = headers.get(s, tag.tagPos);
    const h = head.h;
    const hasStamp = head.hasStamp;
    if (h.zoneIssue !== 0) zoneNotes.note(h, lineNo);
    const ev = resetEvent(ev0, lineNo, cell.text, tag.severity, h);
    if (outer && ev.device === '' && outer.host !== '') ev.device = outer.host;
    let ok: boolean;
    const wrapped = unwrapRepeat(s, tag.bodyPos);
    if (wrapped) {
      ev.repeat = wrapped.times;
      ok = parseMessageBody(id, wrapped.text, 0, ev);
    } else {
      ok = parseMessageBody(id, s, tag.bodyPos, ev);
    }
    if (!ok) {
      const key = `unparsed ${id}`;
      report.skipped[key] = (report.skipped[key] ?? 0) + 1;
      if (unparsedWarned++ < 20) options.problems.warn(`message ${id} is not in a shape Teardown reads; counted only`, { line: lineNo });
      return;
    }
    state.events++;
    const at = tag.bodyPos;
    if (outer && outer.timeUs === outer.timeUs && (!hasStamp || h.year < 0)) {
      // An export row: its time column stands in for a missing stamp (an export's _time, @timestamp), or
      // gives the year of a stamp without one.
      ev.timeUs = hasStamp ? headerTimeUs(h, new Date(outer.timeUs / 1000).getUTCFullYear(), zone) : outer.timeUs;
      emit(ev, s, at);
      return;
    }
    if (!hasStamp) {
      ev.precisionUs = NaN;
      if (pending.length) pending.push({ ev: copyFirewallEvent(ev), text: s, at, month: -1, day: 0, secondOfDay: 0, fracUs: 0, tzOffsetMin: NaN });
      else emit(ev, s, at);
      return;
    }
    if (h.year >= 0 || fileYear >= 0) {
      ev.timeUs = stampedTime(head);
      if (pending.length) flushPending(fileYear, lastMonth);
      emit(ev, s, at);
      return;
    }
    // An ambiguous zone read in the zone option is stored as "no zone", which the option then reads.
    const tz = zone !== null && h.zoneIssue === ZONE_AMBIGUOUS ? NaN : h.tzOffsetMin;
    pending.push({ ev: copyFirewallEvent(ev), text: s, at, month: h.month, day: h.day, secondOfDay: h.secondOfDay, fracUs: h.fracUs, tzOffsetMin: tz });
  }

  /**
   * The fast path (syslog-fast.ts), over the bytes b[start, end) of a plain line (ASCII, no NUL): a line with the
   * canonical tag and a stamp whose year is known, whose message the fast path reads, goes to the store as a record
   * (and a message id with no reader is only counted). False: nothing was done; the line is to go to line() as text.
   */
  function lineBytes(b: Uint8Array, start: number, end: number, lineNo: number): boolean {
    if (fast === null) return false;
    // `%ASA-D-NNNNNN:` or `%FTD-...` at the first '%' (syslog-tag.ts canonicalAt): right after a header seen before
    // (most lines), else searched for.
    let head = headers.startOf(b, start, end);
    let p: number;
    if (head !== null) p = start + head.len;
    else {
      p = start;
      while (p < end && b[p] !== 37) p++;
    }
    if (p + 14 > end) return false;
    const f = b[p + 1];
    if (f === 65) {
      if (b[p + 2] !== 83 || b[p + 3] !== 65) return false;
    } else if (f !== 70 || b[p + 2] !== 84 || b[p + 3] !== 68) return false;
    const level = b[p + 5] - 48;
    if (b[p + 4] !== 45 || b[p + 6] !== 45 || !(level >= 0 && level <= 9)) return false;
    let id = 0;
    for (let k = p + 7; k < p + 13; k++) {
      const d = b[k] - 48;
      if (!(d >= 0 && d <= 9)) return false;
      id = id * 10 + d;
    }
    if (b[p + 13] !== 58) return false;
    const cell = cellOf(id);
    if (cell.supported) {
      if (!cell.fast) return false;
      head ??= headers.getBytes(b, start, p);
      if (head === null || !head.hasStamp || pending.length !== 0 || (head.h.year < 0 && fileYear < 0)) return false;
      let a = p + 14;
      while (a < end && b[a] === 32) a++;
      if (!fast.parse(id, b, a, end, rec)) return false;
      const h = head.h;
      if (h.zoneIssue !== 0) zoneNotes.note(h, lineNo);
      state.events++;
      if (head.device < 0) head.device = records!.names.idFew(h.device);
      rec.device = head.device;
      rec.line = lineNo;
      if (cell.name < 0) cell.name = records!.names.id(cell.text);
      rec.messageId = cell.name;
      rec.precisionUs = h.precisionUs;
      rec.timeUs = stampedTime(head);
      if (records!.wantsText) records!.addRecord(rec, asciiText(b, start, end), a - start);
      else records!.addRecord(rec);
    }
    state.tagged++;
    cell.n++;
    return true;
  }

  /**
   * The time of a stamped line once the file's year is known: its own year (which becomes the file's), else the
   * file's, rolling over at Dec -> Jan (a Dec line after a Jan one belongs to the year before).
   */
  function stampedTime(head: CachedHeader): number {
    const h = head.h;
    let y: number;
    if (h.year >= 0) {
      y = fileYear = h.year;
      lastMonth = h.month;
    } else {
      if (lastMonth >= 0 && h.month < lastMonth - 6) fileYear++;
      y = lastMonth >= 0 && h.month > lastMonth + 6 ? fileYear - 1 : fileYear;
      if (y === fileYear) lastMonth = h.month;
    }
    if (head.timeYear !== y) {
      head.timeUs = headerTimeUs(h, y, zone);
      head.timeYear = y;
    }
    return head.timeUs;
  }

  function finish(): void {
    if (pending.length) {
      let year = options.year;
      if (year === undefined) {
        year = new Date().getUTCFullYear();
        options.problems.warn(`the time stamps have no year and nothing else tells it; assumed ${year} (set a year to change it)`, {
          line: pending[0].ev.line,
        });
      }
      // Walk the pending stamps forward, rolling the year over at Dec -> Jan.
      let y = year;
      let last = -1;
      for (const p of pending) {
        if (p.month < 0) {
          emit(p.ev, p.text, p.at);
          continue;
        }
        if (last >= 0 && p.month < last - 6) y++;
        last = p.month;
        emitPending(p, y);
      }
      pending = [];
    }
    if (unparsedWarned > 20) {
      options.problems.warn(`${unparsedWarned - 20} more lines with a supported message ID are not in a shape Teardown reads (counted in skipped)`);
    }
    const byId: Record<string, number> = {};
    for (const [id, c] of [...counts].sort((a, b) => a[0] - b[0])) byId[idText(id)] = c.n;
    report.firewallMessages = byId;
    report.firewallEvents = state.events;
  }

  return state;
}

/** Decodes one ASA/FTD syslog input, streaming it line by line; events go to sinks.firewall. */
export async function decodeSyslog(
  source: ByteSource,
  input: number,
  sinks: InputSinks,
  options: DecodeOptions,
  report: InputReport,
): Promise<void> {
  const sink = sinks.firewall;
  const zone = zoneOfOptions(options);
  const dec = createSyslogLineDecoder(input, source.name, (e, text, at) => sink?.event(e, text, at), { ...options, zone, records: sink?.records }, report);
  const lines = createContainerLines(dec, options.problems, zone, report.skipped);
  const res = await readTextInput(source, lines.visit, options, report,
    (b, start, end, lineNo) => lines.plain() && dec.lineBytes(b, start, end, lineNo));
  const container = lines.finish();
  if (container) report.container = container;
  dec.finish();
  const untagged = res.lines - dec.tagged;
  if (untagged > 0) report.skipped['no firewall tag'] = (report.skipped['no firewall tag'] ?? 0) + untagged;
  if (dec.tagged === 0 && res.lines > 0) options.problems.warn('no %ASA-/%FTD- message found in this input', { line: 1 });
}
