/**
 * CPU seconds per thread of a running process, read from /proc/<pid>/task/<tid>/stat while it runs (Linux only; the
 * last reading of each thread is kept, so a thread that ends before the process keeps its total to within one
 * interval). For the log bench: the main thread apart from the decoder thread (a worker thread, the busiest of the
 * others), the JSON modes' writer thread (the next busiest) and V8's own (garbage collection, compilation).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

export interface ThreadCpu {
  /** The process' main thread. */
  main: number;
  /** The busiest other thread: the decoder thread when the command started one. */
  busiest: number;
  /** The next busiest: the JSON modes' writer thread when the command started one (cli/threaded-write.ts). */
  second: number;
  /** Every other thread together. */
  rest: number;
}

/** A sampler of pid's threads every `ms`; stop() returns what each had used at its last reading. */
export function sampleThreads(pid: () => number | null, ms = 50): { stop(): ThreadCpu | null } {
  const seen = new Map<number, number>();
  let main = -1;
  const read = () => {
    const p = pid();
    if (p === null) return;
    main = p;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      try {
        const s = readFileSync(`/proc/${p}/task/${tid}/stat`, 'latin1');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        seen.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND);
      } catch {
        // the thread ended between the listing and the reading
      }
    }
  };
  const timer = setInterval(read, ms);
  return {
    stop() {
      clearInterval(timer);
      if (main < 0 || !seen.has(main)) return null;
      const others = [...seen].filter(([t]) => t !== main).map(([, v]) => v).sort((a, b) => b - a);
      return { main: seen.get(main)!, busiest: others[0] ?? 0, second: others[1] ?? 0, rest: others.slice(2).reduce((a, b) => a + b, 0) };
    },
  };
}

/** The pid of parent's only child (the command /usr/bin/time runs), or null before it has started. */
export function childOf(parent: number): number | null {
  try {
    const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'latin1').trim().split(' ').filter(Boolean);
    return kids.length ? Number(kids[0]) : null;
  } catch {
    return null;
  }
}
