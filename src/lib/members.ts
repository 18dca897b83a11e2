/**
 * A record's members declared once, as a table of names and readers of row i, from which both its object and its
 * JSON text are made: the page reads the objects, `analyze --json`/`--ndjson` writes the JSON of millions of rows as
 * bytes without making them (member-bytes.ts; the same text JSON.stringify gives for the object). Adding a member
 * is one entry.
 */
import type { JsonBytes } from './json-bytes';

/**
 * A member of T: its name and how to read its value for row i. Inside a list (`items`), `k` is the item's index and
 * every reader below it gets it too; elsewhere it is 0.
 */
export type Member<T = any> = {
  name: Extract<keyof T, string>;
  /**
   * For values that repeat (names, reasons, explanations, constants): an id of row i's value (rows with the same
   * id have the same value), so that the text is made once per id; undefined for a row whose value is its own.
   */
  id?: (i: number, k: number) => number | string | undefined;
  /**
   * In the object, made when first read (then kept), not when the object is made: for a value costly to make and
   * rarely read (a property with a getter, enumerable, so JSON.stringify and structured clone see it in its place;
   * assigning it replaces the value). Its readers must then work at any later time from i and k alone.
   */
  lazy?: boolean;
  /**
   * The same value in every row (a constant): the JSON writers make its bytes once (member-code.ts writes them with
   * the fixed members beside it as one run), not per row. It has no `id` then.
   */
  fixed?: boolean;
} & (
  | {
    /** The value; undefined leaves the member out of this row. */
    read: (i: number, k: number) => unknown;
    /**
     * For the JSON bytes only (member-bytes.ts, member-code.ts): writes the JSON of `read`'s value itself, from
     * something cheaper to read than the value (an address's number instead of its text; a long text put together
     * from bytes it keeps); false when it has no such way for this row (nothing written: `read`'s value is written).
     */
    bytes?: (w: JsonBytes, i: number, k: number) => boolean;
  }
  | {
    /** An object made of `members`, or null when not `present` (left out when `optional`). */
    present: (i: number, k: number) => boolean;
    members: Member[];
    optional?: boolean;
  }
  | {
    /** A list of `items(i)` objects, each made of `members` read with its index k. */
    items: (i: number) => number;
    members: Member[];
  }
);

/** Where an object's lazy members come from (i, k) and their values once read: a hidden, symbol-keyed slot. */
const LAZY = Symbol('lazy members');
interface LazySlot {
  [LAZY]: { i: number; k: number; values: Record<string, unknown> };
}

/** The accessor of each lazy member, made once per member (one shape for every object). */
const accessors = new WeakMap<Member, PropertyDescriptor>();

function accessor(m: Member): PropertyDescriptor {
  let d = accessors.get(m);
  if (d) return d;
  const name = m.name;
  d = {
    enumerable: true,
    configurable: true,
    get(this: LazySlot) {
      const z = this[LAZY];
      return (z.values[name] ??= memberValue(m, z.i, z.k));
    },
    set(this: LazySlot, v: unknown) {
      this[LAZY].values[name] = v;
    },
  };
  accessors.set(m, d);
  return d;
}

/** Member m's value in row i (item k of a list); undefined when left out. */
function memberValue(m: Member, i: number, k: number): unknown {
  if ('items' in m) {
    const n = m.items(i);
    const list: unknown[] = new Array(n);
    for (let j = 0; j < n; j++) list[j] = memberObject(m.members, i, j);
    return list;
  }
  if ('present' in m) return m.present(i, k) ? memberObject(m.members, i, k) : m.optional ? undefined : null;
  return m.read(i, k);
}

/** Row i's object (item k of a list). */
export function memberObject<T>(members: readonly Member<T>[], i: number, k = 0): T {
  const o: Record<string, unknown> = {};
  let lazy = false;
  for (const m of members) {
    if (m.lazy) {
      Object.defineProperty(o, m.name, accessor(m));
      lazy = true;
    } else {
      const v = memberValue(m, i, k);
      if (v !== undefined) o[m.name] = v;
    }
  }
  // Non-enumerable and symbol-keyed: JSON, structured clone, Object.keys and test equality do not see it.
  if (lazy) Object.defineProperty(o, LAZY, { value: { i, k, values: {} } });
  return o as T;
}

/** The members of an object, checked: the first is never left out (the others' text starts with their comma). */
export function checkedMembers(members: readonly Member[]): readonly Member[] {
  if (members.length && 'present' in members[0] && members[0].optional) throw new Error('the first member of an object is never left out');
  return members;
}
