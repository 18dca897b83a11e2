/**
 * Web Worker for bench/browser-read.ts: reads the posted File once, whole, in one of the ways a worker can, and
 * reports the time (a fresh worker per measurement). Every way touches each chunk's last byte so no read is skipped.
 */
import { createBlobSource } from '../../src/lib/byte-source';
import { createEngineSession } from '../../src/engine/session';

export type ReadMode =
  | { kind: 'slice-arraybuffer'; size: number; ahead: boolean }
  | { kind: 'filereadersync'; size: number }
  | { kind: 'stream-default' }
  | { kind: 'stream-byob'; size: number }
  | { kind: 'engine-source'; size: number }
  | { kind: 'app-load' };

declare const FileReaderSync: { new (): { readAsArrayBuffer(b: Blob): ArrayBuffer } };

let total = 0;

async function read(file: File, m: ReadMode): Promise<number> {
  let xor = 0;
  total = 0;
  switch (m.kind) {
    case 'slice-arraybuffer': {
      if (!m.ahead) {
        for (let at = 0; at < file.size; at += m.size) {
          const b = new Uint8Array(await file.slice(at, at + m.size).arrayBuffer());
          xor ^= b[b.length - 1];
        }
        break;
      }
      // The next slice asked for before this one is touched (what the engine's record stream does).
      let next = file.slice(0, m.size).arrayBuffer();
      for (let at = 0; at < file.size; at += m.size) {
        const b = new Uint8Array(await next);
        if (at + m.size < file.size) next = file.slice(at + m.size, at + 2 * m.size).arrayBuffer();
        xor ^= b[b.length - 1];
      }
      break;
    }
    case 'filereadersync': {
      const r = new FileReaderSync();
      for (let at = 0; at < file.size; at += m.size) {
        const b = new Uint8Array(r.readAsArrayBuffer(file.slice(at, at + m.size)));
        xor ^= b[b.length - 1];
      }
      break;
    }
    case 'stream-default': {
      const r = file.stream().getReader();
      for (let x = await r.read(); !x.done; x = await r.read()) xor ^= x.value[x.value.length - 1];
      break;
    }
    case 'stream-byob': {
      const r = (file.stream() as ReadableStream<Uint8Array>).getReader({ mode: 'byob' });
      let buf = new ArrayBuffer(m.size);
      for (;;) {
        const x = await r.read(new Uint8Array(buf));
        if (x.done) break;
        xor ^= x.value[x.value.length - 1];
        total += x.value.length;
        buf = x.value.buffer as ArrayBuffer; // the same memory handed back, refilled next time
      }
      break;
    }
    case 'engine-source': {
      for await (const s of createBlobSource(file.name, file).slices(0, m.size)) {
        xor ^= s[s.length - 1];
        total += s.length;
      }
      break;
    }
    case 'app-load': {
      await createEngineSession().load([{ kind: 'blob', name: file.name, blob: file }], {}, () => {});
      break;
    }
  }
  return xor;
}

self.onmessage = async (e: MessageEvent<{ file: File; mode: ReadMode }>) => {
  const t0 = performance.now();
  const check = await read(e.data.file, e.data.mode);
  (self as unknown as Worker).postMessage({ seconds: (performance.now() - t0) / 1000, check, bytes: total });
};
