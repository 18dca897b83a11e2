/**
 * Views of a text ByteSource that the line reader can take as they are: UTF-16 decoded to UTF-8, NUL bytes
 * dropped (a log truncated while being written, as logrotate's copytruncate leaves it, starts with a run of
 * NULs), CR-only line ends turned into LF. Each is a stream transform over slices(); read() serves the head
 * (sniffing) by reading slices. Byte offsets are those of the transformed text.
 */
import type { ByteSource } from './byte-source';

function fromSlices(name: string, slices: () => AsyncIterable<Uint8Array>): ByteSource {
  return {
    name,
    size: undefined,
    async *slices(offset = 0) {
      let at = 0;
      for await (const s of slices()) {
        if (at + s.length > offset) yield at >= offset ? s : s.subarray(offset - at);
        at += s.length;
      }
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = new Uint8Array(length);
      let n = 0;
      let at = 0;
      for await (const s of slices()) {
        const from = Math.max(0, offset - at);
        if (from < s.length) {
          const part = s.subarray(from, Math.min(s.length, from + length - n));
          out.set(part, n);
          n += part.length;
        }
        at += s.length;
        if (n >= length) break;
      }
      return out.subarray(0, n);
    },
  };
}

/** UTF-16 text (either byte order, BOM dropped) as UTF-8. */
export function createUtf16Source(src: ByteSource, littleEndian: boolean): ByteSource {
  return fromSlices(src.name, async function* () {
    const dec = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be');
    const enc = new TextEncoder();
    for await (const s of src.slices()) yield enc.encode(dec.decode(s, { stream: true }));
    const tail = dec.decode();
    if (tail) yield enc.encode(tail);
  });
}

/** The text without NUL bytes; `dropped` counts them. */
export function createNulFreeSource(src: ByteSource): ByteSource & { dropped: () => number } {
  let dropped = 0;
  const s = fromSlices(src.name, async function* () {
    dropped = 0;
    for await (const slice of src.slices()) {
      if (slice.indexOf(0) < 0) {
        yield slice;
        continue;
      }
      const out = new Uint8Array(slice.length);
      let n = 0;
      for (let i = 0; i < slice.length; i++) if (slice[i] !== 0) out[n++] = slice[i];
      dropped += slice.length - n;
      yield out.subarray(0, n);
    }
  });
  return { ...s, dropped: () => dropped };
}

/** Line ends of CR alone (no LF in the file) as LF. */
export function createCrLineSource(src: ByteSource): ByteSource {
  return fromSlices(src.name, async function* () {
    for await (const slice of src.slices()) {
      const out = new Uint8Array(slice);
      for (let i = out.indexOf(13); i >= 0; i = out.indexOf(13, i + 1)) out[i] = 10;
      yield out;
    }
  });
}

/**
 * What a text sample says about its encoding: 'utf-16le'/'utf-16be' (a BOM, or NULs in every other byte of
 * mostly ASCII text), 'cr' (CR line ends and no LF), and whether it holds NUL bytes.
 */
export function textShape(head: Uint8Array): { utf16: 'le' | 'be' | null; crOnly: boolean; nul: boolean } {
  let utf16: 'le' | 'be' | null = null;
  if (head[0] === 0xff && head[1] === 0xfe) utf16 = 'le';
  else if (head[0] === 0xfe && head[1] === 0xff) utf16 = 'be';
  else if (head.length >= 16) {
    let even = 0;
    let odd = 0;
    const n = Math.min(head.length, 4096) & ~1;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0 && head[i + 1] !== 0) even++;
      if (head[i + 1] === 0 && head[i] !== 0) odd++;
    }
    if (odd > n * 0.4) utf16 = 'le';
    else if (even > n * 0.4) utf16 = 'be';
  }
  const crOnly = head.indexOf(10) < 0 && head.indexOf(13) >= 0;
  return { utf16, crOnly, nul: head.indexOf(0) >= 0 };
}
