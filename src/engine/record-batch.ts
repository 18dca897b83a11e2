/**
 * Firewall records (model/firewall-record.ts) handed from a decoder thread to the thread that keeps the store, in
 * typed arrays (buffers transferred, never copied, from a fixed pool: cli/log-thread.ts), with the strings the
 * decoder interned since the batch before and the problems it met, in line order. No Node API here: a browser
 * Worker can hand batches over the same way.
 *
 * Each entry is one record, or one problem (a warning or error of the decoder, kept at its place among the records
 * so that the problem log on the other side gets the same calls in the same order as from one thread). Names are
 * the decoder's own ids (its own Names); an entry also says how many names the decoder had once it was written, so
 * the reader interns them into the store's names at the same point of the stream as one thread would have (the
 * store interns names too: normalised addresses), and every id comes out as the store's id for the same string.
 * The round trip of every field of a record is tested (tests/unit/record-batch.test.ts).
 */
import { FirewallRecord, REC_BUILT, REC_SKIP, REC_TEARDOWN, type FirewallRecordSink } from '../model/firewall-record';
import { NONE, type Names } from '../model/firewall-store';
import type { ProblemLog } from '../model/problems';

type ProblemAt = Parameters<ProblemLog['warn']>[1];

/** Int32 words per entry. */
const W = 28;
/** Float64 slots per entry. */
const F = 6;
/** The kind bits of an entry that is a problem, not a record. */
const PROBLEM = 15;
const HAS_KEY = 1 << 19;
/** The entry's addresses are IPv4 values (FirewallRecord.addrCodes), interned by the reader. */
const ADDR_CODES = 1 << 21;
/** log2 of the entries of RecordBatchReader's table of recent addresses (512 KiB). */
const RECENT_BITS = 16;
/** Entries RecordBatchReader reads ahead together (warm). */
const AHEAD = 32;

/** The place of IPv4 value `code` (as an int32) in RecordBatchReader's table of recent addresses (its value, then id + 1). */
const recentSlot = (code: number): number => (Math.imul(code, 0x9e3779b1) >>> (32 - RECENT_BITS)) << 1;

export interface RecordBuffers {
  words: ArrayBuffer;
  nums: ArrayBuffer;
}

export interface BatchProblem {
  error: boolean;
  message: string;
  at?: ProblemAt;
}

export interface RecordBatch extends RecordBuffers {
  count: number;
  /** The decoder's names interned since the batch before (its ids continue from there). */
  names: string[];
  problems: BatchProblem[];
  /** Input bytes read so far. */
  bytesRead: number;
}

/** A new buffer set for `entries` entries. */
export function recordBuffers(entries = 16384): RecordBuffers {
  return { words: new ArrayBuffer(entries * W * 4), nums: new ArrayBuffer(entries * F * 8) };
}

/** Fills a batch's buffers (growing them when one slice has more lines than they hold). */
export class RecordBatchWriter {
  count = 0;
  problems: BatchProblem[] = [];
  private words: Int32Array;
  private nums: Float64Array;

  constructor(
    public buffers: RecordBuffers,
    private readonly names: Names,
  ) {
    this.words = new Int32Array(buffers.words);
    this.nums = new Float64Array(buffers.nums);
  }

  private room(): number {
    const i = this.count;
    if ((i + 1) * W > this.words.length) {
      const b = recordBuffers(this.count * 2);
      new Int32Array(b.words).set(this.words);
      new Float64Array(b.nums).set(this.nums);
      this.buffers = b;
      this.words = new Int32Array(b.words);
      this.nums = new Float64Array(b.nums);
    }
    this.count++;
    return i;
  }

  /**
   * Record r (the decoder's scratch, read now); `key`: its line key (line-dedupe.ts lineKey) when it has one. Names
   * ids are stored as they are: NONE (0xffffffff) becomes -1 in an Int32Array (a store takes the value mod 2^32).
   */
  add(r: FirewallRecord, key: Int32Array | null): void {
    const i = this.room();
    const w = this.words;
    const o = i * W;
    const p = i * F;
    const n = this.nums;
    w[o + 1] = this.names.list.length;
    n[p] = r.timeUs;
    if (r.kind === REC_SKIP) {
      w[o] = REC_SKIP | (+r.unkeptConnection << 20); // nothing else of it counts
      return;
    }
    w[o] =
      r.kind | (r.rowKind << 4) | (r.direction << 8) | (r.initiator << 12) | (+r.hasIcmp << 14) | (+r.hasSrc << 15) |
      (+r.hasDst << 16) | (+r.keyed << 17) | (+r.noConnectionTcp << 18) | (key ? HAS_KEY : 0) | (+r.unkeptConnection << 20) |
      (r.addrCodes ? ADDR_CODES : 0);
    w[o + 2] = r.line;
    w[o + 3] = r.device;
    w[o + 4] = r.messageId;
    w[o + 5] = r.proto;
    w[o + 6] = r.cause;
    w[o + 7] = r.icmpType;
    w[o + 8] = r.icmpCode;
    w[o + 9] = r.srcIface;
    w[o + 10] = r.srcAddr;
    w[o + 11] = r.srcPort;
    w[o + 12] = r.srcMapped;
    w[o + 13] = r.srcMappedPort;
    w[o + 14] = r.dstIface;
    w[o + 15] = r.dstAddr;
    w[o + 16] = r.dstPort;
    w[o + 17] = r.dstMapped;
    w[o + 18] = r.dstMappedPort;
    w[o + 19] = r.reason;
    w[o + 20] = r.from;
    w[o + 21] = r.iface;
    w[o + 22] = r.acl;
    w[o + 23] = r.tcpFlags;
    w[o + 26] = r.reasonCode;
    w[o + 27] = r.reasonSpelling;
    if (key) {
      w[o + 24] = key[0];
      w[o + 25] = key[1];
    }
    n[p + 1] = r.precisionUs;
    n[p + 2] = r.connId;
    n[p + 3] = r.bytes;
    n[p + 4] = r.durationS;
    n[p + 5] = r.repeat;
  }

  /** A warning or error of the decoder, at this point of the stream. */
  problem(error: boolean, message: string, at?: ProblemAt): void {
    const i = this.room();
    this.words[i * W] = PROBLEM;
    this.words[i * W + 1] = this.names.list.length;
    this.words[i * W + 2] = this.problems.length;
    this.problems.push(at === undefined ? { error, message } : { error, message, at });
  }
}

/**
 * Reads the batches of one input, in order, into the store (`sink`: addRecord, or addKeyedRecord for a record with
 * a line key) and the problems into `problems`.
 */
export class RecordBatchReader {
  private readonly r = new FirewallRecord();
  /** The decoder's names id k -> the store's, at k + 1; NONE at 0 (a batch holds NONE as -1): no branch per name. */
  private map = new Uint32Array(1024).fill(NONE, 0, 1);
  private mapped = 0;
  /** The decoder's names received and not yet interned. */
  private pending: string[] = [];
  private pendingFrom = 0;
  /**
   * Addresses given as values (ADDR_CODES) and their store ids, by a hash of the value, one each (value, id + 1; 0:
   * empty): a log's addresses recur close together (a connection's Built and Teardown, a busy server), and this
   * table stays in the cache where the store's table of every address does not (a miss per look-up).
   */
  private recent = new Int32Array(2 << RECENT_BITS);
  /** What warm read (kept, so that its reads are not left out as unused). */
  private warmed = 0;
  /** The line of the last record read (records come in line order): how far an input that stopped early got. */
  lastLine = 0;

  constructor(
    input: number,
    private readonly sink: FirewallRecordSink,
    private readonly problems: ProblemLog,
  ) {
    this.r.input = input;
  }

  /** Interns the decoder's names up to (not including) id `upTo`. */
  private intern(upTo: number): void {
    if (upTo + 1 > this.map.length) {
      const m = new Uint32Array(Math.max(upTo + 1, this.map.length * 2));
      m.set(this.map);
      this.map = m;
    }
    const names = this.sink.names;
    // Names came over as strings of their own (structured clone): the store keeps them without a copy.
    for (let k = this.mapped; k < upTo; k++) this.map[k + 1] = names.id(this.pending[k - this.pendingFrom], true);
    this.mapped = upTo;
  }

  /** After the input's last batch: the names the decoder interned after its last entry too (as one thread would). */
  finish(): void {
    this.intern(this.pendingFrom + this.pending.length);
  }

  /** The store's id of the IPv4 address whose value is `code` (as an int32). */
  private addressId(code: number): number {
    const recent = this.recent;
    const k = recentSlot(code);
    if (recent[k] === code && recent[k + 1] !== 0) return recent[k + 1] - 1;
    const id = this.sink.names.ipv4CodeId(code >>> 0);
    recent[k] = code;
    recent[k + 1] = id + 1;
    return id;
  }

  /**
   * Reads what the records of entries [from, to) will look up, changing nothing: the places of their addresses in
   * `recent` (and in the store's table of addresses for one not there) and, for a Built or Teardown, its
   * connection's in the store's pairing maps (FirewallRecordSink.peekConnection). Those tables are bigger than the
   * caches, so most of these look-ups wait for memory; asked one record after the other the waits add up, read
   * here together they overlap (as pair-index.ts warm does for the pair index).
   */
  private warm(w: Int32Array, n: Float64Array, from: number, to: number): void {
    const recent = this.recent;
    const names = this.sink.names;
    const sink = this.sink;
    const map = this.map;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const o = i * W;
      const bits = w[o];
      const kind = bits & 15;
      if ((kind === REC_BUILT || kind === REC_TEARDOWN) && sink.peekConnection !== undefined) {
        const c = n[i * F + 2];
        const device = w[o + 3];
        // Only a device already interned, and a numeric ID (read() maps both so).
        if (c >= 0 && device >= 0 && device < this.mapped) sum += sink.peekConnection(map[1 + device], c);
      }
      if (!(bits & ADDR_CODES)) continue;
      // srcAddr, dstAddr, and a mapped address where its port is given (as read() reads them)
      sum += this.peek(recent, names, w[o + 10]) + this.peek(recent, names, w[o + 15]);
      if (w[o + 13] >= 0) sum += this.peek(recent, names, w[o + 12]);
      if (w[o + 18] >= 0) sum += this.peek(recent, names, w[o + 17]);
    }
    this.warmed += sum;
  }

  /** warm's read of one address (its `recent` place; the store's when `recent` holds another). */
  private peek(recent: Int32Array, names: Names, code: number): number {
    const k = recentSlot(code);
    return recent[k] === code ? 0 : names.ipv4Peek(code >>> 0);
  }

  read(b: RecordBatch): void {
    if (b.names.length) {
      this.pending = this.pending.slice(this.mapped - this.pendingFrom).concat(b.names);
      this.pendingFrom = this.mapped;
    }
    const w = new Int32Array(b.words);
    const n = new Float64Array(b.nums);
    const r = this.r;
    const sink = this.sink;
    let map = this.map;
    for (let i = 0; i < b.count; i++) {
      if (i % AHEAD === 0) this.warm(w, n, i, Math.min(b.count, i + AHEAD));
      const o = i * W;
      const p = i * F;
      if (w[o + 1] > this.mapped) {
        this.intern(w[o + 1]);
        map = this.map;
      }
      const bits = w[o];
      const kind = bits & 15;
      if (kind === PROBLEM) {
        const q = b.problems[w[o + 2]];
        if (q.error) this.problems.error(q.message, q.at);
        else this.problems.warn(q.message, q.at);
        continue;
      }
      r.timeUs = n[p];
      r.kind = kind;
      r.unkeptConnection = (bits & (1 << 20)) !== 0;
      if (kind === REC_SKIP) {
        sink.addRecord(r);
        continue;
      }
      r.rowKind = (bits >> 4) & 15;
      r.direction = (bits >> 8) & 15;
      r.initiator = (bits >> 12) & 3;
      r.hasIcmp = (bits & (1 << 14)) !== 0;
      r.hasSrc = (bits & (1 << 15)) !== 0;
      r.hasDst = (bits & (1 << 16)) !== 0;
      r.keyed = (bits & (1 << 17)) !== 0;
      r.noConnectionTcp = (bits & (1 << 18)) !== 0;
      r.line = w[o + 2];
      r.device = map[1 + w[o + 3]];
      r.messageId = map[1 + w[o + 4]];
      r.proto = w[o + 5];
      r.cause = w[o + 6];
      r.icmpType = w[o + 7];
      r.icmpCode = w[o + 8];
      r.srcIface = map[1 + w[o + 9]];
      r.srcPort = w[o + 11];
      r.srcMappedPort = w[o + 13];
      r.dstIface = map[1 + w[o + 14]];
      r.dstPort = w[o + 16];
      r.dstMappedPort = w[o + 18];
      if (bits & ADDR_CODES) {
        // Interned here, in the order the decoder's fast path interns them on one thread (syslog-fast.ts side).
        r.srcAddr = this.addressId(w[o + 10]);
        r.srcMapped = r.srcMappedPort < 0 ? NONE : this.addressId(w[o + 12]);
        r.dstAddr = this.addressId(w[o + 15]);
        r.dstMapped = r.dstMappedPort < 0 ? NONE : this.addressId(w[o + 17]);
      } else {
        r.srcAddr = map[1 + w[o + 10]];
        r.srcMapped = map[1 + w[o + 12]];
        r.dstAddr = map[1 + w[o + 15]];
        r.dstMapped = map[1 + w[o + 17]];
      }
      r.reason = map[1 + w[o + 19]];
      r.from = map[1 + w[o + 20]];
      r.iface = map[1 + w[o + 21]];
      r.acl = map[1 + w[o + 22]];
      r.tcpFlags = w[o + 23];
      r.reasonCode = w[o + 26];
      r.reasonSpelling = map[1 + w[o + 27]];
      r.precisionUs = n[p + 1];
      const c = n[p + 2];
      r.connId = c < 0 ? -(map[-c] + 1) : c;
      r.bytes = n[p + 3];
      r.durationS = n[p + 4];
      r.repeat = n[p + 5];
      if (bits & HAS_KEY) sink.addKeyedRecord!(r, w[o + 24], w[o + 25]);
      else sink.addRecord(r);
    }
    if (r.line > this.lastLine) this.lastLine = r.line;
  }
}
