// The UI's engine client when the worker dies (src/worker/client.ts): calls in flight reject with a message the
// page shows, instead of hanging, and the next call starts a fresh worker. The Worker here is a stand-in that
// never answers and can be made to fail; what is tested is the client's guard around it.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

class FakeWorker {
  static made: FakeWorker[] = [];
  terminated = false;
  readonly listeners = new Map<string, ((e: unknown) => void)[]>();
  readonly posted: unknown[] = [];
  constructor(readonly url: URL, readonly options: unknown) {
    FakeWorker.made.push(this);
  }
  addEventListener(type: string, fn: (e: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  removeEventListener(type: string, fn: (e: unknown) => void): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((f) => f !== fn));
  }
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  fire(type: string, e: unknown): void {
    for (const fn of this.listeners.get(type) ?? []) fn(e);
  }
}

beforeEach(() => {
  FakeWorker.made = [];
  vi.stubGlobal('Worker', FakeWorker);
  vi.resetModules();
});
afterEach(() => vi.unstubAllGlobals());

it('rejects the calls in flight when the worker crashes, then starts a new worker', async () => {
  const client = await import('../../src/worker/client');
  const load = client.loadInputs([{ kind: 'text', name: 'a.txt', text: '' }], {}, () => {});
  const query = client.queryFlows({ sort: null, filter: {} } as never);
  expect(FakeWorker.made).toHaveLength(1);
  expect(FakeWorker.made[0].posted.length).toBeGreaterThan(0); // the calls reached the worker
  FakeWorker.made[0].fire('error', { message: 'out of memory' });
  await expect(load).rejects.toThrow('The analysis engine stopped (out of memory); load the files again to retry.');
  await expect(query).rejects.toThrow('out of memory');
  expect(FakeWorker.made[0].terminated).toBe(true);

  // The next call gets a fresh worker, whose own failure is reported the same way.
  const again = client.cancelLoad();
  expect(FakeWorker.made).toHaveLength(2);
  FakeWorker.made[1].fire('messageerror', {});
  await expect(again).rejects.toThrow('a message could not be read');
});
