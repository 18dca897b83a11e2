/**
 * The sample text formats are judged on: the first 64 KiB and, for a file of known size, windows spread over
 * the rest (a central syslog file may open with thousands of other daemons' lines; the firewall's come later).
 * Each window is cut to whole lines. Gzip and stdin inputs (size unknown) are judged on their head.
 */
import type { ByteSource } from '../lib/byte-source';

export const HEAD_BYTES = 64 * 1024;
const WINDOWS = 8;
const WINDOW_BYTES = 16 * 1024;

export async function readTextSample(src: ByteSource, head: Uint8Array): Promise<Uint8Array> {
  const first = head.length >= HEAD_BYTES || (src.size !== undefined && head.length >= src.size) ? head : await src.read(0, HEAD_BYTES);
  const size = src.size;
  const parts: Uint8Array[] = [first];
  if (first.length > 0 && first.every((c) => c === 0)) {
    // A run of NULs first (a log truncated while being written): sample the text after it.
    const at = await firstNonNul(src, first.length);
    if (at >= 0) parts.push(await src.read(at, HEAD_BYTES));
  }
  if (size === undefined || size <= HEAD_BYTES * 2) return join(parts);
  for (let k = 1; k <= WINDOWS; k++) {
    const at = Math.floor((size * k) / (WINDOWS + 1));
    const w = await src.read(at, WINDOW_BYTES);
    const a = w.indexOf(10);
    const b = w.lastIndexOf(10);
    if (a >= 0 && b > a) parts.push(w.subarray(a, b + 1));
  }
  return join(parts);
}

/** Offset of the first byte that is not NUL, looking at most MAX_NUL_SCAN bytes; -1 when none. */
const MAX_NUL_SCAN = 64 * 1024 * 1024;
async function firstNonNul(src: ByteSource, from: number): Promise<number> {
  let at = from;
  for await (const slice of src.slices(from)) {
    for (let i = 0; i < slice.length; i++) if (slice[i] !== 0) return at + i;
    at += slice.length;
    if (at - from > MAX_NUL_SCAN) break;
  }
  return -1;
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
    out[n++] = 10;
  }
  return out;
}

/** The sample's text, or null when it is not text (many control characters; NUL bytes are left out). */
function sampleText(head: Uint8Array): string | null {
  const n = head.length;
  let control = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) nul++;
    else if (c < 9 || (c > 13 && c < 32) || c === 127) control++;
  }
  const text = n - nul;
  if (text === 0 || control > text / 100 + 2) return null;
  const bytes = nul ? head.filter((c) => c !== 0) : head;
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/**
 * The sample's lines for the text formats' votes (decode/formats.ts), or null when it is not text: binary data (many
 * control characters) is not; NUL bytes are not counted (a log truncated while written starts with a run of them).
 */
export function sampleLines(head: Uint8Array): string[] | null {
  if (head.length === 0) return null;
  const text = sampleText(head);
  if (text === null) return null;
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > 1 && head.length >= HEAD_BYTES) lines.pop(); // the last one may be cut
  return lines;
}
