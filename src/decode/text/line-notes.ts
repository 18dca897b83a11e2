/**
 * Warnings about damaged lines of a text input (lib/line-reader.ts): over-long lines, NUL bytes, bytes that are
 * not UTF-8. The first few of each kind name their line; the rest are counted in one warning at the end, so a
 * file of a million such lines makes a dozen warnings and the other kinds still show (the problem log's cap is
 * shared by every kind).
 */
import type { ByteSource } from '../../lib/byte-source';
import { readLines, type LineReadOptions, type LineReadResult, type LineVisitor } from '../../lib/line-reader';
import type { ProblemLog } from '../../model/problems';
import type { InputReport } from '../../model/report';
import type { DecodeOptions } from '../types';

const EACH = 10;
const TEXT = {
  long: 'line longer than 64 KiB; only its start was read',
  nul: 'NUL bytes in the line (a damaged or preallocated file); read without them',
  utf8: 'bytes that are not UTF-8 in the line; each bad sequence read as U+FFFD',
} as const;

export function createLineNotes(problems: ProblemLog) {
  const counts = { long: 0, nul: 0, utf8: 0 };
  const first = { long: 0, nul: 0, utf8: 0 };
  const note = (kind: keyof typeof TEXT, line: number) => {
    if (counts[kind] === 0) first[kind] = line;
    if (counts[kind]++ < EACH) problems.warn(TEXT[kind], { line });
  };
  return {
    onLongLine: (line: number) => note('long', line),
    onDamagedLine: (line: number, _offset: number, what: 'nul' | 'utf8') => note(what, line),
    /** The counts beyond the first few, as one warning per kind. */
    finish(): void {
      for (const k of Object.keys(TEXT) as (keyof typeof TEXT)[]) {
        if (counts[k] > EACH) problems.warn(`${counts[k]} lines in all (first at line ${first[k]}, the first ${EACH} named): ${TEXT[k]}`);
      }
    },
  };
}

/**
 * Reads a text input line by line as every text decoder does: progress and cancel from the decode options, damaged
 * and over-long lines noted (above), and the input's bytes and line count put in its report.
 */
export async function readTextInput(
  source: ByteSource,
  visit: LineVisitor,
  options: DecodeOptions,
  report: InputReport,
  visitBytes?: LineReadOptions['visitBytes'],
): Promise<LineReadResult> {
  const notes = createLineNotes(options.problems);
  const res = await readLines(source, visit, {
    ...(visitBytes ? { visitBytes } : {}),
    onProgress: options.onProgress,
    isCancelled: options.isCancelled,
    onLongLine: notes.onLongLine,
    onDamagedLine: notes.onDamagedLine,
  });
  notes.finish();
  report.bytes = res.bytes;
  report.packets = res.lines;
  return res;
}
