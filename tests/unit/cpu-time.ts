// Guards against runaway work (a hang, a quadratic join) measured in this process's CPU time, not the wall clock:
// on a loaded CI machine a test waits for a core for seconds, which a wall-clock bound mistakes for slow code.
// process.cpuUsage counts every thread of the process (user + system), so work handed to a helper thread counts too.

/** CPU milliseconds the process spent while `work` ran, with its result. */
export async function cpuMs<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** The same, for work that is not async. */
export function cpuMsSync<T>(work: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}
