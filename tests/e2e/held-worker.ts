/**
 * A slower machine's worker, for a browser test that needs a load to last: the Worker named `title` (waited for, up
 * to 10 s, as the log decoder Worker starts with a load) is paused by the debugger (DevTools protocol,
 * Debugger.pause) for `heldMs`, let run for `runMs`, and so on until stopped, `times` times, or until it ends. Its work is the same,
 * only spread out in time (Chromium's CPU throttling applies to pages, not to workers); the page's main thread and
 * the other workers are never held.
 */
import type { Browser } from 'playwright-core';

export interface HeldWorker {
  /** Lets the worker run on (resumed); resolves once it is. */
  stop(): Promise<void>;
  /** How many times it was held. */
  readonly holds: number;
}

/** `times`: how many holds at most (then it runs on); `runMs` between them. */
export async function holdWorker(browser: Browser, title: string, heldMs: number, runMs: number, times = Infinity): Promise<HeldWorker> {
  const cdp = await browser.newBrowserCDPSession();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let targetId: string | undefined;
  for (const until = Date.now() + 10_000; !targetId && Date.now() < until; await sleep(10)) {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; title: string }[] };
    targetId = targetInfos.find((t) => t.type === 'worker' && t.title === title)?.targetId;
  }
  if (!targetId) throw new Error(`no worker named ${title}`);
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
  let id = 0;
  const send = (method: string) => cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method }) });
  let holding = true;
  let holds = 0;
  // Until stopped, or until the worker ends (its session goes: a send fails).
  const loop = (async () => {
    try {
      await send('Debugger.enable');
      while (holding && holds < times) {
        await send('Debugger.pause');
        holds++;
        await sleep(heldMs);
        await send('Debugger.resume');
        await sleep(runMs);
      }
      await send('Debugger.disable');
    } catch {
      holding = false;
    }
  })();
  return {
    async stop() {
      holding = false;
      await loop;
      await cdp.detach().catch(() => {});
    },
    get holds() {
      return holds;
    },
  };
}
