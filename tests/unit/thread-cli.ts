// The built command line run with its decoder thread forced on (TEARDOWN_DECODE_THREAD=1), off (=0) or left to its
// default (unset), and `same`: both forced runs must give byte for byte the same output, problems and exit code.
// Shared by the capture thread's and the log thread's tests (cli-thread, cli-log-thread).
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';

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
