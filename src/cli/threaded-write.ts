/**
 * `analyze --json`/`--ndjson` of a big firewall log on two cores: the records of its log-only connections and of
 * its denies (~2 M of them in a 5 M-line log, most of the output's cost) are written in blocks by this thread and by
 * the writer thread (cli/write-thread.ts), each taking the next block not yet taken (a shared counter), and sent to
 * stdout here in block order, so the output is byte for byte the one-thread output (tests/unit/cli-write-thread.test.ts).
 * The writer thread reads the log's columns where they are (shared memory: model/firewall-store.ts shareColumns,
 * set before the log is read) and is started before the log is read, so its start and compile are hidden.
 * Memory stays bounded: this thread takes a block at most AHEAD blocks past the one stdout is at, the writer thread
 * writes into SLOTS shared slots that are free again once stdout has written them.
 * Used for a log of LOG_BYTES or more (any size with TEARDOWN_WRITE_THREAD=1, never with =0), when the built thread
 * file is there and the log's columns are shared; otherwise the writers of cli/output.ts write every record.
 * If the writer thread stops, this thread writes the blocks it had taken.
 */
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { AnalysisSession } from '../engine/analyze-sources';
import { recordsSnapshot } from '../engine/record-snapshot';
import { shareColumns } from '../model/firewall-store';
import type { JsonBytes } from '../lib/json-bytes';
import { blocksOf, RecordError, runBytes, writeBlock, type RecordRun, type RunBytes } from './record-blocks';
import { nodeJsonBytes, type TextOut } from './text-out';
import { threadFile } from './threaded-decode';
import { CTRL_NEXT, CTRL_SENT, CTRL_SLOT, writerSetup, type WriterSetup } from './write-slots';
import { toStdout, type Out } from './stdout';

/** node:worker_threads' receiveMessageOnPort (the module is loaded when the thread is started). */
let receiveMessageOnPort: typeof import('node:worker_threads').receiveMessageOnPort;

/** Inputs this big or bigger (in all) get the writer thread: the log thread's threshold (cli/threaded-decode.ts). */
const LOG_BYTES = 32 << 20;
/** Records per block (TEARDOWN_WRITE_BLOCK sets another, for tests). */
const BLOCK = 1024;
const SLOTS = 8;
const SLOT_BYTES = 3 << 19;
/** Blocks this thread may take past the one stdout is at. */
const AHEAD = 4;
/** How long this thread sleeps waiting for the writer thread's next block before a turn of the event loop. */
const WAIT_MS = 50;
/** A count of blocks no run reaches: set as the next block to take, it ends the taking. */
const NO_MORE = 1 << 30;

/** A run of records minus its block size (the writer's own). */
export type RunOf = Omit<RecordRun, 'block'>;

/** Writes runs of records on two threads (cli/output.ts, cli/json-connections.ts). */
export interface RecordSplit {
  /**
   * Writes run r after what `text` holds (flushed first): block by block, this thread's with `write(w, i)`;
   * `done.n` is then the index after the last record begun (as the one-thread writers count). Throws as they do
   * when a record's writer throws, after writing the records before it.
   */
  run(text: TextOut, r: RunOf, write: (w: JsonBytes, i: number) => void, done: { n: number }): Promise<void>;
}

interface Block {
  bytes: Uint8Array;
  release(): void;
  error?: { index: number; message: string };
}

type FromThread = { ended: true } | { b: number; slot: number; n: number; bytes?: ArrayBuffer; error?: Block['error'] };

const immediate = () => new Promise<void>((r) => setImmediate(r));

export class WriterThread implements RecordSplit {
  private readonly ctrl: Int32Array;
  private readonly pool: JsonBytes[] = [];
  private readonly block: number;
  /** TEARDOWN_WRITE_THREAD=tell: say on stderr how many blocks the thread wrote (tests). */
  private readonly tell: boolean;
  /** False once the thread has stopped (an error, or ended): this thread then writes every block. */
  private alive = true;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly setup: WriterSetup,
    /** Where the blocks go: written before it returns (toStdout), so this thread need not wait for the event loop. */
    private readonly out: Out,
    env: NodeJS.ProcessEnv,
  ) {
    this.ctrl = new Int32Array(setup.ctrl);
    worker.on('error', () => (this.alive = false)).on('exit', () => (this.alive = false));
    this.block = Math.max(1, Number(env.TEARDOWN_WRITE_BLOCK) || BLOCK);
    this.tell = env.TEARDOWN_WRITE_THREAD === 'tell';
  }

  /**
   * Starts the writer thread for a run over `inputBytes` of input in a JSON mode (and makes the firewall columns
   * shared from now on); null when it is not to be used.
   */
  static start(inputBytes: number, env: NodeJS.ProcessEnv = process.env, out: Out = toStdout): WriterThread | null {
    const on = env.TEARDOWN_WRITE_THREAD;
    if (on === '0' || (on !== '1' && on !== 'tell' && inputBytes < LOG_BYTES)) return null;
    const file = threadFile('write-thread.mjs');
    if (!file) return null;
    const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    receiveMessageOnPort = threads.receiveMessageOnPort;
    // Its garbage is short-lived (a record's strings): a small young generation keeps its memory small.
    const worker = new threads.Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    worker.unref();
    const { port1, port2 } = new threads.MessageChannel();
    const setup = writerSetup(SLOTS, SLOT_BYTES);
    worker.postMessage({ setup: { ...setup, port: port2 } }, [port2]);
    shareColumns();
    return new WriterThread(worker, port1, setup, out, env);
  }

  /** Gives the thread the session's records; false (the thread ended) when it has no firewall log or it is not shared. */
  ready(session: AnalysisSession, reportIdOf?: Float64Array): boolean {
    const snapshot = recordsSnapshot(session, reportIdOf);
    if (!snapshot) {
      void this.end();
      return false;
    }
    this.worker.postMessage({ snapshot });
    return true;
  }

  async end(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  async run(text: TextOut, run: RunOf, write: (w: JsonBytes, i: number) => void, done: { n: number }): Promise<void> {
    await text.flush();
    const r: RecordRun = { ...run, block: this.block };
    const t = runBytes(r);
    const blocks = blocksOf(r);
    const { ctrl, worker, port } = this;
    Atomics.store(ctrl, CTRL_NEXT, 0);
    const ready = new Map<number, Block>();
    let emitted = 0;
    let stop = blocks;
    let failed = false;
    let failure: Block['error'] | undefined;
    let ended = false;
    /** The thread's messages so far (read without the event loop). */
    const receive = () => {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as FromThread;
        if ('ended' in msg) ended = true;
        else {
          ready.set(msg.b, this.fromThread(msg));
          if (msg.error) failed = true;
        }
      }
    };
    worker.postMessage({ run: r });
    let local = 0;
    try {
      while (emitted < stop) {
        // Stdout gets each block as soon as the ones before it are written (a slot is free again after).
        for (let blk = ready.get(emitted); blk && emitted < stop; blk = ready.get(emitted)) {
          ready.delete(emitted);
          if (blk.error) {
            failure = blk.error;
            stop = emitted + 1;
          }
          await this.out(blk.bytes);
          blk.release();
          emitted++;
        }
        if (emitted >= stop) break;
        receive();
        if (ready.has(emitted)) continue;
        const next = Math.min(Atomics.load(ctrl, CTRL_NEXT), blocks);
        let b = -1;
        if (!failed && next < blocks && next < emitted + AHEAD) b = Atomics.add(ctrl, CTRL_NEXT, 1);
        // The thread is gone: the blocks it had taken and not sent, here.
        else if (!this.alive && emitted < next) b = emitted;
        if (b >= 0 && b < blocks) {
          const blk = this.local(r, t, b, write);
          local++;
          ready.set(b, blk);
          if (blk.error) failed = true;
          continue;
        }
        // The next block is the thread's: sleep until it sends one (a while, then a turn of the event loop, where a
        // thread that stopped is seen).
        const sent = Atomics.load(ctrl, CTRL_SENT);
        receive();
        if (!ready.has(emitted) && Atomics.wait(ctrl, CTRL_SENT, sent, WAIT_MS) === 'timed-out') await immediate();
      }
      if (this.tell) process.stderr.write(`analyze: the writer thread wrote ${blocks - local} of ${blocks} blocks of ${r.kind === 'conn' ? 'connections' : 'denies'}\n`);
    } finally {
      // The thread takes no more blocks, and one waiting for a slot goes on (to find none left).
      Atomics.store(ctrl, CTRL_NEXT, NO_MORE);
      for (let s = 0; s < this.setup.slotCount; s++) {
        Atomics.store(ctrl, CTRL_SLOT + s, 0);
        Atomics.notify(ctrl, CTRL_SLOT + s);
      }
      for (receive(); !ended && this.alive; receive()) {
        const sent = Atomics.load(ctrl, CTRL_SENT);
        receive();
        if (!ended && Atomics.wait(ctrl, CTRL_SENT, sent, WAIT_MS) === 'timed-out') await immediate();
      }
      for (const blk of ready.values()) blk.release();
    }
    if (failure) {
      done.n = r.base + failure.index + 1;
      throw new Error(failure.message);
    }
    done.n = r.base + r.count;
  }

  /** A block from the thread: its slot's bytes (free again once written), or its own buffer. */
  private fromThread(m: Exclude<FromThread, { ended: true }>): Block {
    const { ctrl, setup } = this;
    const bytes = m.bytes ? new Uint8Array(m.bytes, 0, m.n) : new Uint8Array(setup.slots, m.slot * setup.slotBytes, m.n);
    return {
      bytes,
      release: () => {
        Atomics.store(ctrl, CTRL_SLOT + m.slot, 0);
        Atomics.notify(ctrl, CTRL_SLOT + m.slot);
      },
      error: m.error,
    };
  }

  /** Block b written on this thread, into a buffer of its pool. */
  private local(r: RecordRun, t: RunBytes, b: number, write: (w: JsonBytes, i: number) => void): Block {
    const w = this.pool.pop() ?? nodeJsonBytes(Buffer.allocUnsafe(SLOT_BYTES));
    w.n = 0;
    let error: Block['error'];
    try {
      writeBlock(w, r, t, b, write);
    } catch (e) {
      error = e instanceof RecordError ? { index: e.index, message: e.message } : { index: b * r.block, message: String(e) };
    }
    return { bytes: w.buf.subarray(0, w.n), release: () => this.pool.push(w), error };
  }
}
