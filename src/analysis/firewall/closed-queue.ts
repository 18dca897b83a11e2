/**
 * The firewall log's recently closed connections (log.ts `recent`) in closing order: each row with its pairing key
 * (NaN for a text key, which the log makes again from the row) and its close time, side by side in typed arrays, so
 * expiring the oldest reads none of an old row's columns (a big log's rows are far apart in memory: a miss each).
 */
export class ClosedQueue {
  private rows = new Int32Array(1024);
  private keys = new Float64Array(1024);
  private us = new Float64Array(1024);
  private head = 0;
  private tail = 0;

  push(row: number, key: number, us: number): void {
    if (this.tail >= this.rows.length) this.room();
    this.rows[this.tail] = row;
    this.keys[this.tail] = key;
    this.us[this.tail++] = us;
  }

  /** Whether the oldest entry closed before `limit` (or at no known time); false when empty. */
  oldestBefore(limit: number): boolean {
    if (this.head >= this.tail) return false;
    const t = this.us[this.head];
    return !(Number.isFinite(t) && t >= limit);
  }

  /** The oldest entry's row and key (NaN: a text key); shift() drops it. */
  oldestRow(): number {
    return this.rows[this.head];
  }
  oldestKey(): number {
    return this.keys[this.head];
  }
  shift(): void {
    this.head++;
  }

  clear(): void {
    this.rows = new Int32Array(0);
    this.keys = new Float64Array(0);
    this.us = new Float64Array(0);
    this.head = this.tail = 0;
  }

  /** Room at the tail: the live entries moved to the start, into arrays twice as big when more than half full. */
  private room(): void {
    const live = this.tail - this.head;
    const len = this.rows.length;
    const n = Math.max(16, live * 2 <= len ? len : len * 2);
    this.rows = moved(n === this.rows.length ? this.rows : new Int32Array(n), this.rows, this.head, this.tail);
    this.keys = moved(n === this.keys.length ? this.keys : new Float64Array(n), this.keys, this.head, this.tail);
    this.us = moved(n === this.us.length ? this.us : new Float64Array(n), this.us, this.head, this.tail);
    this.head = 0;
    this.tail = live;
  }
}

/** `to` with from[a, b) at its start (`to` may be `from`). */
function moved<T extends Int32Array | Float64Array>(to: T, from: T, a: number, b: number): T {
  if (to === from) to.copyWithin(0, a, b);
  else to.set(from.subarray(a, b) as never);
  return to;
}
