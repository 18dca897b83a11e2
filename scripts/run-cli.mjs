// `npm run analyze -- ARGS`: runs the built command line (dist/cli/teardown.cjs), building it first when it is
// missing or older than any source file under src/ (esbuild, well under a second), so a fresh clone works too.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildCli, CLI_OUT } from './build-cli.mjs';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

let built = 0;
try {
  built = statSync(CLI_OUT).mtimeMs;
} catch {}
const src = join(CLI_OUT, '..', '..', '..', 'src');
if (built <= newest(src)) buildCli();
process.argv.splice(2, 0, 'analyze');
createRequire(import.meta.url)(CLI_OUT);
