import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Names, reasons and log text come from user files: the UI renders them as text (React escapes),
// never as HTML. This keeps it that way.
const SRC = join(import.meta.dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.(ts|tsx)$/.test(n) ? [join(dir, n)] : []));

describe('no HTML from strings', () => {
  it('no dangerouslySetInnerHTML, innerHTML, outerHTML or insertAdjacentHTML in ui/render/state/worker', () => {
    const bad = ['ui', 'render', 'state', 'worker']
      .flatMap((d) => files(join(SRC, d)))
      .filter((f) => /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write\(/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});
