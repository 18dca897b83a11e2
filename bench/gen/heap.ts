/** Min-heap of connections by the time of their next packet (ties: lower connection index first). */
import type { Conn } from './conn';

export class ConnHeap {
  private readonly a: Conn[] = [];

  get size(): number {
    return this.a.length;
  }

  peek(): Conn | undefined {
    return this.a[0];
  }

  push(c: Conn): void {
    const a = this.a;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  /** Remove the top. */
  pop(): void {
    const a = this.a;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      this.siftDown();
    }
  }

  /** Restore order after the top's key grew. */
  siftDown(): void {
    const a = this.a;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && less(a[r], a[l]) ? r : l;
      if (!less(a[m], a[i])) break;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
  }
}

function less(x: Conn, y: Conn): boolean {
  const tx = x.nextT;
  const ty = y.nextT;
  return tx < ty || (tx === ty && x.plan.index < y.plan.index);
}
