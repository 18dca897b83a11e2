/** A problem found while reading an input: always names the input and where in it. */
export interface Problem {
  file: string;
  /** Byte offset in the (decompressed) input where the problem starts. */
  offset?: number;
  /** 1-based line number, for text inputs. */
  line?: number;
  message: string;
}

/** Collects problems for one input; caps how many are kept so a damaged file cannot flood memory. */
export interface ProblemLog {
  readonly warnings: Problem[];
  readonly errors: Problem[];
  warn(message: string, where?: { offset?: number; line?: number }): void;
  error(message: string, where?: { offset?: number; line?: number }): void;
  /** How many were dropped past the cap. */
  readonly dropped: number;
}

export function createProblemLog(file: string, cap = 200): ProblemLog {
  const warnings: Problem[] = [];
  const errors: Problem[] = [];
  let dropped = 0;
  const add = (list: Problem[], message: string, where?: { offset?: number; line?: number }) => {
    if (list.length >= cap) {
      dropped++;
      return;
    }
    list.push({ file, ...where, message });
  };
  return {
    warnings,
    errors,
    warn: (m, w) => add(warnings, m, w),
    error: (m, w) => add(errors, m, w),
    get dropped() {
      return dropped;
    },
  };
}

/** "x.pcap at byte 1234: message" — the one way problems are printed. */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? ` line ${p.line}` : p.offset !== undefined ? ` at byte ${p.offset}` : '';
  return `${p.file}${where}: ${p.message}`;
}
