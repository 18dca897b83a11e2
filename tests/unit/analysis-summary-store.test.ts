/**
 * summarizeList counts packet connections by raw address (summary.ts) and formats texts only for the rows it
 * outputs; the summary must be the document its rules describe, counted here the plain way from the reports: key
 * order included (byKind, per-server byKind in first-seen order) and the order of tied rows. Inputs: tcpdump text
 * made here with more servers than the list keeps (ties at the cut, IPv6 hosts, hosts sending RSTs as client and as
 * server), a generated capture, the closes fixtures, and the seed case (two points, firewall, log-only connections).
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { summarizeList } from '../../src/analysis/summary';
import type { CaptureSummary, ConnectionReport } from '../../src/model/report';
import { generatePcap } from '../../bench/gen/generate';
import { rng } from './seeded-random';

const FIX = join(import.meta.dirname, '../fixtures');
const source = (path: string) => createBytesSource(path.split('/').pop()!, new Uint8Array(readFileSync(path)));

/** The summary's rules, the plain way: every report keyed by its texts (RST counts from the store). */
function plainSummary(s: AnalysisSession): CaptureSummary {
  const byKind: Record<string, number> = {};
  const byInitiator = { client: 0, server: 0, none: 0 };
  const servers = new Map<string, { server: string; connections: number; byKind: Record<string, number> }>();
  const senders = new Map<string, { host: string; role: 'client' | 'server'; rsts: number }>();
  let rstsAfterBothFins = 0;
  const reports: ConnectionReport[] = s.reports.toArray();
  for (const r of reports) {
    if (!r.close) continue;
    const kind = r.close.kind;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    byInitiator[r.close.initiator ?? 'none']++;
    const key = r.server.ip.includes(':') ? `[${r.server.ip}]:${r.server.port}` : `${r.server.ip}:${r.server.port}`;
    const row = servers.get(key) ?? { server: key, connections: 0, byKind: {} };
    servers.set(key, row);
    row.connections++;
    row.byKind[kind] = (row.byKind[kind] ?? 0) + 1;
    const i = Number(r.id);
    rstsAfterBothFins += s.connections.store.lateRsts[i];
    for (const role of ['client', 'server'] as const) {
      const n = s.connections.rstCount(i, role);
      if (n <= 0) continue;
      const host = r[role].ip;
      const e = senders.get(`${role} ${host}`) ?? { host, role, rsts: 0 };
      senders.set(`${role} ${host}`, e);
      e.rsts += n;
    }
  }
  const byServer = [...servers.values()].sort((a, b) => b.connections - a.connections || (a.server < b.server ? -1 : 1)).slice(0, 100);
  const topRstSenders = [...senders.values()].sort((a, b) => b.rsts - a.rsts || (a.host < b.host ? -1 : 1)).slice(0, 20);
  return { connections: reports.length, byKind, byInitiator, byServer, topRstSenders, rstsAfterBothFins };
}

function expectSameSummary(s: AnalysisSession): void {
  expect(JSON.stringify(summarizeList(s.reports))).toBe(JSON.stringify(plainSummary(s)));
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
  it('tcpdump text over 260 servers: the summary its rules give, ties at the cut included', async () => {
    const text = new TextEncoder().encode(tcpdumpText(800));
    const s = await analyzeSources([createBytesSource('many-servers.txt', text)]);
    expect(s.inputs[0].tcpPackets).toBe(s.inputs[0].packets); // every line read as a packet
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

  it('a generated capture: the summary its rules give', async () => {
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

  it('closes fixtures and the seed case (kept and log-only reports): the summary its rules give', async () => {
    const dir = join(FIX, 'closes');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.pcap'))) expectSameSummary(await analyzeSources([source(join(dir, f))]));
    const seed = ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt', 'asa-syslog.log'];
    expectSameSummary(await analyzeSources(seed.map((f) => source(join(FIX, 'seed', f))), { year: 2018 }));
  });
});
