/**
 * analyze's one way to standard output: the readable tables (cli/table-blocks.ts), --json and --ndjson (cli/
 * text-out.ts), the summary and --explain text (cli/output.ts) all hand their chunks to `toStdout`. Each write waits
 * until stdout has called back for its chunk: the writer may then reuse the chunk's buffer, and a slow reader holds
 * the next chunk back (back-pressure) instead of letting chunks pile up in memory. On Linux, stdout to a file or a
 * pipe writes synchronously and calls back at once; to a terminal or socket the wait is real. A closed pipe (a reader
 * such as `| head` that stops early) ends the command quietly (endOnClosedPipe).
 */

/** Where a writer's chunks go: resolves once the chunk is written and its buffer may be reused. */
export type Out = (chunk: Uint8Array | string) => Promise<void>;

/** Writes `chunk` to stdout; resolves when stdout is done with it (written, or failed: see endOnClosedPipe). */
export const toStdout: Out = (chunk) => new Promise<void>((done) => void process.stdout.write(chunk, () => done()));

/**
 * For the command (cli/teardown.ts): a reader that stops early (`| head`) closes the pipe, and the command then
 * stops quietly with exit code 0, as other command-line tools do; any other stdout error is thrown.
 */
export function endOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
