/**
 * lib/members.ts: a record declared once as members gives its object and its JSON text (as bytes, member-bytes.ts);
 * the text must be what JSON.stringify writes for the object (the format, not a second copy of any record), for every kind of value the
 * writer has a short way for: strings needing escapes (quotes, backslashes, controls, lone and paired surrogates,
 * U+2028), numbers that are not finite, nulls, lists of strings, other values, nested and optional objects, members
 * left out, and texts kept by id (also for a member left out, and inside an object kept by id).
 */
import { describe, expect, it } from 'vitest';
import { memberObject, type Member } from '../../src/lib/members';
import { memberBytes } from '../../src/lib/member-bytes';
import { JsonBytes, utf8 } from '../../src/lib/json-bytes';

/** The JSON text the command line writes for row i of a member table (member-bytes.ts), opening with `head`. */
function memberText(members: Member[]): (i: number, head?: string) => string {
  const write = memberBytes(members);
  const w = new JsonBytes(new Uint8Array(16));
  return (i, head = '{') => {
    w.n = 0;
    write(w, i, utf8(head));
    return new TextDecoder().decode(w.buf.subarray(0, w.n));
  };
}

const STRINGS = ['plain', 'a "quoted" word', 'back\\slash', 'tab\there', 'nul\u0000', 'lone \ud800 high', 'pair 😀', 'line\u2028sep', 'außen €', ''];

interface Row {
  id: string;
  name: string;
  n: number;
  list: string[] | null;
  mixed: unknown;
  gone?: number;
  inner: { a: string; b: number } | null;
  opt?: { x: string };
  kind: string;
  tagged: { a: string; b: number };
}

const members: Member<Row>[] = [
  { name: 'id', read: (i) => `row-${i}` },
  { name: 'name', read: (i) => STRINGS[i % STRINGS.length] },
  { name: 'n', read: (i) => [0, -0, 1.5, NaN, Infinity, -3, 1e21][i % 7] },
  { name: 'list', read: (i) => (i % 3 ? STRINGS.slice(0, i % 4) : null) },
  { name: 'mixed', read: (i) => (i % 2 ? [{ k: STRINGS[i % STRINGS.length] }, 1] : { deep: [null, 'x'] }) },
  { name: 'gone', read: (i) => (i % 2 ? undefined : i), id: (i) => (i % 2 ? -1 : undefined) },
  {
    name: 'inner',
    present: (i) => i % 4 !== 0,
    members: [{ name: 'a', read: (i) => STRINGS[(i * 3) % STRINGS.length] }, { name: 'b', read: (i) => i }],
  },
  { name: 'opt', optional: true, present: (i) => i % 5 === 0, members: [{ name: 'x', read: (i) => STRINGS[i % STRINGS.length] }] },
  { name: 'kind', read: (i) => ['built', 'teardown', 'deny "x"'][i % 3], id: (i) => i % 3 },
  {
    name: 'tagged',
    present: () => true,
    id: (i) => i % 3,
    members: [{ name: 'a', read: (i) => ['x', 'y', 'z'][i % 3], id: (i) => 10 + (i % 3) }, { name: 'b', read: (i) => i % 3 }],
  },
];

describe('members: one declaration, its objects and their JSON text', () => {
  it('writes exactly what JSON.stringify writes for the object, row after row (texts kept by id included)', () => {
    const text = memberText(members);
    for (let i = 0; i < 200; i++) {
      const o = memberObject(members, i);
      expect(text(i)).toBe(JSON.stringify(o));
      expect(text(i, '{"record":"x",')).toBe(`{"record":"x",${JSON.stringify(o).slice(1)}`);
    }
  });

  it('leaves out members read as undefined and optional objects not present; nulls the others', () => {
    expect(memberObject(members, 1)).not.toHaveProperty('gone');
    expect(memberObject(members, 1)).not.toHaveProperty('opt');
    expect(memberObject(members, 4).inner).toBe(null);
    expect(memberObject(members, 5).opt).toEqual({ x: STRINGS[5] });
  });

  it('refuses an optional first member (the text of the others starts with their comma)', () => {
    expect(() => memberText([{ name: 'a', optional: true, present: () => false, members: [] }])).toThrow(/first member/);
  });
});
