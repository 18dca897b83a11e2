// The built command line run with its decoder thread forced on (TEARDOWN_DECODE_THREAD=1), off (=0) or left to its
// default (unset), and `same`: both forced runs must give byte for byte the same output, problems and exit code.
// Shared by the capture thread's and the log thread's tests (cli-thread, cli-log-thread).
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript build script without types
import { buildCli } from '../../scripts/build-cli.mjs';

/** A fresh temporary directory (named from `prefix`) with the command line built into it as teardown.cjs. */
export function builtCliIn(prefix: string): { dir: string; cli: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cli: (buildCli as (f: string) => string)(join(dir, 'teardown.cjs')) };
}

export type ThreadSetting = '0' | '1' | undefined;

/** `cli()`: the built command's path (made in the test's beforeAll, hence a getter). */
export function threadRuns(cli: () => string) {
  const run = (thread: ThreadSetting, args: string[]) => {
    const env = { ...process.env, TEARDOWN_DECODE_THREAD: thread };
    if (thread === undefined) delete env.TEARDOWN_DECODE_THREAD;
    const r = spawnSync(process.execPath, [cli(), 'analyze', ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20, env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const same = (args: string[]): string => {
    const one = run('0', args);
    const two = run('1', args);
    expect(two.status).toBe(one.status);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout === one.stdout).toBe(true); // (not toBe: a diff of megabytes helps nobody)
    return one.stdout;
  };
  return { run, same };
}

/** Runs `fn` with `file` (a built thread file) holding `text` instead, then puts it back. */
export function withThreadFile<T>(file: string, text: string, fn: () => T): T {
  const kept = readFileSync(file);
  try {
    writeFileSync(file, text);
    return fn();
  } finally {
    writeFileSync(file, kept);
  }
}

/**
 * A thread file that takes two blocks of a run (adds 2 to control word 0, the next block to take:
 * cli/write-slots.ts) and stops without writing them; `ctrl`: where the control words' buffer is in its message.
 */
export function stoppingThread(ctrl: 'm.setup.ctrl' | 'm.job.setup.ctrl'): string {
  return `import { parentPort } from 'node:worker_threads';
let ctrl;
parentPort.on('message', (m) => {
  if (${ctrl.split('.').slice(0, -2).join('.')}) ctrl = new Int32Array(${ctrl});
  if (m.run) { Atomics.add(ctrl, 0, 2); process.exit(3); }
});
`;
}
