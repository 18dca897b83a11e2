/**
 * A member table (members.ts) written as JSON bytes by one straight-line function (and one for each big nested
 * object, SPLIT) made from the table when the writer is first needed: the members in order, each reader called from
 * a call site of its own (which the engine then inlines), each key stored byte by byte with the `{` or `[` after
 * it (and the members marked fixed, adjacent ones together, stored so with their values, made once here), instead
 * of member-bytes.ts's loop over members, whose one call site of every reader and one check of every value's type
 * serve all of them. Adjacent members read by small ids have their bytes kept together (group). The same bytes as
 * memberBytes (and so as JSON.stringify of memberObject): the keys, the kept bytes by id (IdCache) and the way values
 * are written are member-bytes.ts's. Where code cannot be made at run time (the page's
 * Content-Security-Policy has no 'unsafe-eval'), memberBytes is the writer.
 */
import { JsonBytes, utf8 } from './json-bytes';
import { checkedMembers, memberObject, type Member } from './members';
import { IdCache, memberBytes, memberKey, NULL, value } from './member-bytes';

type Writer = (w: JsonBytes, i: number, head: Uint8Array) => void;

/** A writer of rows' JSON bytes into a JsonBytes, opening with `head` (`{`, or `{` and members written first). */
export function memberCode<T>(members: readonly Member<T>[]): Writer {
  /** What the code reads by index: readers, keys and caches. */
  const refs: unknown[] = [];
  const ref = (x: unknown) => `r[${refs.push(x) - 1}]`;
  let names = 0;
  /** Functions of their own (declared before the writer): the bodies of nested objects of SPLIT members or more. */
  const fns: string[] = [];
  /** Code calling a function of its own that writes `ms` of row i, item `k`; or that code inline, for a small object. */
  const nested = (ms: readonly Member[], k: string, n: number): string => {
    if (ms.length < SPLIT) return object(ms, k);
    fns.push(`function f${n}(w, i, k) {\n${object(ms, 'k')}\n}`);
    return `f${n}(w, i, ${k});`;
  };
  /** Code writing `ms`, an object's members, of row i and item `k` (an expression). */
  const object = (ms: readonly Member[], k: string): string => {
    const code: string[] = [];
    // A run of fixed members: their bytes, made once here, stored as one.
    let run: number[] = [];
    // A run of members read by id (GROUP at most): written together.
    let ids: { m: Member; first: boolean }[] = [];
    const flush = () => {
      if (run.length) code.push(put(Uint8Array.from(run)));
      run = [];
      if (ids.length) code.push(ids.length === 1 ? member(ids[0].m, ids[0].first, k) : group(ids, k));
      ids = [];
    };
    checkedMembers(ms).forEach((m, j) => {
      if (m.fixed) {
        if (ids.length) flush();
        run.push(...fixedBytes(m, j === 0));
        return;
      }
      if (run.length || ids.length === GROUP || !('read' in m && m.id)) flush();
      if ('read' in m && m.id) ids.push({ m, first: j === 0 });
      else code.push(member(m, j === 0, k));
    });
    flush();
    return code.join('\n');
  };
  /**
   * Code writing fixed bytes: stored one by one (no call; a key is a few bytes), or a long run copied at once
   * (a run of 92 bytes stored one by one took ~0.17 s of 934,000 log-only records).
   */
  const put = (bytes: Uint8Array): string => {
    if (bytes.length > LONG_RUN) return `{ if (w.n + ${bytes.length} > w.buf.length) w.room(${bytes.length}); w.buf.set(${ref(bytes)}, w.n); w.n += ${bytes.length}; }`;
    const stores = Array.from(bytes, (b, j) => `b[n + ${j}] = ${b};`).join(' ');
    return `{ if (w.n + ${bytes.length} > w.buf.length) w.room(${bytes.length}); const b = w.buf, n = w.n; ${stores} w.n = n + ${bytes.length}; }`;
  };
  const member = (m: Member, first: boolean, k: string): string => {
    const { n, code } = body(m, first, k);
    return m.id ? cached(`${ref(m.id)}(i, ${k})`, n, code) : `{ ${code} }`;
  };
  /** Code writing member m (its key and value) of row i, item k, kept by no id; n names its variables. */
  const body = (m: Member, first: boolean, k: string): { n: number; code: string } => {
    const n = names++;
    const name = memberKey(m, first);
    const key = put(name);
    /** The key and the byte after it (`[` or `{`). */
    const open = (c: number) => put(Uint8Array.of(...name, c));
    let code: string;
    if ('items' in m) {
      const kk = `k${n}`;
      code = `const n${n} = ${ref(m.items)}(i); ${open(91)}
for (let ${kk} = 0; ${kk} < n${n}; ${kk}++) { if (${kk}) w.byte(44); w.byte(123);
${nested(m.members, kk, n)}
w.byte(125); }
w.byte(93);`;
    } else if ('present' in m) {
      code = `if (${ref(m.present)}(i, ${k})) { ${open(123)}
${nested(m.members, k, n)}
w.byte(125); }${m.optional ? '' : ` else { ${key}; w.raw(${ref(NULL)}); }`}`;
    } else {
      code = `const v${n} = ${ref(m.read)}(i, ${k});
if (v${n} !== undefined) { ${key};
if (typeof v${n} === 'string') w.str(v${n}); else if (typeof v${n} === 'number') w.num(v${n}); else value(w, v${n}); }`;
      // The member's own bytes first; when it has none for this row, what it wrote (the key) is taken back.
      if (m.bytes) code = `const b${n} = w.n; ${key}; if (!${ref(m.bytes)}(w, i, ${k})) { w.n = b${n}; ${code} }`;
    }
    return { n, code };
  };
  /** `code` (body's) with the bytes it writes kept by the id `id` gives (an expression), in an IdCache. */
  const cached = (id: string, n: number, code: string): string => {
    const cache = ref(new IdCache());
    return `{ const id${n} = ${id};
if (id${n} === undefined || !${cache}.hit(w, id${n})) { const at${n} = w.n;
{ ${code} }
if (id${n} !== undefined) ${cache}.put(w, at${n}, id${n}); } }`;
  };
  /**
   * Code writing adjacent members read by id as one: when each id is a small one (idSlot), their bytes are kept
   * by the ids together, one lookup instead of one per member (a deny record's message id, cause, protocol and
   * class: u1m.log's 207,954 deny records 141-147 -> 111-114 ms a pass); otherwise each member as member() writes it.
   */
  const group = (ms: { m: Member; first: boolean }[], k: string): string => {
    const g = names++;
    const id = (j: number) => `g${g}_${j}`;
    const slot = (j: number) => `s${g}_${j}`;
    const read = ms.map(({ m }, j) => `const ${id(j)} = ${ref(m.id)}(i, ${k}); const ${slot(j)} = idSlot(${id(j)});`).join('\n');
    const key = ms.reduce((e, _, j) => (j ? `(${e}) * ${ID_SLOTS} + ${slot(j)}` : slot(0)), '');
    const small = ms.map((_, j) => `${slot(j)} >= 0`).join(' && ');
    const together = ms.map(({ m, first }) => body(m, first, k).code).join('\n');
    const apart = ms.map(({ m, first }, j) => {
      const { n, code } = body(m, first, k);
      return cached(id(j), n, code);
    });
    return `{ ${read}
if (${small}) ${cached(key, names++, together)}
else { ${apart.join('\n')} } }`;
  };
  const top = object(members, '0');
  const code = `${fns.join('\n')}
return function memberCode(w, i, head) { w.raw(head);
${top}
w.byte(125); };`;
  try {
    return new Function('r', 'value', 'idSlot', code)(refs, value, idSlot) as Writer;
  } catch (e) {
    if (e instanceof EvalError) return memberBytes(members);
    throw e;
  }
}

/** A fixed member's `,"name":value` (or `"name":value`, first), as memberBytes writes it for any row. */
function fixedBytes(m: Member, first: boolean): Uint8Array {
  if (m.id) throw new Error(`fixed member ${m.name} with an id`);
  const w = new JsonBytes(new Uint8Array(64));
  memberBytes([m])(w, 0, OPEN); // {"name":value}, or {} when it is left out
  if (w.n === 2) return new Uint8Array(0);
  const bytes = w.buf.slice(first ? 1 : 0, w.n - 1);
  if (!first) bytes[0] = 44; // its `{` made the comma before it
  return bytes;
}

const OPEN = utf8('{');
/** Fixed runs longer than this are copied with one set() (memberCode's put). */
const LONG_RUN = 32;
/**
 * Nested objects of this many members or more are written by a function of their own: the engine then optimizes a
 * few functions of a moderate size sooner and at less cost than one huge one (a log-only connection's writer in one
 * function took 230-430 ms of compile, on each thread that writes them). u1m.log's 192,085 log-only records, first
 * pass, CPU of the whole process: 1.08-1.14 s in one function, 0.97-1.00 s so; later passes the same (~0.5 s).
 */
const SPLIT = 6;
/** Adjacent members read by id written as one (memberCode's group): at most this many, their ids' slots in 48 bits. */
const GROUP = 4;
/** Slots of a small id in a group's key: -1 (a column's "none") to ID_SLOTS - 3, and 0xffffffff (a names column's NONE). */
const ID_SLOTS = 4096;

/** A small id's slot in a group's key (0 to ID_SLOTS - 1), or -1 for an id that is not one (the members apart then). */
function idSlot(id: number | string | undefined): number {
  if (typeof id !== 'number') return -1;
  if (id >= -1 && id < ID_SLOTS - 2 && id === Math.floor(id)) return id + 1;
  return id === 0xffffffff ? ID_SLOTS - 1 : -1;
}

/**
 * A maker of row i's object (item k of a list) made the same way: the properties memberObject sets, in its order,
 * each reader called from a call site of its own, for objects made by the hundred thousand (the reports a log's
 * explanations read, one per connection with denies). memberObject itself where code cannot be made, and for a
 * table with lazy members or lists.
 */
export function memberObjectCode<T>(members: readonly Member<T>[]): (i: number, k?: number) => T {
  const general = (i: number, k = 0) => memberObject(members, i, k);
  const plain = (ms: readonly Member[]): boolean => ms.every((m) => !m.lazy && !('items' in m) && (!('members' in m) || plain(m.members)));
  if (!plain(members)) return general;
  const refs: unknown[] = [];
  const ref = (x: unknown) => `r[${refs.push(x) - 1}]`;
  let objects = 0;
  /** Code making object `o` of `ms`' members of row i, item k. */
  const object = (ms: readonly Member[], o: string): string =>
    `const ${o} = {};\n${ms
      .map((m) => {
        const key = `${o}[${JSON.stringify(m.name)}]`;
        if ('read' in m) return `{ const v = ${ref(m.read)}(i, k); if (v !== undefined) ${key} = v; }`;
        if (!('present' in m)) throw new Error('a list in a plain table');
        const inner = `o${++objects}`;
        return `if (${ref(m.present)}(i, k)) { ${object(m.members, inner)} ${key} = ${inner}; }${m.optional ? '' : ` else ${key} = null;`}`;
      })
      .join('\n')}`;
  const body = `return function memberObjectCode(i, k = 0) {\n${object(members, 'o0')}\nreturn o0; };`;
  try {
    return new Function('r', body)(refs) as (i: number, k?: number) => T;
  } catch (e) {
    if (e instanceof EvalError) return general;
    throw e;
  }
}
