// Which folder of src/ may import which (the layering of ../shared/style.md), checked on every `npm test`.
// Arrows point one way: ui -> state -> worker client -> (worker) -> engine -> analysis/decode/dissect -> model -> lib.
// The pure core (lib, model, dissect, decode, analysis, render, share, engine) also gets no DOM types
// (tsconfig.core.json), no React and no Node built-ins, so it runs unchanged in the worker, in Node and in tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = process.argv[2] ? resolve(process.argv[2]) : join(root, 'src');

const allowed = {
  lib: ['lib'],
  model: ['model', 'lib'],
  dissect: ['dissect', 'model', 'lib'],
  decode: ['decode', 'dissect', 'model', 'lib'],
  analysis: ['analysis', 'model', 'lib'],
  // TLS records, key logs, key derivation and record decryption (pure; WebCrypto and @noble/ciphers).
  tls: ['tls', 'lib'],
  render: ['render', 'model', 'lib'],
  share: ['share', 'render', 'model', 'lib'],
  export: ['export', 'share', 'render', 'model', 'lib'],
  engine: ['engine', 'tls', 'analysis', 'decode', 'dissect', 'share', 'export', 'render', 'model', 'lib'],
  worker: ['worker', 'engine', 'share', 'export', 'render', 'model', 'lib'],
  state: ['state', 'worker', 'share', 'export', 'render', 'model', 'lib'],
  ui: ['ui', 'state', 'worker', 'lessons', 'share', 'export', 'render', 'model', 'lib'],
  // Lessons: format, validation and step engine; pure, used by the UI and by tests.
  lessons: ['lessons', 'model', 'lib'],
  cli: ['cli', 'engine', 'tls', 'analysis', 'decode', 'dissect', 'share', 'export', 'render', 'model', 'lib'],
  '.': ['ui', 'state', 'worker', 'model', 'lib'],
};
// From the engine, the UI side may import only the interface types.
const uiMayImportFromEngine = new Set(['engine/api.ts']);
const core = new Set(['tls', 'lib', 'model', 'dissect', 'decode', 'analysis', 'render', 'share', 'export', 'engine', 'lessons']);
const packagesForbiddenInCore = /^(react|react-dom|zustand|comlink)(\/|$)|^node:|^(fs|path|os|child_process|worker_threads|stream|crypto|zlib|url|util|buffer|process)$/;
const d3Allowed = new Set(['render']);
// Known exceptions, each with its reason ("debt"). Keep empty if you can.
const debt = new Set([]);
// Known import cycles, each with its reason. Keep empty if you can.
const cycleDebt = new Set([]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx)$/.test(name)) yield p;
  }
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"]([^'"]+)['"]/g;
const problems = [];
/** Import graph over src/ (type-only imports included: a cycle of types still ties the files together). */
const graph = new Map();
const resolveFile = (from, spec) => {
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(c).isFile()) return relative(src, c).split(sep).join('/');
    } catch {
      // not this one
    }
  }
  return null;
};
for (const file of files(src)) {
  const rel = relative(src, file).split(sep).join('/');
  const layer = rel.includes('/') ? rel.split('/')[0] : '.';
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!spec) continue;
    const key = `${rel} -> ${spec}`;
    if (debt.has(key)) continue;
    if (spec.startsWith('.')) {
      const to = resolveFile(file, spec);
      if (to) {
        if (!graph.has(rel)) graph.set(rel, new Set());
        graph.get(rel).add(to);
      }
      const target = relative(src, resolve(dirname(file), spec)).split(sep).join('/');
      if (target.startsWith('..')) {
        problems.push(`${key}: imports from outside src/`);
        continue;
      }
      const targetLayer = target.includes('/') ? target.split('/')[0] : '.';
      const ok = (allowed[layer] ?? []).includes(targetLayer);
      const typeOnlyEngine =
        targetLayer === 'engine' && ['ui', 'state', 'worker', '.'].includes(layer) &&
        [...uiMayImportFromEngine].some((t) => target === t.replace(/\.ts$/, '') || target === t);
      if (!ok && !(typeOnlyEngine)) problems.push(`${key}: layer "${layer}" may not import from "${targetLayer}"`);
    } else if (core.has(layer)) {
      if (packagesForbiddenInCore.test(spec)) problems.push(`${key}: the pure core may not use ${spec}`);
      if (/^d3(-|$)/.test(spec) && !d3Allowed.has(layer)) problems.push(`${key}: only render/ uses D3`);
    }
  }
}
// Import cycles (Tarjan's strongly connected components; each component of more than one file is a cycle).
{
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      const cycle = scc.sort().join(' <-> ');
      if (scc.length > 1 && !cycleDebt.has(cycle)) problems.push(`import cycle: ${cycle}`);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
}
if (problems.length) {
  console.error(`Layering check failed (${problems.length}):\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log('Layering check: ok');
