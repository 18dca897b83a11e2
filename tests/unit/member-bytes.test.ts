/**
 * A member table (lib/members.ts) gives objects and their JSON bytes (member-bytes.ts): the bytes must be what JSON.stringify writes for the object (the format, not a second copy of any
 * record) for every kind of member: values of each type, nested and optional objects, lists of objects read by item,
 * members left out, texts kept by id (inside lists too), values that write their own bytes, and lazy members (made when first read in the object, in
 * their place for JSON.stringify, replaceable). The straight-line writer made from the table (member-code.ts) writes the
 * same bytes, and where code cannot be made at run time it is member-bytes.ts's writer; objects made by straight-line
 * code (memberObjectCode) are memberObject's.
 */
import { describe, expect, it, vi } from 'vitest';
import { memberObject, type Member } from '../../src/lib/members';
import { memberBytes, pairId } from '../../src/lib/member-bytes';
import { memberCode, memberObjectCode } from '../../src/lib/member-code';
import { JsonBytes, utf8 } from '../../src/lib/json-bytes';

const STRINGS = ['plain', 'a "quoted" word', 'back\\slash', 'tab\there', 'nul\u0000', 'lone \ud800 high', 'pair 😀', 'line\u2028sep', 'außen €', '', 'a long plain string of more than thirty-two characters'];

let lazyReads = 0;
/** Rows whose address a member wrote as its own bytes (`bytes`), not as `read`'s text. */
let ownBytes = 0;

const members: Member[] = [
  { name: 'id', read: (i) => `row-${i}` },
  { name: 'name', read: (i) => STRINGS[i % STRINGS.length] },
  { name: 'n', read: (i) => [0, -0, 1.5, NaN, Infinity, -3, 1e21, 4294967296][i % 8] },
  { name: 'yes', read: (i) => i % 3 === 0 },
  { name: 'list', read: (i) => (i % 3 ? STRINGS.slice(0, i % 4) : null) },
  { name: 'mixed', read: (i) => (i % 2 ? [{ k: STRINGS[i % STRINGS.length] }, 1] : { deep: [null, 'x'] }) },
  { name: 'gone', read: (i) => (i % 2 ? undefined : i), id: (i) => (i % 2 ? -1 : undefined) },
  {
    name: 'inner',
    present: (i) => i % 4 !== 0,
    id: (i) => (i % 8 === 1 ? 'same' : undefined),
    members: [{ name: 'a', read: (i) => (i % 8 === 1 ? 'kept' : STRINGS[(i * 3) % STRINGS.length]) }, { name: 'b', read: (i) => (i % 8 === 1 ? 1 : i) }],
  },
  { name: 'opt', optional: true, present: (i) => i % 5 === 0, members: [{ name: 'x', read: (i) => STRINGS[i % STRINGS.length] }] },
  {
    name: 'items',
    items: (i) => i % 4,
    members: [
      { name: 'k', read: (_, k) => k },
      { name: 'word', read: (i, k) => STRINGS[(i + k) % STRINGS.length], id: (i, k) => (i + k) % STRINGS.length },
      { name: 'maybe', read: (i, k) => (k % 2 ? undefined : i) },
    ],
  },
  {
    name: 'later',
    lazy: true,
    read: (i) => {
      lazyReads++;
      return STRINGS[(i * 7) % STRINGS.length];
    },
  },
  { name: 'lazyObject', lazy: true, present: () => true, members: [{ name: 'sum', read: (i) => i + 1 }] },
  { name: 'kind', read: (i) => ['built', 'teardown', 'deny "x"'][i % 3], id: (i) => i % 3 },
  // Its own bytes (an address from its number) for some rows, `read`'s value for the others; with an id too.
  { name: 'addr', read: (i) => `10.${i % 256}.0.${i % 7}`, bytes: (w, i) => (i % 3 ? (w.ipv4(((10 * 256 + (i % 256)) * 256) * 256 + (i % 7)), ownBytes++, true) : false) },
  { name: 'addrById', read: (i) => `192.0.2.${i % 5}`, id: (i) => (i % 2 ? i % 5 : undefined), bytes: (w, i) => (i % 4 ? (w.ipv4(0xc0000200 + (i % 5)), ownBytes++, true) : false) },
  // Runs of rows with one id (the last id's bytes are kept apart from the others), ids too big to be small ones.
  { name: 'run', read: (i) => STRINGS[Math.floor(i / 5) % STRINGS.length], id: (i) => 1e12 + (Math.floor(i / 5) % STRINGS.length) },
  // Ids a column gives for "none" (-1, 0xffffffff) beside small ones, and pairs of ids (small and not).
  { name: 'none', read: (i) => ['minus', 'names', 'zero'][i % 3], id: (i) => [-1, 0xffffffff, 0][i % 3] },
  { name: 'pair', read: (i) => `${i % 3}/${(i * 37) % 300}`, id: (i) => pairId(i % 3, (i * 37) % 300, 2 ** 24) },
  // Adjacent members read by small ids (memberCode keeps their bytes by the ids together), some rows' ids not small
  // (5000 and up) or none (undefined), a names column's NONE among them.
  { name: 'gA', read: (i) => STRINGS[i % 4], id: (i) => i % 4 },
  { name: 'gB', read: (i) => (i % 6 === 5 ? undefined : i % 3), id: (i) => (i % 7 === 6 ? undefined : i % 6) },
  { name: 'gC', read: (i) => (i % 11 === 10 ? 'none' : ['x', 'y'][i % 2]), id: (i) => (i % 11 === 10 ? 0xffffffff : i % 11 === 9 ? 5000 + (i % 2) : i % 2) },
  // An object and a list's items of 6 members or more (memberCode writes each with a function of its own).
  {
    name: 'big',
    present: (i) => i % 3 !== 1,
    members: [
      { name: 'p', read: (i) => i },
      { name: 'q', read: (i) => STRINGS[i % STRINGS.length], id: (i) => i % STRINGS.length },
      { name: 'r', read: () => 'fixed', fixed: true },
      { name: 's', present: (i) => i % 2 === 0, members: [{ name: 't', read: (i) => i * 2 }] },
      { name: 'u', read: () => null },
      { name: 'v', read: (i) => (i % 2 ? undefined : 'v') },
    ],
  },
  {
    name: 'bigItems',
    items: (i) => i % 3,
    members: [
      { name: 'a', read: (_, k) => k },
      { name: 'b', read: (i, k) => i + k },
      { name: 'c', read: (i, k) => STRINGS[(i + k) % STRINGS.length], id: (i, k) => (i + k) % STRINGS.length },
      { name: 'd', read: () => null },
      { name: 'e', read: (_, k) => (k % 2 ? undefined : 'e') },
      { name: 'f', present: (i, k) => (i + k) % 2 === 0, members: [{ name: 'g', read: (_, k) => [k] }] },
    ],
  },
  // Fixed members (constants): a run of them, an object, one left out, and an object opening with one.
  { name: 'fixedText', read: () => 'the "same"', fixed: true },
  { name: 'fixedObject', present: () => true, members: [{ name: 'z', read: () => 0 }, { name: 'y', read: () => null }], fixed: true },
  { name: 'fixedGone', read: () => undefined, fixed: true },
  { name: 'fixedFirst', present: () => true, members: [{ name: 'f', read: () => 'first', fixed: true }, { name: 'g', read: (i) => i }, { name: 'h', read: () => [1], fixed: true }] },
];

describe('members as JSON bytes', () => {
  it.each([
    ['member by member', memberBytes],
    ['straight-line', memberCode],
  ])('writes exactly what JSON.stringify writes for the object, row after row (%s)', (_, writer) => {
    // Small buffers (rows make them grow); one of Node's Buffers (whose slice() is a view), as the command line's.
    ownBytes = 0;
    for (const w of [new JsonBytes(new Uint8Array(4)), new JsonBytes(Buffer.alloc(4), (n) => Buffer.alloc(n))]) rows(w, writer(members));
    expect(ownBytes).toBeGreaterThan(300); // the members' own bytes were written, not only their values
  });

  it('straight-line: made as code, or member by member where no code can be made (a Content-Security-Policy)', () => {
    expect(memberCode(members).name).toBe('memberCode');
    vi.stubGlobal('Function', function () {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    try {
      const w = memberCode(members);
      expect(w.name).not.toBe('memberCode');
      rows(new JsonBytes(new Uint8Array(4)), w);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  function rows(w: JsonBytes, bytes: ReturnType<typeof memberBytes>): void {
    const decoder = new TextDecoder();
    for (let i = 0; i < 300; i++) {
      const json = JSON.stringify(memberObject(members, i));
      w.n = 0;
      bytes(w, i, utf8('{'));
      expect(decoder.decode(w.buf.subarray(0, w.n))).toBe(json);
      w.n = 0;
      bytes(w, i, utf8('{"record":"x",'));
      expect(decoder.decode(w.buf.subarray(0, w.n))).toBe(`{"record":"x",${json.slice(1)}`);
    }
  }

  it('lists: one object per item, an empty list as []', () => {
    expect(memberObject<any>(members, 0).items).toEqual([]);
    expect(memberObject<any>(members, 2).items).toEqual([
      { k: 0, word: STRINGS[2], maybe: 2 },
      { k: 1, word: STRINGS[3] },
    ]);
  });

  it('lazy members: read when first read, then kept; in their place; assignable; unseen by Object.keys order change', () => {
    lazyReads = 0;
    const o = memberObject<any>(members, 3);
    expect(lazyReads).toBe(0);
    expect(o.later).toBe(STRINGS[21 % STRINGS.length]);
    expect(o.later).toBe(STRINGS[21 % STRINGS.length]);
    expect(lazyReads).toBe(1);
    expect(Object.keys(o)).toEqual(members.filter((m) => m.name !== 'gone' && m.name !== 'opt' && m.name !== 'fixedGone').map((m) => m.name));
    expect(o.lazyObject).toEqual({ sum: 4 });
    o.later = 'changed';
    expect(JSON.parse(JSON.stringify(o)).later).toBe('changed');
    expect(structuredClone(o).lazyObject).toEqual({ sum: 4 });
  });

  it('objects made by straight-line code: the same properties in the same order as memberObject (itself for lazy members and lists)', () => {
    const plain = members.filter((m) => !m.lazy && !('items' in m));
    const made = memberObjectCode(plain);
    expect(made.name).toBe('memberObjectCode');
    for (let i = 0; i < 300; i++) {
      const o = made(i);
      expect(o).toStrictEqual(memberObject(plain, i));
      expect(JSON.stringify(o)).toBe(JSON.stringify(memberObject(plain, i)));
    }
    // A table with lazy members or lists: memberObject's objects (lazy members made when read).
    const general = memberObjectCode(members);
    expect(general.name).not.toBe('memberObjectCode');
    for (let i = 0; i < 20; i++) expect(JSON.stringify(general(i))).toBe(JSON.stringify(memberObject(members, i)));
  });

  it('refuses an optional first member (the others are written with their comma first)', () => {
    for (const writer of [memberBytes, memberCode]) expect(() => writer([{ name: 'a', optional: true, present: () => false, members: [] }])).toThrow(/first member/);
  });
});
