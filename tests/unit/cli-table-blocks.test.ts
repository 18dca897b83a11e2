// The command line's table writer (src/cli/table-blocks.ts) lays rows out in bytes; it must give exactly the text
// of the plain way: each cell padded to the widest cell of the rows so far (widths grow block by block), two spaces
// between, the end trimmed. Checked on random rows (empty cells, trailing blanks, tabs, non-ASCII text, a lone
// surrogate, rows shorter than the head) across several blocks. Blocks laid out apart (by two threads: cli/threaded-
// table.ts) from widths short of the true ones give the same bytes where cli/table-widths.ts finds them exact, and
// laid out again from the true widths where it does not.
import { describe, expect, it } from 'vitest';
import { BlockLayout, writeBlocks, type TableRows } from '../../src/cli/table-blocks';
import { KnownWidths } from '../../src/cli/table-widths';
import { isoTime } from '../../src/model/report';

const BLOCK = 4096;

/** The plain way, block by block as the writer does (widths of the rows so far at each block's end). */
function reference(head: string[], rows: string[][], title?: string, size = BLOCK): string {
  if (title !== undefined && rows.length === 0) return '';
  const widths = head.map((h) => h.length);
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  let out = '';
  for (let b = 0; b === 0 || b < rows.length; b += size) {
    const block = rows.slice(b, b + size);
    for (const r of block) r.forEach((c, i) => (widths[i] = Math.max(widths[i], c.length)));
    if (b === 0) out += `${title ?? ''}${line(head)}\n`;
    for (const r of block) out += `${line(r)}\n`;
  }
  return out;
}

/** A cell that is an IPv4 address (its value) or a time (microseconds), written by ipv4() or time(). */
type Special = { ipv4: number } | { us: number };
const specialText = (v: Special) =>
  'ipv4' in v ? `${v.ipv4 >>> 24}.${(v.ipv4 >>> 16) & 255}.${(v.ipv4 >>> 8) & 255}.${v.ipv4 & 255}` : isoTime(v.us);

/**
 * `rows` as a table: each cell written as a number when it is digits, as bytes when it starts with "b:", else as
 * text; `special` cells (by row and cell) by ipv4() or time().
 */
function table(head: string[], rows: string[][], special = new Map<string, Special>()): TableRows {
  return {
    head,
    count: rows.length,
    write(k, c) {
      rows[k].forEach((cell, i) => {
        const v = special.get(`${k} ${i}`);
        if (v) 'ipv4' in v ? c.ipv4(v.ipv4) : c.time(v.us);
        else if (/^[0-9]+$/.test(cell)) c.num(Number(cell));
        else if (cell.startsWith('b:')) c.bytes(Buffer.from(cell, 'latin1'));
        else c.text(cell);
        c.end();
      });
    },
  };
}

/** What the writer writes, and the plain text as stdout would write it (UTF-8), as hex (a lone surrogate included). */
async function written(head: string[], rows: string[][], title?: string, special?: Map<string, Special>): Promise<string> {
  const parts: Buffer[] = [];
  await writeBlocks(table(head, rows, special), title, async (b) => void parts.push(Buffer.from(b)));
  return Buffer.concat(parts).toString('hex');
}
const bytes = (text: string) => Buffer.from(text, 'utf8').toString('hex');

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('table blocks', () => {
  const head = ['id', 'client', 'server', 'kind', 'note'];
  const pieces = ['', ' ', 'a', '10.0.0.1:443', '[2001:db8::1]:80', 'fin-then-rst', 'x\t', 'trailing  ', 'Zürich', '→', '\ud800', 'SF ShAdDaFf', 'b:ASA-fw-1', 'a long cell of ASCII text before→'];

  it('gives the plain text for random rows over several blocks', async () => {
    const next = rng(17);
    const rows: string[][] = [];
    for (let k = 0; k < 3 * BLOCK + 17; k++) {
      const n = next() < 0.05 ? 3 : 5;
      const r: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = pieces[Math.floor(next() * pieces.length)];
        // Mostly ASCII rows; a wide cell now and then, so widths grow in later blocks.
        r.push(next() < 0.002 ? p.repeat(8) : next() < 0.9 && /[^\x00-\x7f]/.test(p) ? String(k) : p);
      }
      rows.push(r);
    }
    expect(await written(head, rows) === bytes(reference(head, rows))).toBe(true); // (not toBe: megabytes of diff)
    expect(await written(head, rows.slice(0, 5), '\ntitle:\n')).toBe(bytes(reference(head, rows.slice(0, 5), '\ntitle:\n')));
    // The title once, before the head, however many blocks.
    expect(await written(head, rows, '\ntitle:\n') === bytes(reference(head, rows, '\ntitle:\n'))).toBe(true);
  });

  it('lays out blocks apart from the widths known so far: kept where exact, laid out again where not', async () => {
    const next = rng(23);
    const rows: string[][] = [];
    for (let k = 0; k < 3000; k++) {
      const r: string[] = [];
      for (let i = 0; i < (next() < 0.05 ? 3 : 5); i++) {
        const p = pieces[Math.floor(next() * pieces.length)];
        r.push(next() < 0.01 ? p.repeat(1 + Math.floor(k / 100)) : p); // wider cells further on
      }
      rows.push(r);
    }
    const t = table(head, rows);
    const size = 7;
    const parts: Buffer[] = [];
    await writeBlocks(t, '\ntitle:\n', async (b) => void parts.push(Buffer.from(b)), size);
    const layout = new BlockLayout(t, '\ntitle:\n', size);
    const known = KnownWidths.shared(layout.blocks, head.length);
    // Each block laid out from the widths known before it, while the widths of the last few are not known yet (the
    // blocks the other thread is laying out).
    const laid: Buffer[] = [];
    const pending: [number, number[]][] = [];
    for (let b = 0; b < layout.blocks; b++) {
      const w = known.before(b, head);
      laid.push(Buffer.from(layout.layout(b, w)));
      pending.push([b, w]);
      while (pending.length > 3 || (pending.length && next() < 0.4)) known.set(...pending.shift()!);
    }
    for (const p of pending) known.set(...p);
    const out: Buffer[] = [];
    const widths = head.map((h) => h.length);
    let again = 0;
    for (let b = 0; b < layout.blocks; b++) {
      if (known.exact(b, widths)) out.push(laid[b]);
      else {
        again++;
        out.push(Buffer.from(layout.layout(b, widths)));
      }
    }
    expect(again).toBeGreaterThan(5);
    expect(again).toBeLessThan(layout.blocks / 4);
    expect(Buffer.concat(out).equals(Buffer.concat(parts))).toBe(true);
    expect(Buffer.concat(parts).toString('hex') === bytes(reference(head, rows, '\ntitle:\n', size))).toBe(true);
  });

  it('writes addresses and times as the plain text has them, in rows of bytes and rows of strings', async () => {
    const next = rng(5);
    const stamps = [0, 1529452800e6, 1529452800e6 + 907301, 1529452801e6 - 0.25, -1.5e6, 253402300800e6, -62198755200e6, 9e18, 1e15 + 0.5];
    const rows: string[][] = [];
    const special = new Map<string, Special>();
    for (let k = 0; k < 2 * BLOCK + 5; k++) {
      const ip = next() < 0.1 ? [0, 255, 0xffffffff, 0x0a000001, 0xc0a86401][k % 5] : Math.floor(next() * 2 ** 32);
      // Seconds in turn as a log writes them (across a midnight), and now and then one far away.
      const us = next() < 0.05 ? stamps[k % stamps.length] : 1529452200e6 + Math.floor(k / 7) * 1e6 + (next() < 0.5 ? 0 : Math.floor(next() * 1e6));
      special.set(`${k} 1`, { ipv4: ip });
      special.set(`${k} 2`, { us });
      const r = [String(k), '', '', next() < 0.02 ? 'Zürich' : 'b:fw', next() < 0.5 ? 'x' : ''];
      rows.push(r);
    }
    const plain = rows.map((r, k) => r.map((cell, i) => { const v = special.get(`${k} ${i}`); return v ? specialText(v) : cell; }));
    expect(await written(head, rows, undefined, special) === bytes(reference(head, plain))).toBe(true);
  });

  it('writes the head alone without a title, nothing with one, when there are no rows', async () => {
    expect(await written(head, [])).toBe(bytes('id  client  server  kind  note\n'));
    expect(await written(head, [], '\ndenies:\n')).toBe('');
  });

  it('streams a table of 100,000 rows, a block at a time', async () => {
    let blocks = 0;
    let text = '';
    const rows: TableRows = { head, count: 100_000, write: (k, c) => (c.num(k), c.end(), c.ascii('10.0.0.1:443'), c.end()) };
    await writeBlocks(rows, undefined, async (b) => void (blocks++, (text += Buffer.from(b).toString())));
    expect(blocks).toBe(Math.ceil(100_000 / BLOCK));
    const lines = text.split('\n');
    expect(lines.length).toBe(100_002);
    expect(lines[100_000]).toBe('99999  10.0.0.1:443');
  });
});
