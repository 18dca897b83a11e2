/**
 * A Chromium trace of the page while a test or a bench acts, read for the page's main-thread tasks (their CPU and
 * wall time, and what the longest ones were made of) and the engine worker's CPU during a load.
 */
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export interface LongTask {
  cpuMs: number;
  wallMs: number;
  /** When it started, ms after the first event of the trace. */
  atMs: number;
  /** What ran inside it: trace event label and its CPU ms summed (nested events also count in their parents). */
  parts: { label: string; cpuMs: number; count: number }[];
}

export interface MainThreadTasks {
  /** Longest task on the page's main thread: CPU time (thread time) and wall time, ms. */
  maxCpuMs: number;
  maxWallMs: number;
  count: number;
  /**
   * CPU time of the page's dedicated workers' tasks (the engine's) between the first 'teardown:load-start' and
   * 'teardown:result' performance marks, ms; NaN when the trace has no such marks.
   */
  workerLoadCpuMs: number;
  /** The same per worker thread, most first (the engine worker and, for a big log, its log decoder Worker). */
  workerThreadsCpuMs: number[];
  /**
   * With two worker threads in the load (a big log: the engine worker and its log decoder), the engine's task once
   * the decoder is done (the join, the correlation, the table's columns): its CPU and wall time, ms; NaN otherwise.
   */
  workerTailCpuMs: number;
  workerTailWallMs: number;
  /** The five longest main-thread tasks by CPU time, longest first, with what they were made of. */
  longest: LongTask[];
}

interface TraceEvent {
  ph: string;
  name: string;
  cat?: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8'];

/**
 * Runs `fn` while Chromium traces, and measures the tasks of the page's main thread
 * (CrRendererMain). CPU (thread) time is what the page itself costs; wall time also counts
 * moments the machine gave the thread no core, which other processes on a busy 2-core box cause.
 * With TEARDOWN_TRACE_OUT set, the raw trace is written there too (chrome://tracing or DevTools' Performance panel);
 * TEARDOWN_TRACE_CATEGORIES adds trace categories (comma-separated, e.g. disabled-by-default-cppgc).
 */
export async function traceMainThread(browser: Browser, page: Page, fn: () => Promise<void>): Promise<MainThreadTasks> {
  const extra = process.env.TEARDOWN_TRACE_CATEGORIES?.split(',').filter(Boolean) ?? [];
  await browser.startTracing(page, { categories: [...CATEGORIES, ...extra] });
  await fn();
  const buf = await browser.stopTracing();
  if (process.env.TEARDOWN_TRACE_OUT) writeFileSync(process.env.TEARDOWN_TRACE_OUT, buf);
  return readTrace((JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
}

const threadsNamed = (events: TraceEvent[], name: string) =>
  new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === name).map((e) => `${e.pid}:${e.tid}`));
const cpuOf = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;

function readTrace(events: TraceEvent[]): MainThreadTasks {
  const mains = threadsNamed(events, 'CrRendererMain');
  let t0 = Infinity;
  for (const e of events) if (e.ts !== undefined && e.ts > 0 && e.ts < t0) t0 = e.ts;
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`) && e.ts !== undefined);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  let maxCpuMs = 0;
  let maxWallMs = 0;
  for (const e of tasks) {
    maxWallMs = Math.max(maxWallMs, (e.dur ?? 0) / 1000);
    maxCpuMs = Math.max(maxCpuMs, cpuOf(e));
  }
  const top = [...tasks].sort((a, b) => cpuOf(b) - cpuOf(a)).slice(0, 5);
  const longest = top.map((task) => {
    const end = task.ts! + (task.dur ?? 0);
    const parts = new Map<string, { cpuMs: number; count: number }>();
    for (const e of onMain) {
      if (e === task || e.pid !== task.pid || e.tid !== task.tid || e.ts! < task.ts! || e.ts! > end) continue;
      const label = labelOf(e);
      const p = parts.get(label) ?? { cpuMs: 0, count: 0 };
      p.cpuMs += cpuOf(e);
      p.count++;
      parts.set(label, p);
    }
    return {
      cpuMs: cpuOf(task), wallMs: (task.dur ?? 0) / 1000, atMs: (task.ts! - t0) / 1000,
      parts: [...parts].map(([label, p]) => ({ label, ...p })).sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 12),
    };
  });
  const perThread = workerLoadCpu(events);
  const workerLoadCpuMs = perThread === null ? NaN : perThread.reduce((a, b) => a + b, 0);
  const tail = workerTail(events);
  return {
    maxCpuMs, maxWallMs, count: tasks.length, workerLoadCpuMs, workerThreadsCpuMs: perThread ?? [],
    workerTailCpuMs: tail.cpuMs, workerTailWallMs: tail.wallMs, longest,
  };
}

/** A trace event's name with what says which code ran: the function and its place, the event's type. */
function labelOf(e: TraceEvent): string {
  const d = e.args?.data ?? {};
  if (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.callFunction') {
    const url = String(d.url ?? '').replace(/^.*\//, '');
    return `${e.name} ${String(d.functionName ?? '') || '(anonymous)'} ${url}:${String(d.lineNumber ?? '')}:${String(d.columnNumber ?? '')}`;
  }
  if (e.name === 'EventDispatch') return `EventDispatch ${String(d.type ?? '')}`;
  return e.name;
}

/** Each worker thread's CPU between the load's performance marks, most first (MainThreadTasks.workerThreadsCpuMs). */
function workerLoadCpu(events: TraceEvent[]): number[] | null {
  const workers = threadsNamed(events, 'DedicatedWorker thread');
  const markAt = (name: string) => events.find((e) => e.name === name && (e.ph === 'R' || e.ph === 'I' || e.ph === 'i' || e.ph === 'n'))?.ts;
  const from = markAt('teardown:load-start');
  const to = markAt('teardown:result');
  if (from === undefined || to === undefined) return null;
  const ms = new Map<string, number>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.name !== 'RunTask' || !workers.has(thread) || e.ts === undefined) continue;
    if (e.ts + (e.dur ?? 0) < from || e.ts > to) continue;
    ms.set(thread, (ms.get(thread) ?? 0) + cpuOf(e));
  }
  return [...ms.values()].sort((a, b) => b - a);
}

/**
 * The engine's work once its log decoder is done (MainThreadTasks.workerTailCpuMs): the join, the correlation and the
 * table's columns run in one task after the decoder's last batch, the longest task of the load by far; of each worker
 * thread's longest task in the load, the one that ends last.
 */
function workerTail(events: TraceEvent[]): { cpuMs: number; wallMs: number } {
  const workers = threadsNamed(events, 'DedicatedWorker thread');
  const markAt = (name: string) => events.find((e) => e.name === name && (e.ph === 'R' || e.ph === 'I' || e.ph === 'i' || e.ph === 'n'))?.ts;
  const from = markAt('teardown:load-start');
  const to = markAt('teardown:result');
  if (from === undefined || to === undefined) return { cpuMs: NaN, wallMs: NaN };
  const longest = new Map<string, TraceEvent>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.name !== 'RunTask' || !workers.has(thread) || e.ts === undefined || e.ts < from || e.ts > to) continue;
    const had = longest.get(thread);
    if (!had || cpuOf(e) > cpuOf(had)) longest.set(thread, e);
  }
  if (longest.size !== 2) return { cpuMs: NaN, wallMs: NaN };
  const last = [...longest.values()].sort((a, b) => b.ts! + (b.dur ?? 0) - (a.ts! + (a.dur ?? 0)))[0];
  return { cpuMs: cpuOf(last), wallMs: (last.dur ?? 0) / 1000 };
}

/** One line per long task: its CPU and wall ms, when, and its biggest parts. */
export function describeLongTasks(tasks: MainThreadTasks, n = 3): string {
  return tasks.longest
    .slice(0, n)
    .map((t) => `    ${t.cpuMs.toFixed(0)} ms CPU (${t.wallMs.toFixed(0)} ms wall) at ${(t.atMs / 1000).toFixed(1)} s: ${t.parts.slice(0, 6).map((p) => `${p.label} ${p.cpuMs.toFixed(0)} ms${p.count > 1 ? ` x${p.count}` : ''}`).join('; ')}`)
    .join('\n');
}
