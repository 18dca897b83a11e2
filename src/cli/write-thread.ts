/**
 * The writer thread of the command line (Node worker_threads; built to dist/cli/write-thread.mjs beside analyze.js):
 * writes blocks of a big firewall log's JSON records (log-only connections, denies) while the main thread writes
 * others and sends them all to stdout in order (cli/threaded-write.ts). It reads the log's columns where the main
 * thread made them (shared memory: engine/record-snapshot.ts) and writes each block into a shared slot, or into a
 * buffer of its own (transferred) when the block outgrows the slot.
 * Messages in: the slots and the control words (once), the snapshot (once), then one run at a time; out: each block
 * written ({ b, slot, n, bytes? }, or with `error` where a record failed), then { ended } when the run has no
 * block left to take.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { recordWriters, type RecordsSnapshot, type RecordWriters } from '../engine/record-snapshot';
import { blocksOf, RecordError, runBytes, writeBlock, type RecordRun } from './record-blocks';
import { nodeJsonBytes } from './text-out';
import type { JsonBytes } from '../lib/json-bytes';
import { CTRL_NEXT, CTRL_SENT, CTRL_SLOT, type WriterSetup } from './write-slots';

const port = parentPort!;
let writers: RecordWriters | null = null;
let setup: { ctrl: Int32Array; slots: Buffer[]; out: MessagePort } | null = null;

port.on('message', (m: { setup: WriterSetup } | { snapshot: RecordsSnapshot } | { run: RecordRun }) => {
  if ('setup' in m) {
    const { ctrl, slots, slotBytes, slotCount, port: out } = m.setup;
    setup = { ctrl: new Int32Array(ctrl), slots: Array.from({ length: slotCount }, (_, s) => Buffer.from(slots, s * slotBytes, slotBytes)), out: out! };
  } else if ('snapshot' in m) writers = recordWriters(m.snapshot);
  else run(m.run);
});

/** A buffer of the thread's own, to transfer (never from Node's shared pool). */
const own = (size: number) => Buffer.from(new ArrayBuffer(size));

function run(r: RecordRun): void {
  const { ctrl, slots, out } = setup!;
  const send = (m: unknown, transfer: ArrayBuffer[] = []) => {
    out.postMessage(m, transfer);
    Atomics.add(ctrl, CTRL_SENT, 1);
    Atomics.notify(ctrl, CTRL_SENT);
  };
  const { logOnly, denies } = writers!;
  const t = runBytes(r);
  const write = r.kind === 'conn' ? (w: JsonBytes, i: number) => void logOnly.write(w, i, t.head) : (w: JsonBytes, i: number) => denies.write(w, i);
  const blocks = blocksOf(r);
  const w = nodeJsonBytes(slots[0], own);
  for (let seq = 0; ; seq++) {
    const s = seq % slots.length;
    // A slot first (free once the main thread has written its last block to stdout), then a block: a block taken
    // is written at once, never held while the main thread waits for it.
    while (Atomics.compareExchange(ctrl, CTRL_SLOT + s, 0, 1) !== 0) Atomics.wait(ctrl, CTRL_SLOT + s, 1);
    const b = Atomics.add(ctrl, CTRL_NEXT, 1);
    if (b >= blocks) {
      Atomics.store(ctrl, CTRL_SLOT + s, 0);
      break;
    }
    w.buf = slots[s];
    w.n = 0;
    let error: { index: number; message: string } | undefined;
    try {
      writeBlock(w, r, t, b, write);
    } catch (e) {
      error = e instanceof RecordError ? { index: e.index, message: e.message } : { index: b * r.block, message: String(e) };
    }
    if (w.buf === slots[s]) send({ b, slot: s, n: w.n, error });
    else send({ b, slot: s, n: w.n, bytes: w.buf.buffer, error }, [w.buf.buffer as ArrayBuffer]);
    if (error) break;
  }
  send({ ended: true });
}
