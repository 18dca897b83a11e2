// Builds the command line (src/cli/teardown.ts) into plain JavaScript under dist/cli/ (package.json "bin"), so it
// starts without compiling TypeScript. `npm run build` runs this after the site's build (which empties dist/).
//   teardown.cjs     the command (scripts/cli-launcher.cjs): runs analyze.js from V8's compiled code in analyze.cache
//   analyze.js       the whole command line bundled as one CommonJS module in its wrapper function (read by teardown.cjs)
//   analyze.cache    V8's code cache for analyze.js, made here by one run on a tiny capture
//   decode-thread.mjs  the opt-in decoder thread of captures (src/cli/decode-thread.ts, TEARDOWN_DECODE_THREAD=1)
//   log-thread.mjs     the decoder thread of firewall logs (src/cli/log-thread.ts)
//   write-thread.mjs   the writer thread of a big firewall log's JSON records (src/cli/write-thread.ts)
//   table-thread.mjs   the table thread of a big log: its connection table, blocks of its deny table (src/cli/table-thread.ts)
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_ENTRY = join(ROOT, 'src', 'cli', 'teardown.ts');
export const CLI_OUT = join(ROOT, 'dist', 'cli', 'teardown.cjs');
const THREAD_ENTRY = join(ROOT, 'src', 'cli', 'decode-thread.ts');
const LOG_THREAD_ENTRY = join(ROOT, 'src', 'cli', 'log-thread.ts');
const WRITE_THREAD_ENTRY = join(ROOT, 'src', 'cli', 'write-thread.ts');
const TABLE_THREAD_ENTRY = join(ROOT, 'src', 'cli', 'table-thread.ts');
const LAUNCHER = join(ROOT, 'scripts', 'cli-launcher.cjs');
/** The run that fills the code cache: the usual path (a pcap, the table) on a capture of three packets. */
const WARM_CAPTURE = join(ROOT, 'tests', 'fixtures', 'closes', 'refused.pcap');

/** Builds the command as `outfile` (a .cjs file) with its bundle, code cache and thread beside it; returns outfile. */
export function buildCli(outfile = CLI_OUT) {
  if (!outfile.endsWith('.cjs')) throw new Error(`the command is CommonJS: ${outfile} must end in .cjs`);
  const dir = dirname(outfile);
  const bundle = join(dir, 'analyze.js');
  build(CLI_ENTRY, bundle, 'cjs', {
    // The decoder thread's file is found beside the bundle (threaded-decode.ts reads import.meta.url).
    define: { 'import.meta.url': '__teardownUrl' },
    // One function expression, CommonJS's module wrapper, which the launcher compiles as it is: wrapping it there
    // would copy the whole source once more at every start.
    // "use strict" first (esbuild's own comes after the banner, too late to count): the sources are ES modules, strict.
    banner: { js: `(function (exports, require, module, __filename, __dirname) {"use strict";var __teardownUrl = require("node:url").pathToFileURL(__filename).href;` },
    footer: { js: '})' },
  });
  if (!isAscii(readFileSync(bundle))) throw new Error(`${bundle} is not ASCII (cli-launcher.cjs reads it as latin1)`);
  build(THREAD_ENTRY, join(dir, 'decode-thread.mjs'), 'esm', {});
  build(LOG_THREAD_ENTRY, join(dir, 'log-thread.mjs'), 'esm', {});
  build(WRITE_THREAD_ENTRY, join(dir, 'write-thread.mjs'), 'esm', {});
  build(TABLE_THREAD_ENTRY, join(dir, 'table-thread.mjs'), 'esm', {});
  copyFileSync(LAUNCHER, outfile);
  chmodSync(outfile, 0o755);
  // A cache of the previous bundle would be rejected anyway; this run writes the new one.
  rmSync(join(dir, 'analyze.cache'), { force: true });
  const warm = spawnSync(process.execPath, [outfile, 'analyze', WARM_CAPTURE], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (warm.status !== 0) throw new Error(`the built command failed on ${WARM_CAPTURE}: ${warm.stderr}`);
  return outfile;
}

function build(entry, outfile, format, extra) {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    // Smaller source reads and compiles faster when the code cache cannot be used.
    minify: true,
    keepNames: false,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'warning',
    ...extra,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildCli();
  process.stdout.write(`built ${CLI_OUT.slice(ROOT.length + 1)}\n`);
}
