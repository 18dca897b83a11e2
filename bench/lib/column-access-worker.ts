/**
 * The worker side of bench/column-access.ts: the firewall store's connection columns (model/firewall-store.ts) as the
 * page makes them (length-tracking views of resizable ArrayBuffers) or swapped for plain arrays of a fixed capacity,
 * built, then read and written as the engine does: sequential passes (logEnds, the table's columns), random reads
 * (the join), writes of a few columns per row (a Teardown filling its row).
 */
import { FirewallConnColumns } from '../../src/model/firewall-store';

export type ColumnKind = 'resizable' | 'plain';

let cols: FirewallConnColumns | null = null;

/** New columns of `rows` rows, every column's pages written (so the timed passes fault no memory in). */
function build(kind: ColumnKind, rows: number): void {
  cols = null;
  const c = new FirewallConnColumns();
  if (kind === 'plain') {
    const o = c as unknown as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const a = o[k];
      if (ArrayBuffer.isView(a)) o[k] = new (a.constructor as new (n: number) => ArrayBufferView)(rows);
    }
  }
  for (let n = 0; n < rows; n++) {
    const i = c.add();
    c.cAddr[i] = n & 0xffff;
    c.sPort[i] = n & 1023;
    c.seen[i] = 3;
  }
  cols = c;
}

/** The timed passes over the columns built last: wall ms of each (the caller reads the thread's CPU). */
function passes(): { seqMs: number; randMs: number; writeMs: number; check: number } {
  const c = cols!;
  let s = 0;
  let x = 7;
  let t0 = performance.now();
  for (let r = 0; r < 20; r++) for (let i = 0; i < c.count; i++) s += c.seen[i] + c.tdReasonCode[i] + c.cAddr[i] + c.sPort[i] + c.tdUs[i];
  const seqMs = performance.now() - t0;
  t0 = performance.now();
  for (let r = 0; r < 10_000_000; r++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    const i = (x >>> 1) % c.count;
    s += c.cAddr[i] + c.sPort[i] + c.startUs[i] + c.device[i];
  }
  const randMs = performance.now() - t0;
  t0 = performance.now();
  for (let r = 0; r < 20; r++) {
    for (let i = 0; i < c.count; i++) {
      c.tdReasonCode[i] = r;
      c.tdUs[i] = r;
      c.cPort[i] = i;
    }
  }
  const writeMs = performance.now() - t0;
  return { seqMs, randMs, writeMs, check: s };
}

onmessage = (e: MessageEvent<{ op: 'build' | 'passes'; kind: ColumnKind; rows: number }>) => {
  if (e.data.op === 'build') {
    build(e.data.kind, e.data.rows);
    postMessage(null);
  } else postMessage(passes());
};
