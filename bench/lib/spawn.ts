/** Runs bench/lib/child.ts (or any command) in a fresh process and times it from outside too. */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = join(HERE, '..', '..');
const CHILD = join(HERE, 'child.ts');
const CHILD_BUNDLE = join(REPO, 'bench', 'out', 'child.mjs');
let bundled = false;

/**
 * The child as one plain JavaScript file (esbuild), built once per run: a process then starts the way a built
 * command-line tool would, instead of compiling TypeScript on the fly under tsx (about 0.3 s of every process
 * wall time, which the comparison with tshark's compiled binary would otherwise count against us). The work
 * time, measured inside the child, is the same either way.
 */
function childBundle(): string {
  if (!bundled) {
    buildSync({ entryPoints: [CHILD], outfile: CHILD_BUNDLE, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
    bundled = true;
  }
  return CHILD_BUNDLE;
}

export interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process, start to exit (includes Node/tsx start-up). */
  wallSeconds: number;
  timedOut: boolean;
}

export function run(cmd: string, args: string[], timeoutMs = 0): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), p.kill('SIGKILL')), timeoutMs) : null;
    p.on('error', reject);
    p.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, wallSeconds: (performance.now() - t0) / 1000, timedOut });
    });
  });
}

export interface ChildResult {
  mode: string;
  size: number;
  seconds: number;
  wallSeconds: number;
  maxRss: number;
  rssBefore: number;
  peak: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; rss: number };
  error?: string;
  [k: string]: unknown;
}

/**
 * One child measurement; `nodeArgs` lets the profiler add --cpu-prof, and then the child runs from its sources
 * under tsx, so the profile names the source files.
 */
export async function runChild(mode: string, file: string, nodeArgs: string[] = [], slice?: number): Promise<ChildResult> {
  const args = nodeArgs.length ? [...nodeArgs, '--expose-gc', '--import', 'tsx', CHILD, mode, file] : ['--expose-gc', childBundle(), mode, file];
  if (slice) args.push(String(slice));
  const p = await run(process.execPath, args);
  const line = p.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`bench child ${mode} gave no result (exit ${p.code}):\n${p.stderr.slice(-2000)}`);
  const r = JSON.parse(line.slice(7)) as ChildResult;
  if (r.error) throw new Error(`bench child ${mode} failed: ${r.error}`);
  r.wallSeconds = p.wallSeconds;
  return r;
}
