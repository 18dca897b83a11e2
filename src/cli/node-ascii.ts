/**
 * Node's fast reading of ASCII bytes for the line reader (lib/line-reader.ts setAsciiDecoder), installed by each
 * thread of the command line that reads text (cli/teardown.ts, cli/log-thread.ts).
 */
import { isAscii } from 'node:buffer';
import { setAsciiDecoder } from '../lib/line-reader';

// Text inputs (logs) are nearly always ASCII: read those bytes as latin1 (same characters), ~15x Node's TextDecoder.
export function useNodeAscii(): void {
  setAsciiDecoder(
    (b) => (isAscii(b) ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1') : null),
    isAscii,
    // Lines cut with Buffer's indexOf (memchr), not Uint8Array's (a byte at a time).
    (b) => Buffer.from(b.buffer, b.byteOffset, b.length),
  );
}
