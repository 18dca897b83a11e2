/**
 * The `teardown` command (package.json "bin": dist/cli/teardown.cjs runs this file bundled as dist/cli/analyze.js,
 * scripts/build-cli.mjs):
 *   teardown analyze [options] FILE...   (or `teardown [options] FILE...`: analyze is the only command)
 * Everything after the command goes to `analyze` (src/cli/analyze.ts), which documents the options.
 */
import { main } from './analyze';
import { useNodeAscii } from './node-ascii';
import { useNativeGunzip } from './native-gunzip';

useNodeAscii();
useNativeGunzip();
const argv = process.argv.slice(2);
const args = argv[0] === 'analyze' ? argv.slice(1) : argv;
main(args).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`teardown analyze failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
