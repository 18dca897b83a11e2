#!/usr/bin/env node
// The `teardown` command as installed (copied to dist/cli/teardown.cjs by scripts/build-cli.mjs; package.json "bin").
// It runs the bundled command line (analyze.js beside it) from the code V8 compiled for it last time
// (analyze.cache), so a start does not parse and compile the bundle again: on a tiny capture that was about half of
// what the command cost over bare `node -e 0`. Plain CommonJS on purpose: an ES module entry goes through Node's ESM
// loader, which costs more than everything this file does (bench/lib/startup.ts measures both).
// The cache is V8's own format and V8 checks it: one made by another Node version or with other flags is rejected,
// the bundle is compiled from source as without a cache, and a fresh cache is written on exit (best effort: a
// read-only install just runs uncached). V8 checks the source only by its length, so the cache also starts with the
// bundle's size and modification time, and is not used for any other bundle. TEARDOWN_CODE_CACHE=off runs without
// it (to measure what it saves).
'use strict';
const { readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, 'analyze.js');
const cacheFile = join(__dirname, 'analyze.cache');
const useCache = process.env.TEARDOWN_CODE_CACHE !== 'off';
const { size, mtimeMs } = statSync(file);
// The bundle is ASCII (esbuild escapes the rest): latin1 is the same text and skips UTF-8 decoding. It is one
// function expression, `(function (exports, require, module, __filename, __dirname) {...})` (scripts/build-cli.mjs).
const source = readFileSync(file).toString('latin1');
/** The cache's first 16 bytes: the bundle it was made for (size, modification time), then V8's data. */
const STAMP = 16;
let cached;
if (useCache) {
  try {
    const c = readFileSync(cacheFile);
    if (c.length > STAMP && c.readDoubleLE(0) === size && c.readDoubleLE(8) === mtimeMs) cached = c.subarray(STAMP);
  } catch {}
}
const script = new Script(source, { filename: file, cachedData: cached });
if (useCache && (!cached || script.cachedDataRejected)) {
  // After the run, so the cache holds every function this run compiled, not only the top level.
  process.once('exit', () => {
    try {
      const stamp = Buffer.alloc(STAMP);
      stamp.writeDoubleLE(size, 0);
      stamp.writeDoubleLE(mtimeMs, 8);
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, Buffer.concat([stamp, script.createCachedData()]));
      renameSync(tmp, cacheFile);
    } catch {}
  });
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, file, __dirname);
