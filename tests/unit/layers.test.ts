import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (srcDir?: string) => {
  try {
    execFileSync('node', ['scripts/check-layers.mjs', ...(srcDir ? [srcDir] : [])], { stdio: 'pipe' });
    return { ok: true, out: '' };
  } catch (e) {
    return { ok: false, out: String((e as { stderr: Buffer }).stderr) };
  }
};

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('layering check', () => {
  it('passes on the project', () => {
    expect(run()).toEqual({ ok: true, out: '' });
  });
  it('fails when the core imports React, Node built-ins or UI code', () => {
    const bad = tree({
      'model/a.ts': "import { useState } from 'react';\n",
      'decode/b.ts': "import { readFileSync } from 'node:fs';\n",
      'analysis/c.ts': "import { Table } from '../ui/table';\n",
      'ui/table.ts': 'export const Table = 1;\n',
    });
    const r = run(bad);
    expect(r.ok).toBe(false);
    expect(r.out).toContain('model/a.ts -> react');
    expect(r.out).toContain('decode/b.ts -> node:fs');
    expect(r.out).toContain('layer "analysis" may not import from "ui"');
  });
  it('lets the UI import the engine interface but not the engine', () => {
    const r = run(tree({ 'ui/a.ts': "import type { X } from '../engine/api';\nimport { y } from '../engine/analyze-sources';\n", 'engine/api.ts': '', 'engine/analyze-sources.ts': '' }));
    expect(r.ok).toBe(false);
    expect(r.out).toContain('ui/a.ts -> ../engine/analyze-sources');
    expect(r.out).not.toContain('../engine/api:');
  });
  it('fails on an import cycle, type-only imports included', () => {
    const r = run(tree({ 'ui/a.ts': "import type { B } from './b';\nexport type A = 1;\n", 'ui/b.ts': "import type { A } from './a';\nexport type B = A;\n", 'ui/c.ts': "import type { A } from './a';\n" }));
    expect(r.ok).toBe(false);
    expect(r.out).toContain('import cycle: ui/a.ts <-> ui/b.ts');
    expect(r.out).not.toContain('ui/c.ts');
  });
});
