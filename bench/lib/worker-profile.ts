/**
 * Where the page's worker threads spent a load, from a Chromium trace taken with V8's sampling profiler on
 * (`bench/log-browser.ts --profile`): for each worker thread, between the load's performance marks
 * ('teardown:load-start' to 'teardown:result'), the time its samples were busy and idle (waiting for a message or
 * a read), the functions with the most self time, and when each thread did its last work: the engine's work after
 * the decoder's last sample is the part of the load no second core can take (the join, the correlation, the table's
 * columns, the summary). Samples are wall time: on a loaded machine a thread that waits for a core counts as busy
 * in whatever it was running, so compare shares, and take CPU seconds from the trace's task CPU instead.
 */

export const PROFILE_CATEGORY = 'disabled-by-default-v8.cpu_profiler';

interface Node {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber: number };
}
interface Event {
  ph: string;
  name: string;
  id?: string;
  pid: number;
  tid: number;
  ts?: number;
  args?: { name?: string; data?: { startTime?: number; cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] } };
}
interface Thread {
  name: string;
  busyUs: number;
  idleUs: number;
  lastBusyUs: number;
  /** Busy µs per function (name file:line), and per function after `tailFrom`. */
  self: Map<string, number>;
  samples: { t: number; key: string; dt: number }[];
}

const place = (f: Node['callFrame']) => `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '.js')}:${f.lineNumber + 1}` : ''}`;

function threads(events: Event[]): { threads: Thread[]; loadUs: number } {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const mark = (n: string) => events.find((e) => e.name === n && e.ts !== undefined)?.ts;
  const from = mark('teardown:load-start');
  const to = mark('teardown:result');
  if (from === undefined || to === undefined) return { threads: [], loadUs: NaN };
  const profiles = new Map<string, { thread: string; t: number; nodes: Map<number, Node>; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    const key = `${e.pid}:${e.id}`;
    if (e.name === 'Profile') profiles.set(key, { thread: `${e.pid}:${e.tid}`, t: e.args?.data?.startTime ?? 0, nodes: new Map(), samples: [], deltas: [] });
    else if (e.name === 'ProfileChunk') {
      const p = profiles.get(key);
      const d = e.args?.data;
      if (!p || !d) continue;
      for (const n of d.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
      for (const s of d.cpuProfile?.samples ?? []) p.samples.push(s);
      for (const t of d.timeDeltas ?? []) p.deltas.push(t);
    }
  }
  const out: Thread[] = [];
  for (const p of profiles.values()) {
    const name = names.get(p.thread) ?? '';
    if (!name.startsWith('DedicatedWorker')) continue;
    const th: Thread = { name: `${name} ${p.thread.split(':')[1]}`, busyUs: 0, idleUs: 0, lastBusyUs: 0, self: new Map(), samples: [] };
    let t = p.t;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.deltas[i] ?? 0;
      if (t < from || t > to) continue;
      const dt = p.deltas[i + 1] ?? 0;
      const frame = p.nodes.get(p.samples[i])?.callFrame;
      if (!frame || frame.functionName === '(idle)') {
        th.idleUs += dt;
        continue;
      }
      const key = place(frame);
      th.busyUs += dt;
      th.lastBusyUs = t - from;
      th.self.set(key, (th.self.get(key) ?? 0) + dt);
      th.samples.push({ t: t - from, key, dt });
    }
    // Named by the script its samples ran most (engine.worker.js, log-decoder.worker.js).
    const scripts = new Map<string, number>();
    for (const [k, us] of th.self) {
      const script = /\s(\S+\.js):\d+$/.exec(k)?.[1];
      if (script) scripts.set(script, (scripts.get(script) ?? 0) + us);
    }
    const script = [...scripts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (script) th.name = `${script} (${th.name})`;
    if (th.busyUs > 0) out.push(th);
  }
  return { threads: out.sort((a, b) => b.lastBusyUs - a.lastBusyUs), loadUs: to - from };
}

const s = (us: number) => (us / 1e6).toFixed(2);

function topOf(self: Map<string, number>, busyUs: number, top: number): string[] {
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `      ${s(us).padStart(6)} s ${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${k}`);
}

/** The report's lines (none when the trace has no samples or marks). */
export function workerProfile(traceJson: string, top = 15): string {
  const { threads: ts, loadUs } = threads((JSON.parse(traceJson) as { traceEvents: Event[] }).traceEvents);
  if (ts.length === 0) return '  (no worker samples between the load marks: was the trace taken with the profiler category?)';
  const lines = [`  worker threads' samples during the load (${s(loadUs)} s, wall-time samples):`];
  for (const th of ts) {
    lines.push(`    ${th.name}: busy ${s(th.busyUs)} s, idle ${s(th.idleUs)} s, last busy at ${s(th.lastBusyUs)} s; most self time:`);
    lines.push(...topOf(th.self, th.busyUs, top));
  }
  if (ts.length > 1) {
    // The last thread to finish (the engine) after every other one had stopped: the load's single-thread tail.
    const [last, ...rest] = ts;
    const from = Math.max(...rest.map((t) => t.lastBusyUs));
    const tail = new Map<string, number>();
    let us = 0;
    for (const x of last.samples) {
      if (x.t <= from) continue;
      us += x.dt;
      tail.set(x.key, (tail.get(x.key) ?? 0) + x.dt);
    }
    lines.push(`    ${last.name} alone after ${s(from)} s (the other threads done): busy ${s(us)} s; most self time:`);
    lines.push(...topOf(tail, us, top));
  }
  return lines.join('\n');
}
