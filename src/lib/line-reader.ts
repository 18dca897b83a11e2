/**
 * Streams a ByteSource as text lines: UTF-8 (invalid bytes become U+FFFD), LF or CRLF line ends, a UTF-8 BOM
 * skipped, a last line without a newline still delivered. Works over source.slices(), so a file is never held
 * whole: each slice is decoded once up to its last newline (the tail waits, as bytes, for the next slice) and
 * lines are cut with indexOf (no per-line decoder call). Byte offsets are exact.
 */
import type { ByteSource } from './byte-source';

/** Called for every line: text without its line end, 1-based line number, byte offset of its first byte. */
export type LineVisitor = (line: string, lineNo: number, byteOffset: number) => void;

export interface LineReadOptions {
  /** Lines longer than this (in characters) are cut: the rest up to the next newline is skipped. */
  maxLineLength?: number;
  /** Told about every cut line. */
  onLongLine?: (lineNo: number, byteOffset: number) => void;
  /**
   * Told about lines with NUL bytes (a preallocated or damaged file; the NULs are removed from the line) and lines
   * whose bytes are not valid UTF-8 (each bad sequence reads as U+FFFD).
   */
  onDamagedLine?: (lineNo: number, byteOffset: number, what: 'nul' | 'utf8') => void;
  onProgress?: (bytesRead: number) => void;
  /**
   * Offered every line of a piece that is all ASCII without NUL (so a line's text is its bytes) before any text is
   * made of it: bytes[start, end) without its line end, its number and byte offset. True: the line was read (no
   * text is made, `visit` is not called); false: it goes to `visit` as text like any other line.
   */
  visitBytes?: (bytes: Uint8Array, start: number, end: number, lineNo: number, byteOffset: number) => boolean;
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
/** Bytes made into one string at a time (see readLines). */
const PIECE = 64 * 1024;

/**
 * A faster way to turn bytes that are all ASCII into a string, installed by a host that has one (the command
 * line: Node 20's TextDecoder reads UTF-8 at ~180 MB/s, Buffer's isAscii + latin1 at ~3 GB/s); returns null when
 * the bytes are not all ASCII (then TextDecoder reads them). Browsers' TextDecoder is fast enough without it.
 */
let asciiText: ((bytes: Uint8Array) => string | null) | null = null;
/** The host's test for all-ASCII bytes (the command line: Buffer's isAscii), for visitBytes; else a loop here. */
let isAsciiBytes: ((bytes: Uint8Array) => boolean) | null = null;
/**
 * The same bytes as a view whose indexOf is faster, for cutting lines for visitBytes (the command line: a Buffer,
 * whose indexOf is memchr, ~3x a Uint8Array's on 155-byte lines); else the bytes themselves.
 */
let searchView: ((bytes: Uint8Array) => Uint8Array) | null = null;
export function setAsciiDecoder(
  f: ((bytes: Uint8Array) => string | null) | null,
  isAscii: ((bytes: Uint8Array) => boolean) | null = null,
  view: ((bytes: Uint8Array) => Uint8Array) | null = null,
): void {
  asciiText = f;
  isAsciiBytes = isAscii;
  searchView = view;
}

/**
 * Whether every byte is below 128: four bytes at a time (an Int32 view over the aligned middle), four words per
 * step. A byte at a time this was a third of the browser worker's CPU on a 5 M-line log (6.2 of 19.4 s in a
 * Chromium profile); words read it ~6x faster.
 */
function allAscii(b: Uint8Array): boolean {
  if (isAsciiBytes) return isAsciiBytes(b);
  const n = b.length;
  let or = 0;
  let i = 0;
  for (const head = Math.min(n, (4 - (b.byteOffset & 3)) & 3); i < head; i++) or |= b[i];
  const words = (n - i) >> 2;
  if (words > 0) {
    const w = new Int32Array(b.buffer, b.byteOffset + i, words);
    let k = 0;
    for (; k + 4 <= words; k += 4) or |= w[k] | w[k + 1] | w[k + 2] | w[k + 3];
    for (; k < words; k++) or |= w[k];
    i += words * 4;
  }
  for (; i < n; i++) or |= b[i];
  return (or & 0x80808080) === 0;
}

/**
 * The browser's way to check and cut a piece (a host without searchView): one pass, four bytes at a time, that
 * writes the offsets of b's LFs into `ends` and returns how many, or -1 when b holds a NUL or a byte above 127.
 * In Chromium, indexOf(0) over the piece, allAscii, then indexOf(10) per line took 32% of the log decoder's
 * time (u1m.log, in a worker: 0.39 of 1.24 s), the per-line indexOf alone 18%: a typed array's indexOf is a call
 * into the runtime, not the memchr that a Node Buffer's is. `ends` has room for b.length offsets.
 */
function lineEnds(b: Uint8Array, ends: Int32Array): number {
  const n = b.length;
  let count = 0;
  let or = 0;
  let i = 0;
  for (const head = Math.min(n, (4 - (b.byteOffset & 3)) & 3); i < head; i++) {
    const c = b[i];
    if (c === 0) return -1;
    if (c === 10) ends[count++] = i;
    or |= c;
  }
  const words = (n - i) >> 2;
  if (words > 0) {
    const w = new Int32Array(b.buffer, b.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      const x = w[k];
      or |= x;
      const y = x ^ 0x0a0a0a0a;
      // A zero byte in x (a NUL) or in y (an LF) sets its high bit here (bytes above it may be set too, by the borrow):
      // then the four bytes one by one.
      if ((((x - 0x01010101) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) {
        for (let j = i + k * 4, e = j + 4; j < e; j++) {
          const c = b[j];
          if (c === 0) return -1;
          if (c === 10) ends[count++] = j;
        }
      }
    }
    i += words * 4;
  }
  for (; i < n; i++) {
    const c = b[i];
    if (c === 0) return -1;
    if (c === 10) ends[count++] = i;
    or |= c;
  }
  return (or & 0x80808080) === 0 ? count : -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export async function readLines(source: ByteSource, visit: LineVisitor, options: LineReadOptions = {}): Promise<LineReadResult> {
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  // Not streaming: each decode call gets whole lines (a slice's bytes up to its last LF), which keeps every UTF-8
  // sequence whole and is ~3x faster in Node than decode(..., { stream: true }).
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let carry: Uint8Array | null = null; // bytes of a line begun in an earlier slice
  let skipping = false; // inside an over-long line: dropping bytes up to its newline
  let lineNo = 0;
  let offset = 0; // byte offset of the next line's first byte
  let bytes = 0;
  let cancelled = false;
  let ends: Int32Array | null = null; // lineEnds' offsets, for a host without searchView

  const damaged = options.onDamagedLine;
  const strict = damaged ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : null;
  /**
   * One line (without its LF) that took `consumed` bytes of the input, LF included; `cut`: its head only. `check`:
   * look for NULs and invalid UTF-8 (`bytes`: the line's bytes, when it may hold invalid UTF-8).
   */
  const emit = (line: string, consumed: number, cut = false, check = true, bytes?: Uint8Array): void => {
    let text = line;
    let at = offset;
    if (lineNo === 0 && text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1); // UTF-8 byte order mark
      at += 3;
    }
    if (!cut && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    lineNo++;
    if (damaged && check) {
      if (text.indexOf('\0') >= 0) {
        damaged(lineNo, at, 'nul');
        text = text.replace(/\0+/g, '');
      }
      if (bytes && text.indexOf('\ufffd') >= 0) {
        try {
          strict!.decode(bytes); // U+FFFD written as such is valid
        } catch {
          damaged(lineNo, at, 'utf8');
        }
      }
    }
    if (cut || text.length > maxLine) {
      options.onLongLine?.(lineNo, at);
      if (text.length > maxLine) text = text.slice(0, maxLine);
    }
    visit(text, lineNo, at);
    offset += consumed;
  };

  /**
   * The lines of a piece that is all ASCII without NUL, offered to visitBytes one by one; those it does not take
   * are made text one by one. (The first line never comes here: it may hold a byte order mark.)
   */
  const pieceBytes = (body: Uint8Array, visitBytes: NonNullable<LineReadOptions['visitBytes']>, ends: Int32Array | null, count: number): void => {
    let st = 0;
    let text: string | null = null; // the piece's text, made at its first line that is not taken (ASCII: same indices)
    for (let k = 0; ; k++) {
      // `ends`: the piece's LFs, found by lineEnds; else searched for line by line.
      const nl = ends === null ? body.indexOf(10, st) : k < count ? ends[k] : -1;
      if (nl < 0) break;
      let e = nl;
      if (e > st && body[e - 1] === 13) e--;
      if (e - st > maxLine || !visitBytes(body, st, e, lineNo + 1, offset)) {
        text ??= (asciiText ? asciiText(body) : null) ?? decoder.decode(body);
        emit(text.slice(st, nl), nl - st + 1, false, false);
      } else {
        lineNo++;
        offset += nl - st + 1;
      }
      st = nl + 1;
    }
  };

  for await (const slice of source.slices(0, options.sliceSize)) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    bytes += slice.length;
    let pos = 0;
    if (carry !== null || skipping) {
      const nl = slice.indexOf(10, pos);
      if (nl < 0) {
        if (skipping) offset += slice.length - pos;
        else {
          carry = concat(carry!, slice.subarray(pos));
          if (carry.length > maxLine) {
            // An over-long line: deliver its head now, skip the rest up to its newline.
            emit(decoder.decode(carry.subarray(0, maxLine)), carry.length, true);
            carry = null;
            skipping = true;
          }
        }
        options.onProgress?.(bytes);
        continue;
      }
      if (skipping) {
        offset += nl + 1 - pos;
        skipping = false;
      } else {
        const line = concat(carry!, slice.subarray(pos, nl));
        emit(decoder.decode(line), line.length + 1, false, true, line);
        carry = null;
      }
      pos = nl + 1;
    }
    const last = slice.lastIndexOf(10);
    while (last >= pos) {
      // Text in pieces of at most PIECE bytes, cut at a newline: a string that small is made in V8's young
      // generation, whose memory is reused, while a bigger one gets fresh pages each time (a page fault per 4 KiB:
      // in Node, converting 2 MiB slices whole cost twice the CPU time of reading and splitting them in pieces).
      let end = last;
      if (end - pos >= PIECE) {
        const nl = slice.lastIndexOf(10, pos + PIECE - 1);
        if (nl >= pos) end = nl;
      }
      const body = slice.subarray(pos, end + 1);
      if (options.visitBytes && lineNo > 0) {
        // -1: not all ASCII without NUL; -2: not looked at by lineEnds (a host with searchView, a piece over PIECE).
        const count = searchView === null && body.length <= PIECE ? lineEnds(body, (ends ??= new Int32Array(PIECE))) : -2;
        if (count >= 0) {
          pieceBytes(body, options.visitBytes, ends, count);
          pos = end + 1;
          continue;
        }
        const view = count === -2 ? (searchView ? searchView(body) : body) : null;
        if (view !== null && view.indexOf(0) < 0 && allAscii(view)) {
          pieceBytes(view, options.visitBytes, null, 0);
          pos = end + 1;
          continue;
        }
      }
      const fast = asciiText ? asciiText(body) : null;
      const text = fast ?? decoder.decode(body);
      // ASCII: characters are bytes. Otherwise find each line's end in the bytes too, for exact offsets.
      const ascii = text.length === body.length;
      // Lines are checked for damage only in a slice that has some (one search per slice, not per line).
      // (As many U+FFFD as bad bytes keeps the length: only bytes the host read as ASCII are sure to be clean.)
      const check = !!damaged && (text.indexOf('\0') >= 0 || (fast === null && text.indexOf('\ufffd') >= 0));
      let start = 0;
      let bpos = pos;
      while (start < text.length) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        let consumed = nl - start + 1;
        let bytes = check && ascii ? slice.subarray(pos + start, pos + nl) : undefined;
        if (!ascii) {
          const bnl = slice.indexOf(10, bpos);
          consumed = bnl - bpos + 1;
          if (check) bytes = slice.subarray(bpos, bnl);
          bpos = bnl + 1;
        }
        emit(text.slice(start, nl), consumed, false, check, bytes);
        start = nl + 1;
      }
      pos = end + 1;
    }
    if (pos < slice.length) {
      const rest = slice.subarray(pos);
      if (rest.length > maxLine) {
        emit(decoder.decode(rest.subarray(0, maxLine)), rest.length, true);
        skipping = true;
      } else carry = rest;
    }
    options.onProgress?.(bytes);
  }
  if (carry !== null && carry.length > 0) emit(decoder.decode(carry), carry.length, false, true, carry);
  return { lines: lineNo, bytes, cancelled };
}
