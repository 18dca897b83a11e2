// Builds the command line (src/cli/teardown.ts) into one plain JavaScript file, dist/cli/teardown.mjs (package.json
// "bin"): it starts without compiling TypeScript. `npm run build` runs this after the site's build (which empties dist/).
import { buildSync } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_ENTRY = join(ROOT, 'src', 'cli', 'teardown.ts');
export const CLI_OUT = join(ROOT, 'dist', 'cli', 'teardown.mjs');

export function buildCli(outfile = CLI_OUT) {
  buildSync({
    entryPoints: [CLI_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Smaller source compiles faster at every start; names stay readable in stack traces.
    minify: true,
    keepNames: false,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildCli();
  process.stdout.write(`built ${CLI_OUT.slice(ROOT.length + 1)}\n`);
}
