/**
 * analyze's readable table of a big firewall log on two cores, with the table thread (cli/table-thread.ts):
 *  - a log read alone (no captured connection): once it is read, its connection table is written by the thread
 *    while this one joins the log's denies to its connections and correlates them, which that table does not read
 *    (every row is log-only connection k = firewall row k). This thread writes nothing to stdout until the other is
 *    done;
 *  - the deny table (after the join; with a capture too): both threads lay out its blocks, each taking the next
 *    block not yet taken, from the widths known before it (cli/table-widths.ts); this thread writes them to stdout in
 *    order, laying out again the few whose widths it finds grew before them, so the bytes are the one-thread bytes.
 * The thread reads the log's columns where they are (shared memory: model/firewall-store.ts shareColumns, set before
 * the log is read) and gets each name's IPv4 value or, for the few others, its text.
 *
 * On for a log of LOG_BYTES or more and LOG_ROWS connections (denies) or more (any number with
 * TEARDOWN_DECODE_THREAD=1, never with =0, as the decoder threads: cli/threaded-decode.ts), and only where the built
 * thread file is (not from sources under tsx). TEARDOWN_TABLE_THREAD=tell says on stderr how many deny blocks the
 * thread laid out; TEARDOWN_TABLE_BLOCK sets the deny table's rows per block (tests; both ways alike).
 * If the thread stops, this thread lays out the blocks it had taken.
 * u5m.log (934,094 connections, 1.05 M denies): the join and correlation (~0.65 CPU-s) and the connection table
 * (~0.6 CPU-s) overlap, then the deny table (~1.1 CPU-s) is shared.
 */
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { FirewallLog } from '../analysis/firewall/log';
import { shareColumns } from '../model/firewall-store';
import type { DenyBlock, DenyRun, TableDone, TableJob } from './table-thread';
import { addressCodes } from './cell-text';
import { threadFile } from './threaded-decode';
import { BlockLayout, type TableRows } from './table-blocks';
import { KnownWidths } from './table-widths';
import { CTRL_NEXT, CTRL_SENT, CTRL_SLOT, writerSetup, type WriterSetup } from './write-slots';
import type { Out } from './stdout';

/** Below this many rows the thread's start (~0.05 s of a fresh heap and compiling) costs what it saves. */
const LOG_ROWS = 1 << 16;
/** A log this big (not counting captures) has its columns shared, for the thread. */
const LOG_BYTES = 8 << 20;
const SLOTS = 4;
const SLOT_BYTES = 3 << 19;
/**
 * Blocks this thread may take past the one stdout is at; more while the connection table is still being written
 * (~0.75 MB a block of u5m.log; the command's peak of memory was before, at the join).
 */
const AHEAD = 8;
const AHEAD_WAITING = 24;
/** How long this thread sleeps waiting for the other's next block before a turn of the event loop. */
const WAIT_MS = 50;
/** A count of blocks no run reaches: set as the next block to take, it ends the taking. */
const NO_MORE = 1 << 30;

/** node:worker_threads' receiveMessageOnPort (the module is loaded when the thread is started). */
let receiveMessageOnPort: typeof import('node:worker_threads').receiveMessageOnPort;

const immediate = () => new Promise<void>((r) => setImmediate(r));

/** A block to write: its bytes, and what frees them once written. */
interface Ready {
  bytes: Uint8Array;
  release(): void;
  error?: string;
}

/** The deny table's rows per block (TEARDOWN_TABLE_BLOCK: another, for tests), one thread or two. */
export function denyBlockRows(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return Number(env.TEARDOWN_TABLE_BLOCK) || undefined;
}

export class TableThread {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private setup: WriterSetup | null = null;
  private alive = false;
  /** Resolves true once the thread wrote the connection table, false when it is to be written here. */
  connectionsWritten: Promise<boolean> = Promise.resolve(false);

  private constructor(
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * The table thread of a run over `inputBytes` of input that is not a binary capture (and the firewall columns
   * shared from now on, before the log is read); null when it is not to be used.
   */
  static prepare(inputBytes: number, env: NodeJS.ProcessEnv = process.env): TableThread | null {
    const on = env.TEARDOWN_DECODE_THREAD;
    if (on === '0' || (on !== '1' && inputBytes < LOG_BYTES)) return null;
    const file = threadFile('table-thread.mjs');
    if (!file) return null;
    shareColumns();
    return new TableThread(file, env);
  }

  private big(rows: number): boolean {
    return this.env.TEARDOWN_DECODE_THREAD === '1' || rows >= LOG_ROWS;
  }

  /** Once the log is read: starts the thread, which writes the connection table if no connection was captured. */
  logRead(log: FirewallLog, captured: number): void {
    const c = log.conns;
    const d = log.denies;
    const columns = [...Object.values(c), ...Object.values(d)].filter((a) => ArrayBuffer.isView(a));
    if (!columns.every((a) => a.buffer instanceof SharedArrayBuffer)) return;
    const conns = !captured && this.big(c.count);
    if (!conns && !this.big(d.count)) return;
    const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    receiveMessageOnPort = threads.receiveMessageOnPort;
    const { port1, port2 } = new threads.MessageChannel();
    this.setup = writerSetup(SLOTS, SLOT_BYTES);
    // Addresses as the tables write them: an IPv4 value, else the normalised text (no string of an IPv4 address
    // goes); names as the deny table writes them, the same way.
    const codes = addressCodes(log.names);
    const texts: string[] = [];
    const names: string[] = [];
    for (let id = 0; id < codes.length; id++) {
      if (codes[id] !== 1) continue;
      texts[id] = log.names.list[log.normId(id)]; // made by FirewallLog.finish: none added
      names[id] = log.names.list[id];
    }
    const job: TableJob = {
      conns: conns ? { cAddr: c.cAddr, cPort: c.cPort, sAddr: c.sAddr, sPort: c.sPort, startUs: c.startUs, endUs: c.endUs, proto: c.proto } : null,
      count: c.count, codes, texts, names, files: log.files, setup: { ...this.setup, port: port2 },
      denies: {
        count: d.count, timeUs: d.timeUs, device: d.device, messageId: d.messageId, cause: d.cause, proto: d.proto, srcAddr: d.srcAddr,
        srcPort: d.srcPort, dstAddr: d.dstAddr, dstPort: d.dstPort, flags: d.flags, icmpType: d.icmpType, icmpCode: d.icmpCode, iface: d.iface,
        acl: d.acl, repeat: d.repeat, input: d.input, line: d.line,
      },
    };
    // Its garbage is short-lived (a row's strings, rarely): a small young generation keeps its memory small.
    const worker = (this.worker = new threads.Worker(this.file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } }));
    this.port = port1;
    this.alive = true;
    worker.on('error', () => (this.alive = false)).on('exit', () => (this.alive = false));
    worker.postMessage({ job }, [codes.buffer as ArrayBuffer, port2]);
    if (conns) this.connectionsWritten = this.connectionTable(worker);
    else worker.unref();
  }

  /**
   * Resolves true once the thread wrote the connection table, false when it failed before writing any of it (then
   * it is written here); rejects when it failed partway.
   */
  private connectionTable(worker: Worker): Promise<boolean> {
    let writing = false;
    return new Promise<boolean>((done, fail) => {
      const end = (e: Error | null) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        worker.unref(); // kept for the deny table, never keeping the process alive
        if (!e) done(true);
        else if (!writing) done(false);
        else fail(e);
      };
      const onMessage = (m: TableDone) => {
        if ('writing' in m) writing = true;
        else if ('closed' in m) process.exit(0); // the reader is gone: the command ends quietly (cli/stdout.ts)
        else end('error' in m ? new Error(`the table thread could not write: ${m.error}`) : null);
      };
      const onError = (e: Error) => end(e);
      const onExit = (code: number) => end(new Error(`the table thread stopped (exit code ${code})`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  }

  /**
   * Writes the deny table `rows` (`denyConn`, `idOf`: what its connection column reads, cli/deny-columns.ts) to `out`
   * on both threads, after `before` is done (the connection table); false when it is to be written here alone (small,
   * or no thread), `before` not called. Its first blocks are laid out here while `before` is not done yet.
   */
  async denies(rows: TableRows, denyConn: Int32Array, idOf: Float64Array, title: string, out: Out, before: () => Promise<void>): Promise<boolean> {
    const { worker, port, setup } = this;
    if (!worker || !port || !setup || !this.alive || !this.big(rows.count)) return false;
    const layout = new BlockLayout(rows, title, denyBlockRows(this.env));
    const blocks = layout.blocks;
    const known = KnownWidths.shared(blocks, rows.head.length);
    const ctrl = new Int32Array(setup.ctrl);
    Atomics.store(ctrl, CTRL_NEXT, 0);
    worker.postMessage({ run: { denyConn, idOf, title, block: layout.size, known: known.buffer } satisfies DenyRun });
    const ready = new Map<number, Ready>();
    const pool: Buffer[] = [];
    /** The widths of the blocks written so far. */
    const widths = rows.head.map((h) => h.length);
    let emitted = 0;
    let local = 0;
    let again = 0;
    const receive = () => {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as DenyBlock;
        if (!('ended' in msg)) ready.set(msg.b, this.fromThread(ctrl, msg));
      }
    };
    // Stdout takes the blocks once `before` is done; until then this thread lays out the first ones (AHEAD_WAITING).
    let open = false;
    const opening = before().then(() => void (open = true));
    try {
      while (emitted < blocks) {
        for (let blk = open ? ready.get(emitted) : undefined; blk; blk = ready.get(emitted)) {
          ready.delete(emitted);
          if (blk.error || !known.exact(emitted, widths)) {
            blk.release();
            again++;
            const bytes = layout.layout(emitted, widths);
            known.set(emitted, widths);
            await out(bytes);
          } else {
            await out(blk.bytes);
            blk.release();
          }
          emitted++;
        }
        if (emitted >= blocks) break;
        receive();
        if (open && ready.has(emitted)) continue;
        const next = Math.min(Atomics.load(ctrl, CTRL_NEXT), blocks);
        let b = -1;
        if (next < blocks && next < emitted + (open ? AHEAD : AHEAD_WAITING)) b = Atomics.add(ctrl, CTRL_NEXT, 1);
        // The thread is gone: the blocks it had taken and not sent, here.
        else if (!this.alive) {
          for (b = emitted; b < next && ready.has(b); b++);
          if (b === next) b = -1;
        }
        if (b >= 0 && b < blocks) {
          local++;
          const w = known.before(b, rows.head);
          const bytes = layout.layout(b, w);
          known.set(b, w);
          const copy = pool.pop() ?? Buffer.allocUnsafe(Math.max(SLOT_BYTES, bytes.length));
          const keep = copy.length >= bytes.length ? copy : Buffer.allocUnsafe(bytes.length);
          keep.set(bytes);
          ready.set(b, { bytes: keep.subarray(0, bytes.length), release: () => pool.push(keep) });
          continue;
        }
        if (!open) {
          await opening;
          continue;
        }
        // The next block is the thread's: sleep until it sends one (a while, then a turn of the event loop, where a
        // thread that stopped is seen).
        const sent = Atomics.load(ctrl, CTRL_SENT);
        receive();
        if (!ready.has(emitted) && Atomics.wait(ctrl, CTRL_SENT, sent, WAIT_MS) === 'timed-out') await immediate();
      }
      await opening; // (no block at all)
      if (this.env.TEARDOWN_TABLE_THREAD === 'tell') {
        process.stderr.write(`analyze: the table thread laid out ${blocks - local} of ${blocks} deny blocks, ${again} laid out again\n`);
      }
    } finally {
      opening.catch(() => {}); // (its failure is thrown by an await of the loop, or is not the first)
      // The thread takes no more blocks, and one waiting for a slot goes on (to find none left).
      Atomics.store(ctrl, CTRL_NEXT, NO_MORE);
      for (let s = 0; s < setup.slotCount; s++) {
        Atomics.store(ctrl, CTRL_SLOT + s, 0);
        Atomics.notify(ctrl, CTRL_SLOT + s);
      }
    }
    return true;
  }

  /** A block from the thread: its slot's bytes (free again once written), or its own buffer. */
  private fromThread(ctrl: Int32Array, m: Exclude<DenyBlock, { ended: true }>): Ready {
    const setup = this.setup!;
    const bytes = m.bytes ? new Uint8Array(m.bytes, 0, m.n) : new Uint8Array(setup.slots, m.slot * setup.slotBytes, m.n);
    const release = () => {
      Atomics.store(ctrl, CTRL_SLOT + m.slot, 0);
      Atomics.notify(ctrl, CTRL_SLOT + m.slot);
    };
    return { bytes, release, error: m.error };
  }

  /** Ends the thread (its memory goes with it). */
  async end(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.alive = false;
    this.port?.close();
    if (w) await w.terminate();
  }
}
