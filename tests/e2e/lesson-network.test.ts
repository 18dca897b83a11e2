/**
 * Lessons published on other sites (issue 15 items 8 and 14), in the production build against a local server: a lesson
 * reached through a redirect finds its relative captures next to where it was found (not next to the redirecting
 * address); a capture that never ends is cut at the size limit with a clear error instead of "Loading…" forever; leaving
 * a lesson stops a download that is still running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { OUT, ROOT, useSite } from './site';

const site = useSite();
let lessons: Server;
let origin: string;
const requests: string[] = [];
let slowClosed = 0;

const lesson = JSON.parse(readFileSync(join(ROOT, 'public/lessons/clean-close.json'), 'utf8'));
const capture = readFileSync(join(ROOT, 'public/lessons/captures/clean-close-client-first.pcap'));
const withCapture = (u: string) => JSON.stringify({ ...lesson, captures: [{ url: u }] });

beforeAll(async () => {
  lessons = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const cors = { 'access-control-allow-origin': '*' };
    if (path === '/go/lesson.json') res.writeHead(302, { ...cors, location: '/pub/deep/lesson.json' }).end();
    else if (path === '/pub/deep/lesson.json') res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(withCapture('cap.pcap'));
    else if (path === '/pub/deep/cap.pcap') res.writeHead(200, cors).end(capture);
    else if (path === '/endless/lesson.json') res.writeHead(200, cors).end(withCapture('endless.pcap'));
    else if (path === '/endless/endless.pcap') {
      res.writeHead(200, cors);
      const chunk = Buffer.alloc(1 << 20);
      const more = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    } else if (path === '/slow/lesson.json') res.writeHead(200, cors).end(withCapture('slow.pcap'));
    else if (path === '/slow/slow.pcap') {
      res.on('close', () => slowClosed++);
      res.writeHead(200, cors).write(capture.subarray(0, 24)); // and nothing more
    }
    else res.writeHead(404, cors).end();
  });
  await new Promise<void>((ok) => lessons.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(lessons.address() as { port: number }).port}`;
});

afterAll(async () => {
  lessons?.closeAllConnections();
  lessons?.close();
});

async function open(hash: string) {
  const page = await site.browser.newPage({ viewport: { width: 1300, height: 850 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url + hash);
  return { page, errors };
}

describe('lessons from other sites', () => {
  it('a lesson reached through a redirect reads its captures from where it was found', async () => {
    const { page, errors } = await open(`#lesson-url=${encodeURIComponent(origin + '/go/lesson.json')}`);
    await page.waitForSelector('[data-testid="lesson-player"]', { timeout: 30_000 });
    expect(requests).toContain('/pub/deep/cap.pcap');
    expect(requests).not.toContain('/go/cap.pcap');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a capture that never ends is cut at the size limit and says so', async () => {
    const { page, errors } = await open(`#lesson-url=${encodeURIComponent(origin + '/endless/lesson.json')}`);
    await page.waitForSelector('[data-testid="lesson-error"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="lesson-error"]')).toMatch(/captures\[0\] \(endless\.pcap\): larger than 64 MiB/);
    await page.screenshot({ path: join(OUT, 'lesson-endless-capture.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('leaving a lesson stops the download still running', async () => {
    const { page, errors } = await open(`#lesson-url=${encodeURIComponent(origin + '/slow/lesson.json')}`);
    await expect.poll(() => requests.includes('/slow/slow.pcap'), { timeout: 20_000 }).toBe(true);
    expect(await page.textContent('.lesson-loading')).toMatch(/Loading/);
    await page.evaluate(() => (location.hash = ''));
    await expect.poll(() => slowClosed, { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
