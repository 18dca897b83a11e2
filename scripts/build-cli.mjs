// Builds the command line (src/cli/teardown.ts) into one plain JavaScript file, dist/cli/teardown.mjs (package.json
// "bin"): it starts without compiling TypeScript. `npm run build` runs this after the site's build (which empties dist/).
import { buildSync } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_ENTRY = join(ROOT, 'src', 'cli', 'teardown.ts');
export const CLI_OUT = join(ROOT, 'dist', 'cli', 'teardown.mjs');
/** The decoder thread (src/cli/threaded-decode.ts), built beside the command as decode-thread.mjs. */
const THREAD_ENTRY = join(ROOT, 'src', 'cli', 'decode-thread.ts');

export function buildCli(outfile = CLI_OUT) {
  build(CLI_ENTRY, outfile, '#!/usr/bin/env node');
  build(THREAD_ENTRY, join(dirname(outfile), 'decode-thread.mjs'), '');
  chmodSync(outfile, 0o755);
  return outfile;
}

function build(entry, outfile, banner) {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Smaller source compiles faster at every start; names stay readable in stack traces.
    minify: true,
    keepNames: false,
    legalComments: 'none',
    banner: { js: banner },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildCli();
  process.stdout.write(`built ${CLI_OUT.slice(ROOT.length + 1)}\n`);
}
