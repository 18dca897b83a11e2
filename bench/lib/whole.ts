/**
 * Whole-process measurements, as a user runs a command: start to exit, Node start-up and output writing included.
 * Wrapped in /usr/bin/time (when present) for the child's own CPU time and peak RSS; stdout goes through a pipe that
 * the bench drains and counts (as `| wc -c` would), so writing the output costs what it costs in a pipeline.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export interface WholeResult {
  wallSeconds: number;
  /** User + system CPU seconds of the child (NaN without /usr/bin/time). */
  cpuSeconds: number;
  /** Peak RSS in bytes (NaN without /usr/bin/time). */
  maxRss: number;
  outBytes: number;
  /** stdout as text, when asked for (small outputs only). */
  out?: string;
  code: number | null;
  timedOut: boolean;
}

export function runWhole(cmd: string, args: string[], timeoutMs = 0, keep = false, env?: Record<string, string>): Promise<WholeResult> {
  const stats = join(tmpdir(), `teardown-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [bin, argv] = TIME ? [TIME, ['-o', stats, '-f', '%e %U %S %M', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let outBytes = 0;
    let out = '';
    let stderr = '';
    let timedOut = false;
    p.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (keep) out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), p.kill('SIGKILL')), timeoutMs) : null;
    p.on('error', reject);
    p.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const wallSeconds = (performance.now() - t0) / 1000;
      let cpuSeconds = NaN;
      let maxRss = NaN;
      if (TIME && existsSync(stats)) {
        const f = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        rmSync(stats, { force: true });
        cpuSeconds = f[1] + f[2];
        maxRss = f[3] * 1024;
      }
      if (code !== 0 && !timedOut) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ wallSeconds, cpuSeconds, maxRss, outBytes, code, timedOut, ...(keep ? { out } : {}) });
    });
  });
}

export const TCPTRACE = ['/usr/bin/tcptrace', '/usr/local/bin/tcptrace'].find((p) => existsSync(p)) ?? null;
