/**
 * A fixed pool of buffer sets handed between two threads: `size` sets at most are made; past that, take() waits
 * for one to come back (give()), so a producer thread never runs more than `size` batches ahead of its consumer.
 * No Node API here (a browser Worker can use it).
 */
export class BufferPool<T> {
  private readonly free: T[] = [];
  private waiting: ((b: T) => void) | null = null;
  private made = 0;

  constructor(
    private readonly size: number,
    private readonly make: () => T,
  ) {}

  /** A set back from the consumer. */
  give(b: T): void {
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w(b);
    } else this.free.push(b);
  }

  /** A free set, a new one while the pool is not full, else the next one given back. */
  take(): Promise<T> {
    const b = this.takeNow();
    if (b) return Promise.resolve(b);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** A free set or a new one while the pool is not full; else null. */
  takeNow(): T | null {
    const b = this.free.pop();
    if (b) return b;
    if (this.made < this.size) {
      this.made++;
      return this.make();
    }
    return null;
  }
}
