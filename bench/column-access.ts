/**
 * What the page's firewall columns cost to read and write against plain arrays, in a headless Chromium worker: the
 * store's connection columns (model/firewall-store.ts FirewallConnColumns) built as the page makes them (views of
 * resizable ArrayBuffers) or as plain arrays of a fixed capacity, then 20 sequential passes over 5 columns, 10 M
 * random reads of 4, and 20 passes writing 3 (bench/lib/column-access-worker.ts), each kind in a worker of its own (one
 * worker given both would compile its passes for both, slower than either alone). The two kinds alternate; each
 * round prints the worker thread's CPU seconds (user + system, /proc, the timed passes only) beside the wall ms of
 * each pass: on a loaded machine compare the CPU.
 *
 *   npx tsx bench/column-access.ts [--rows=1000000] [--rounds=4]
 */
import { buildSync } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launch } from '../tests/e2e/site';

const REPO = join(import.meta.dirname, '..');
const arg = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
const rows = Number(arg('rows') ?? 1_000_000);
const rounds = Number(arg('rounds') ?? 4);

const code = buildSync({
  entryPoints: [join(REPO, 'bench', 'lib', 'column-access-worker.ts')],
  bundle: true,
  format: 'iife',
  write: false,
  logLevel: 'error',
}).outputFiles[0].text;

const renderers = (): string[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
      } catch {
        return false;
      }
    });

/** CPU seconds of the worker threads of the renderers `pids` (this run's browser only). */
function workerCpu(pids: string[]): number {
  let t = 0;
  for (const pid of pids) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        if (!st.includes('(DedicatedWorker')) continue;
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        t += (Number(f[11]) + Number(f[12])) / 100;
      }
    } catch {
      // process went away
    }
  }
  return t;
}

async function main(): Promise<void> {
  const before = new Set(renderers());
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    console.log(`${browser.version()}, ${rows.toLocaleString('en-US')} rows, load ${loadavg()[0].toFixed(1)}`);
    const mine = renderers().filter((p) => !before.has(p));
    // A string, not a function: tsx's helpers would not exist in the page.
    await page.evaluate(`(() => {
      const url = URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: 'text/javascript' }));
      const workers = { resizable: new Worker(url), plain: new Worker(url) };
      window.__ask = (m) => new Promise((r) => { const w = workers[m.kind]; w.onmessage = (e) => r(e.data); w.postMessage(m); });
    })()`);
    for (let round = 1; round <= rounds; round++) {
      for (const kind of ['resizable', 'plain']) {
        await page.evaluate(`__ask({ op: 'build', kind: '${kind}', rows: ${rows} })`);
        const c0 = workerCpu(mine);
        const r = (await page.evaluate(`__ask({ op: 'passes', kind: '${kind}' })`)) as { seqMs: number; randMs: number; writeMs: number };
        const cpu = workerCpu(mine) - c0;
        const ms = (v: number) => `${Math.round(v)}`.padStart(5);
        console.log(
          `round ${round} ${kind.padEnd(9)} ${cpu.toFixed(2)} CPU-s; wall ms: sequential ${ms(r.seqMs)}, random ${ms(r.randMs)}, writes ${ms(r.writeMs)}; load ${loadavg()[0].toFixed(1)}`,
        );
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
