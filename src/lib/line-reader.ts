/**
 * Streams a ByteSource as text lines: UTF-8 (invalid bytes become U+FFFD), LF or CRLF line ends,
 * a last line without a newline is still delivered. Works over source.slices(), so a file is never
 * held whole; each slice is decoded once and lines are cut with indexOf (no per-line decoder call).
 *
 * Byte offsets are exact for ASCII and valid UTF-8; a slice whose decoded length equals its byte
 * length is taken to be ASCII (a slice made only of invalid single bytes could drift the offsets).
 */
import type { ByteSource } from './byte-source';

/** Called for every line: text without its line end, 1-based line number, byte offset of its first byte. */
export type LineVisitor = (line: string, lineNo: number, byteOffset: number) => void;

export interface LineReadOptions {
  /** Lines longer than this (in characters) are cut: the rest up to the next newline is skipped. */
  maxLineLength?: number;
  /** Told about every cut line. */
  onLongLine?: (lineNo: number, byteOffset: number) => void;
  onProgress?: (bytesRead: number) => void;
  /** Checked between slices; true stops reading (lines so far are kept). */
  isCancelled?: () => boolean;
  sliceSize?: number;
}

export interface LineReadResult {
  lines: number;
  bytes: number;
  cancelled: boolean;
}

const DEFAULT_MAX_LINE = 64 * 1024;

/** UTF-8 length of a JS string (surrogate pairs count 4). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

export async function readLines(source: ByteSource, visit: LineVisitor, options: LineReadOptions = {}): Promise<LineReadResult> {
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let carry = '';
  let carryAscii = true;
  let skipping = false; // inside an over-long line, dropping text up to the next newline
  let lineNo = 0;
  let offset = 0; // byte offset of the start of the text in `carry`
  let bytes = 0;
  let cancelled = false;
  let bom = true;

  const handle = (text: string, ascii: boolean, final: boolean): void => {
    let start = 0;
    const n = text.length;
    while (start < n) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const len = nl - start;
      const raw = ascii ? len + 1 : utf8Length(text.slice(start, nl)) + 1;
      if (skipping) {
        skipping = false;
      } else {
        let end = nl;
        if (end > start && text.charCodeAt(end - 1) === 13) end--;
        lineNo++;
        if (end - start > maxLine) {
          options.onLongLine?.(lineNo, offset);
          visit(text.slice(start, start + maxLine), lineNo, offset);
        } else {
          visit(text.slice(start, end), lineNo, offset);
        }
      }
      offset += raw;
      start = nl + 1;
    }
    const rest = start === 0 ? text : text.slice(start);
    if (final) {
      if (rest.length > 0 && !skipping) {
        let end = rest.length;
        if (rest.charCodeAt(end - 1) === 13) end--;
        lineNo++;
        visit(end > maxLine ? rest.slice(0, maxLine) : rest.slice(0, end), lineNo, offset);
      }
      carry = '';
      return;
    }
    if (rest.length > maxLine && !skipping) {
      // An over-long line: deliver its head now, drop the rest up to the next newline.
      lineNo++;
      options.onLongLine?.(lineNo, offset);
      visit(rest.slice(0, maxLine), lineNo, offset);
      offset += ascii ? rest.length : utf8Length(rest);
      skipping = true;
      carry = '';
      carryAscii = true;
      return;
    }
    if (skipping) {
      offset += ascii ? rest.length : utf8Length(rest);
      carry = '';
      carryAscii = true;
      return;
    }
    carry = rest;
    carryAscii = ascii;
  };

  for await (const slice of source.slices(0, options.sliceSize)) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    bytes += slice.length;
    let decoded = decoder.decode(slice, { stream: true });
    if (bom) {
      bom = false;
      if (decoded.charCodeAt(0) === 0xfeff) {
        decoded = decoded.slice(1);
        offset += 3;
      }
    }
    const ascii = decoded.length === slice.length;
    const text = carry.length ? carry + decoded : decoded;
    handle(text, ascii && carryAscii, false);
    options.onProgress?.(bytes);
  }
  if (!cancelled) {
    const tail = decoder.decode();
    handle(carry + tail, carryAscii && tail.length === 0, true);
  } else if (carry.length) {
    handle(carry, carryAscii, true);
  }
  return { lines: lineNo, bytes, cancelled };
}
