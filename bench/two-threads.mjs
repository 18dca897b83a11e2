/**
 * Do two busy threads slow each other on this machine? One worker alone, then two at once, each timing the same work:
 * `alu` (integer arithmetic in registers) or `mem` (random reads and writes over a 64 MiB typed array, as the packet
 * pass and the replay do over their columns). Equal times mean the second core is free for a second thread of work.
 *   node bench/two-threads.mjs [alu|mem]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
if (!isMainThread) {
  const kind = workerData;
  const t0 = performance.now();
  let x = 0;
  if (kind === 'alu') { for (let i = 0; i < 4e8; i++) x = (x * 31 + i) | 0; }
  else { const a = new Uint32Array(1 << 24); for (let r = 0; r < 6; r++) for (let i = 0; i < a.length; i++) { const j = (i * 2654435761) & (a.length - 1); a[j] += i; x ^= a[(j + 7) & (a.length - 1)]; } }
  parentPort.postMessage([performance.now() - t0, x]);
} else {
  const kind = process.argv[2] ?? 'alu';
  const run = (n) => Promise.all(Array.from({ length: n }, () => new Promise((ok) => new Worker(new URL(import.meta.url), { workerData: kind }).once('message', (m) => ok(m[0])))));
  for (let r = 0; r < 2; r++) {
    const one = await run(1); const two = await run(2);
    console.log(kind, 'alone', one.map((v) => v.toFixed(0)).join(' '), 'ms; two at once', two.map((v) => v.toFixed(0)).join(' '), 'ms');
  }
}
