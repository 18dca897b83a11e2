/**
 * Log containers in front of the syslog line decoder: exports and collectors that wrap each syslog line in a
 * row of their own (CSV with a header, JSON lines, Kiwi's tab-separated columns). The first non-empty line says
 * which container a file is; every later line is unwrapped to its message text plus the container's time and
 * host (OuterFields, one reused object), which the line decoder uses where the message's own header lacks them.
 * Plain syslog lines pass straight through (one comparison per line). Rows without a message are counted and
 * the first few named; nothing is dropped silently.
 */
import type { ProblemLog } from '../../../model/problems';
import type { MessageLineSink, OuterFields } from '../message-line';
import type { ZoneSpec } from '../syslog-zones';
import { csvLayout, MAX_RECORD, splitCsv, type CsvLayout } from './csv';
import { readJsonLine } from './json-line';
import { readKiwiLine } from './kiwi';
import { parseContainerStamp } from './stamp';

export type ContainerKind = 'csv' | 'json-lines' | 'kiwi';

const PLAIN = 0;
const CSV = 1;
const JSON_LINES = 2;
const KIWI = 3;

export interface ContainerLines {
  visit(line: string, lineNo: number): void;
  /** Whether the file is known to be plain syslog lines (each goes to the line decoder as it is). */
  plain(): boolean;
  /** Flushes a record still open at the end; returns the container the file was (null: plain lines). */
  finish(): ContainerKind | null;
}

export function createContainerLines(
  dec: MessageLineSink,
  problems: ProblemLog,
  zone: ZoneSpec | null,
  skipped: Record<string, number>,
): ContainerLines {
  let mode = -1;
  let layout: CsvLayout | null = null;
  let pending: string | null = null;
  let pendingLine = 0;
  let warned = 0;
  const outer: OuterFields = { timeUs: NaN, host: '' };
  const localOffset = zone ? (ms: number) => zone.offsetAt(ms) : () => 0;

  const skip = (key: string, lineNo: number, why: string) => {
    skipped[key] = (skipped[key] ?? 0) + 1;
    if (warned++ < 10) problems.warn(why, { line: lineNo });
  };
  const setOuter = (time: string | null, host: string | null) => {
    outer.timeUs = time ? parseContainerStamp(time, localOffset) : NaN;
    outer.host = host ? host.trim() : '';
  };

  function csvRecord(record: string, lineNo: number): void {
    const { fields } = splitCsv(record, layout!.delimiter);
    const message = fields[layout!.message];
    if (message === undefined || message.trim() === '') {
      if (record.trim() !== '') skip('export row without a message', lineNo, 'export row has no message column; skipped');
      return;
    }
    setOuter(layout!.time >= 0 ? fields[layout!.time] ?? null : null, layout!.host >= 0 ? fields[layout!.host] ?? null : null);
    // A message may hold several lines (a multi-line record): each is a syslog line of its own.
    if (message.indexOf('\n') < 0) dec.line(message, lineNo, outer);
    else for (const part of message.split(/\r?\n/)) dec.line(part, lineNo, outer);
  }

  function csvLine(line: string, lineNo: number): void {
    let record = line;
    if (pending !== null) {
      record = `${pending}\n${line}`;
      lineNo = pendingLine;
      pending = null;
    }
    if (splitCsv(record, layout!.delimiter).open) {
      if (record.length > MAX_RECORD) {
        problems.warn(`export record open (an unclosed quote) for more than ${MAX_RECORD} characters; read up to here`, { line: lineNo });
        csvRecord(record, lineNo);
        return;
      }
      pending = record;
      pendingLine = lineNo;
      return;
    }
    csvRecord(record, lineNo);
  }

  function detect(line: string, lineNo: number): void {
    const t = line.trimStart();
    if (t === '') return;
    if (t.charCodeAt(0) === 123 || t.charCodeAt(0) === 91) mode = JSON_LINES;
    else if ((layout = csvLayout(t)) !== null) {
      mode = CSV;
      return; // the header row
    } else if (readKiwiLine(line)) mode = KIWI;
    else mode = PLAIN;
    visit(line, lineNo);
  }

  function visit(line: string, lineNo: number): void {
    if (mode === PLAIN) {
      dec.line(line, lineNo, null);
      return;
    }
    if (mode < 0) {
      detect(line, lineNo);
      return;
    }
    if (mode === CSV) {
      csvLine(line, lineNo);
      return;
    }
    if (mode === JSON_LINES) {
      const c = line.trimStart().charCodeAt(0);
      if (c !== 123 && c !== 91) {
        if (c === 93 || line.trim() === '') return; // `]` closing an array export, blank lines
        dec.line(line, lineNo, null);
        return;
      }
      const j = readJsonLine(line);
      if (j === null || j.message === null) {
        if (line.trim() !== '[') skip('export row without a message', lineNo, 'JSON line has no message field (_raw, message, event.original); skipped');
        return;
      }
      setOuter(j.time, j.host);
      dec.line(j.message, lineNo, outer);
      return;
    }
    const k = readKiwiLine(line);
    if (k === null) {
      dec.line(line, lineNo, null);
      return;
    }
    setOuter(k.stamp, k.host);
    dec.line(line.slice(k.messageAt), lineNo, outer);
  }

  return {
    visit,
    plain: () => mode === PLAIN,
    finish(): ContainerKind | null {
      if (pending !== null) {
        problems.warn('the export ends inside a quoted field; read what was there', { line: pendingLine });
        csvRecord(pending, pendingLine);
        pending = null;
      }
      return mode === CSV ? 'csv' : mode === JSON_LINES ? 'json-lines' : mode === KIWI ? 'kiwi' : null;
    },
  };
}
