// The command line's table writer (src/cli/table-blocks.ts) lays rows out in bytes; it must give exactly the text
// of the plain way: each cell padded to the widest cell of the rows so far (widths grow block by block), two spaces
// between, the end trimmed. Checked on random rows (empty cells, trailing blanks, tabs, non-ASCII text, a lone
// surrogate, rows shorter than the head) across several blocks.
import { describe, expect, it } from 'vitest';
import { writeBlocks, type TableRows } from '../../src/cli/table-blocks';

const BLOCK = 4096;

/** The plain way, block by block as the writer does (widths of the rows so far at each block's end). */
function reference(head: string[], rows: string[][], title?: string): string {
  if (title !== undefined && rows.length === 0) return '';
  const widths = head.map((h) => h.length);
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  let out = '';
  for (let b = 0; b === 0 || b < rows.length; b += BLOCK) {
    const block = rows.slice(b, b + BLOCK);
    for (const r of block) r.forEach((c, i) => (widths[i] = Math.max(widths[i], c.length)));
    if (b === 0) out += `${title ?? ''}${line(head)}\n`;
    for (const r of block) out += `${line(r)}\n`;
  }
  return out;
}

/** `rows` as a table: each cell written as a number when it is digits, else as text. */
function table(head: string[], rows: string[][]): TableRows {
  return {
    head,
    count: rows.length,
    write(k, c) {
      for (const cell of rows[k]) {
        if (/^[0-9]+$/.test(cell)) c.num(Number(cell));
        else c.text(cell);
        c.end();
      }
    },
  };
}

/** What the writer writes, and the plain text as stdout would write it (UTF-8), as hex (a lone surrogate included). */
async function written(head: string[], rows: string[][], title?: string): Promise<string> {
  const parts: Buffer[] = [];
  await writeBlocks(table(head, rows), title, async (b) => void parts.push(Buffer.from(b)));
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
  const pieces = ['', ' ', 'a', '10.0.0.1:443', '[2001:db8::1]:80', 'fin-then-rst', 'x\t', 'trailing  ', 'Zürich', '→', '\ud800', 'SF ShAdDaFf'];

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
