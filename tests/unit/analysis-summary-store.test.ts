/**
 * summarizeList counts packet connections by raw address (summary.ts StoreTally) and formats texts only for the
 * rows it outputs; the summary must be the very same document as Tally's from full reports, key order included
 * (byKind, per-server byKind) and the order of tied rows. Inputs: tcpdump text made here with more servers than the
 * list keeps (ties at the cut, IPv6 hosts, hosts sending RSTs as client and as server), a generated capture, the
 * closes fixtures, and the seed case (kept reports: the Tally path).
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { summarize, summarizeList } from '../../src/analysis/summary';
import { generatePcap } from '../../bench/gen/generate';
import { rng } from './seeded-random';

const FIX = join(import.meta.dirname, '../fixtures');
const source = (path: string) => createBytesSource(path.split('/').pop()!, new Uint8Array(readFileSync(path)));

function expectSameSummary(s: AnalysisSession): void {
  const fromReports = summarize(s.reports.toArray(), s.connections);
  expect(JSON.stringify(summarizeList(s.reports))).toBe(JSON.stringify(fromReports));
}


/**
 * tcpdump -n text of `n` short connections over 260 servers (IPv4 and IPv6, a few ports each), closing in every
 * kind; some hosts are both clients and servers, so they send RSTs in both roles.
 */
function tcpdumpText(n: number): string {
  const r = rng(7);
  const pick = (k: number) => Math.floor(r() * k);
  const host = (h: number) => (h % 3 === 2 ? `2001:db8:${(h >> 8).toString(16)}::${(h & 255).toString(16)}` : `10.${h >> 8}.${h & 255}.1`);
  const lines: string[] = [];
  let us = 0;
  const line = (from: string, to: string, flags: string, rest: string) => {
    us += 1000 + pick(5000);
    const t = new Date(Date.UTC(2024, 0, 1) + Math.floor(us / 1000)).toISOString().slice(0, 23).replace('T', ' ');
    const ip = from.includes(':') ? 'IP6' : 'IP';
    lines.push(`${t}${String(us % 1000).padStart(3, '0')} ${ip} ${from} > ${to}: Flags [${flags}], ${rest}, win 512, length 0`);
  };
  for (let c = 0; c < n; c++) {
    // The first connections: hosts 0..3 each send 6 RSTs as client and 6 as server (tied rows of one host).
    const tied = c < 48;
    const t = (c >> 1) % 4;
    const s = tied ? (c % 2 ? t : t === 2 ? 5 : 4) : 6 + pick(254);
    const v6 = s % 3 === 2; // both ends of a connection in one family
    const server = `${host(s)}.${[80, 443, 8080][s % 3]}`;
    const client = `${host(tied && c % 2 === 0 ? t : 6 + 3 * pick(20) + (v6 ? 2 : 0))}.${20000 + c}`;
    const [cs, ss] = [1000 + c, 90000 + c];
    const close = tied ? (c % 2 ? 3 : 5) : pick(7);
    line(client, server, 'S', `seq ${cs}`);
    if (close === 0) continue; // unanswered
    if (close === 1) {
      line(server, client, 'R.', `seq 0, ack ${cs + 1}`); // refused
      continue;
    }
    line(server, client, 'S.', `seq ${ss}, ack ${cs + 1}`);
    line(client, server, '.', `ack ${ss + 1}`);
    if (close === 2) line(client, server, 'F.', `seq ${cs + 1}, ack ${ss + 1}`), line(server, client, 'F.', `seq ${ss + 1}, ack ${cs + 2}`);
    if (close === 3) line(server, client, 'R', `seq ${ss + 1}`);
    if (close === 4) line(client, server, 'F.', `seq ${cs + 1}, ack ${ss + 1}`), line(server, client, 'R', `seq ${ss + 1}`);
    if (close === 5) line(client, server, 'R', `seq ${cs + 1}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('summary from the store', () => {
  it('tcpdump text over 260 servers: the same JSON as from reports, ties at the cut included', async () => {
    const text = new TextEncoder().encode(tcpdumpText(800));
    const s = await analyzeSources([createBytesSource('many-servers.txt', text)]);
    expect(s.report.inputs[0].tcpPackets).toBe(s.report.inputs[0].packets); // every line read as a packet
    const summary = summarizeList(s.reports);
    const counts = new Map<string, number>();
    for (const r of s.reports) counts.set(`${r.server.ip} ${r.server.port}`, (counts.get(`${r.server.ip} ${r.server.port}`) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(150);
    expect(summary.byServer).toHaveLength(100);
    const last = summary.byServer[99].connections;
    expect(summary.byServer.filter((x) => x.connections === last).length).toBeLessThan([...counts.values()].filter((x) => x === last).length);
    expect(summary.byServer.some((x) => x.server.startsWith('['))).toBe(true);
    expect(Object.keys(summary.byKind).length).toBeGreaterThan(4);
    const rst = summary.topRstSenders;
    expect(rst.some((a) => rst.some((b) => a.host === b.host && a.role !== b.role && a.rsts === b.rsts))).toBe(true);
    expectSameSummary(s);
  });

  it('a generated capture: the same JSON as from reports', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'summary-store.pcap');
    generatePcap(file, { mb: 2, conns: 1000, seed: 5 });
    const s = await analyzeSources([source(file)]);
    const summary = summarizeList(s.reports);
    expect(summary.topRstSenders.length).toBeGreaterThan(1);
    expect(summary.byServer.some((r) => r.server.startsWith('['))).toBe(true);
    expectSameSummary(s);
  });

  it('closes fixtures and the seed case (kept and log-only reports): the same JSON as from reports', async () => {
    const dir = join(FIX, 'closes');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.pcap'))) expectSameSummary(await analyzeSources([source(join(dir, f))]));
    const seed = ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt', 'asa-syslog.log'];
    expectSameSummary(await analyzeSources(seed.map((f) => source(join(FIX, 'seed', f))), { year: 2018 }));
  });
});
