/**
 * A member table (members.ts) written as JSON bytes into a JsonBytes (json-bytes.ts): the same text as
 * JSON.stringify of memberObject, for `analyze --json`/`--ndjson`'s millions of records. Every member's
 * `"name":` bytes (with the comma before it) are made once; the bytes of a value with an id are kept by id (copied
 * out of the buffer the first time they are written); strings, numbers and booleans go straight into the buffer, no
 * string made per member or per record.
 */
import { JsonBytes, utf8 } from './json-bytes';
import { checkedMembers, type Member } from './members';

export const NULL = utf8('null');
const OMITTED = new Uint8Array(0);
/**
 * Ids below this (integers from -1; smallSlot) are kept in an array: numbers made in the order first seen (a capture's
 * addresses, ~7,200 on the bench capture) are then not hashed, as they were in a map above 4096.
 */
const SMALL = 1 << 16;
/**
 * Ids of other kinds kept at most this many per member: a value whose id is nearly unique per row (an address on a
 * capture of a scan) is then written each time instead of kept for every row.
 */
const KEEP_MAX = 1 << 16;

/**
 * Kept bytes are copied into shared chunks and kept as views of them: an ArrayBuffer of its own per kept value cost
 * ~300 bytes of memory beside its ~30 bytes of text (measured: a log's connection times, ~100,000 kept values, 26 MB
 * of peak RSS).
 */
const CHUNK = 1 << 16;
let chunk = new Uint8Array(CHUNK);
let chunkAt = 0;

/** A copy of bytes [start, end) of buf (which the writer reuses), as a plain Uint8Array. */
function keep(buf: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n > CHUNK >> 4) return new Uint8Array(buf.subarray(start, end));
  if (chunkAt + n > CHUNK) {
    chunk = new Uint8Array(CHUNK);
    chunkAt = 0;
  }
  chunk.set(buf.subarray(start, end), chunkAt);
  chunkAt += n;
  return chunk.subarray(chunkAt - n, chunkAt);
}

/** A value as JSON.stringify writes it, with short ways for strings, numbers, booleans and lists of strings. */
export function value(w: JsonBytes, v: unknown): void {
  if (typeof v === 'string') w.str(v);
  else if (typeof v === 'number') w.num(v);
  else if (typeof v === 'boolean') w.bool(v);
  else if (v === null) w.raw(NULL);
  else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    w.byte(91);
    for (let j = 0; j < v.length; j++) {
      if (j) w.byte(44);
      w.str(v[j] as string);
    }
    w.byte(93);
  } else w.text(JSON.stringify(v));
}

/**
 * The bytes of a member's values by id (`,"name":value`, or OMITTED): small integer ids in an array (no hashing),
 * others in a map, and the last id written with its bytes (rows in a row run often share a value: a file, message
 * ids, interfaces; and most ids that are not small are numbers, for which a Map lookup hashes a heap number).
 */
export class IdCache {
  private readonly small: (Uint8Array | undefined)[] = [];
  private readonly other = new Map<number | string, Uint8Array>();
  private lastId: number | string | undefined = undefined;
  private lastBytes: Uint8Array = OMITTED;

  /** Writes the bytes kept for `id` into w; false: none kept (write the value, then put()). */
  hit(w: JsonBytes, id: number | string): boolean {
    if (id === this.lastId) {
      w.raw(this.lastBytes);
      return true;
    }
    const s = smallSlot(id);
    const known = s >= 0 ? this.small[s] : this.other.get(id);
    if (known === undefined) return false;
    w.raw(known);
    this.lastId = id;
    this.lastBytes = known;
    return true;
  }

  /** Keeps the bytes w holds from `at` as id's. */
  put(w: JsonBytes, at: number, id: number | string): void {
    // A copy (a Node Buffer's slice() would be a view of bytes the buffer reuses), always a plain Uint8Array (a
    // Buffer's Uint8Array slice is another Buffer): JsonBytes.raw then reads one kind of array.
    const bytes = w.n > at ? keep(w.buf, at, w.n) : OMITTED;
    const s = smallSlot(id);
    if (s >= 0) this.small[s] = bytes;
    else if (this.other.size < KEEP_MAX) this.other.set(id, bytes);
    this.lastId = id;
    this.lastBytes = bytes;
  }
}

/**
 * The slot in IdCache's array of an id kept there (-1: not one): the integers from -1 (a column's "none") below
 * SMALL - 1, and 0xffffffff (a names column's NONE), so that neither is hashed as a heap number row after row.
 */
function smallSlot(id: number | string): number {
  if (typeof id !== 'number') return -1;
  if (id >= -1 && id < SMALL - 1 && id === Math.floor(id)) return id + 1;
  return id === 0xffffffff ? SMALL : -1;
}

/**
 * An id of a pair of ids `a` and `b`, both below `max` (undefined when one is not): in IdCache's array when both are
 * below 256 (files, message ids, interfaces of a log: a few each), else a number above every such one.
 */
export function pairId(a: number, b: number, max: number): number | undefined {
  if (!(a >= 0 && a < max && b >= 0 && b < max)) return undefined;
  return a < 256 && b < 256 ? a * 256 + b : SMALL + a * max + b;
}

/** The id of every row of a fixed member (members.ts). */
const fixedId = () => 0;

/** `,"name":` (no comma for an object's first member). */
export function memberKey(m: Member, first: boolean): Uint8Array {
  return utf8(`${first ? '' : ','}${JSON.stringify(m.name)}:`);
}

/** A member as the writer walks it (every property set: one object shape). */
class Compiled {
  readonly key: Uint8Array;
  readonly id: ((i: number, k: number) => number | string | undefined) | null;
  readonly read: ((i: number, k: number) => unknown) | null;
  readonly bytes: ((w: JsonBytes, i: number, k: number) => boolean) | null;
  readonly present: ((i: number, k: number) => boolean) | null;
  readonly items: ((i: number) => number) | null;
  readonly members: Compiled[] | null;
  readonly optional: boolean;
  readonly cache = new IdCache();
  constructor(m: Member, first: boolean) {
    this.key = memberKey(m, first);
    this.id = m.id ?? (m.fixed ? fixedId : null);
    this.read = 'read' in m ? m.read : null;
    this.bytes = ('read' in m && m.bytes) || null;
    this.present = 'present' in m ? m.present : null;
    this.items = 'items' in m ? m.items : null;
    this.members = 'members' in m ? compile(m.members) : null;
    this.optional = 'present' in m && m.optional === true;
  }

  /** Row i's `,"name":value` (or nothing) into w. */
  write(w: JsonBytes, i: number, k: number): void {
    const id = this.id !== null ? this.id(i, k) : undefined;
    if (id === undefined) {
      this.writeValue(w, i, k);
      return;
    }
    if (this.cache.hit(w, id)) return;
    const at = w.n;
    this.writeValue(w, i, k);
    this.cache.put(w, at, id);
  }

  private writeValue(w: JsonBytes, i: number, k: number): void {
    if (this.items !== null) {
      const n = this.items(i);
      w.raw(this.key);
      w.byte(91);
      for (let j = 0; j < n; j++) {
        if (j) w.byte(44);
        writeMembers(w, this.members!, i, j);
      }
      w.byte(93);
    } else if (this.members !== null) {
      if (this.present!(i, k)) {
        w.raw(this.key);
        writeMembers(w, this.members, i, k);
      } else if (!this.optional) {
        w.raw(this.key);
        w.raw(NULL);
      }
    } else {
      if (this.bytes !== null) {
        const at = w.n;
        w.raw(this.key);
        if (this.bytes(w, i, k)) return;
        w.n = at;
      }
      const v = this.read!(i, k);
      if (v === undefined) return;
      w.raw(this.key);
      value(w, v);
    }
  }
}

function compile(members: readonly Member[]): Compiled[] {
  return checkedMembers(members).map((m, k) => new Compiled(m, k === 0));
}

/** `{...}` of item k of row i. */
function writeMembers(w: JsonBytes, ms: readonly Compiled[], i: number, k: number): void {
  w.byte(123);
  for (let m = 0; m < ms.length; m++) ms[m].write(w, i, k);
  w.byte(125);
}

/** A writer of rows' JSON bytes into a JsonBytes, opening with `head` (`{`, or `{` and members written first). */
export function memberBytes<T>(members: readonly Member<T>[]): (w: JsonBytes, i: number, head: Uint8Array) => void {
  const top = compile(members);
  return (w, i, head) => {
    w.raw(head);
    for (let m = 0; m < top.length; m++) top[m].write(w, i, 0);
    w.byte(125);
  };
}
