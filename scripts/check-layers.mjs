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
const packagesForbiddenInCore = /^(react|react-dom|zustand|@tanstack\/react-virtual|comlink)(\/|$)|^node:|^(fs|path|os|child_process|worker_threads|stream|crypto|zlib|url|util|buffer|process)$/;
const d3Allowed = new Set(['render']);
// Known exceptions, each with its reason ("debt"). Keep empty if you can.
const debt = new Set([]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx)$/.test(name)) yield p;
  }
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"]([^'"]+)['"]/g;
const problems = [];
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
if (problems.length) {
  console.error(`Layering check failed (${problems.length}):\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log('Layering check: ok');
