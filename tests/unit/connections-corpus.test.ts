// Connections against tshark's tcp.stream: for every capture with a tshark reference TSV (frame.number,
// tcp.stream, addresses, ports, ...), the same frames must be grouped into the same connections, and
// within a connection each TSV sender must map to one of our directions (client or server), and each connection's
// tcpStream must be tshark's tcp.stream number itself.
// Fixtures: tests/fixtures/captures (+ reference/); sweep: ../shared/corpus when it exists.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { connOfRows } from './conn-of-rows';

const FIX = join(__dirname, '..', 'fixtures', 'captures');
const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Captures where we knowingly group differently from tshark, with the reason (one line each). */
export const STREAM_DIFFERENCES: Record<string, string> = {
  'tcpdump__of13_ericsson.pcapng':
    'OpenFlow packet-in messages carry whole IP/TCP packets: the TSV holds the inner addresses with the outer tcp.stream.',
};

interface Result {
  capture: string;
  frames: number;
  compared: number;
  streams: number;
  problems: string[];
}

async function compare(capturePath: string, tsvPath: string, capture: string): Promise<Result> {
  const s = await analyzeSources([await createNodeFileSource(capturePath, capture)]);
  const t = s.table;
  const tcpStream = s.connections.tcpStream!;
  const ours = new Map<number, { conn: number; fromClient: number }>();
  const connOf = connOfRows(s.connections, t.length);
  for (let i = 0; i < t.length; i++) ours.set(t.frame.get(i), { conn: connOf[i], fromClient: t.fromClient.get(i) });
  const lines = readFileSync(tsvPath, 'utf8').trim().split('\n').slice(1);
  const streamToConn = new Map<number, number>();
  const connToStream = new Map<number, number>();
  const senderSide = new Map<string, number>();
  const problems: string[] = [];
  let compared = 0;
  let frames = 0;
  for (const l of lines) {
    const c = l.split('\t');
    if (c[1] === '' || c[4] === '') continue;
    frames++;
    const frame = Number(c[0]);
    const stream = Number(c[1]);
    const o = ours.get(frame);
    if (!o) continue; // not decoded by us: the decoder tests account for those frames
    compared++;
    const sc = streamToConn.get(stream);
    const cs = connToStream.get(o.conn);
    if ((sc !== undefined && sc !== o.conn) || (cs !== undefined && cs !== stream)) {
      if (problems.length < 5) problems.push(`frame ${frame}: tshark stream ${stream}, our connection ${o.conn} (expected ${sc ?? '-'})`);
    }
    if (tcpStream[o.conn] !== stream && problems.length < 5) problems.push(`frame ${frame}: tshark stream ${stream}, our tcpStream ${tcpStream[o.conn]}`);
    streamToConn.set(stream, o.conn);
    connToStream.set(o.conn, stream);
    const sender = `${stream} ${c[2] || c[3]} ${c[4]}`;
    const side = senderSide.get(sender);
    if (side !== undefined && side !== o.fromClient && problems.length < 5) problems.push(`frame ${frame}: direction flips within stream ${stream}`);
    senderSide.set(sender, o.fromClient);
  }
  return { capture, frames, compared, streams: streamToConn.size, problems };
}

function captures(dir: string, refDir: string): [string, string, string][] {
  if (!existsSync(refDir)) return [];
  return readdirSync(refDir)
    .filter((f) => f.endsWith('.tsv'))
    .map((f) => f.slice(0, -4))
    .filter((c) => existsSync(join(dir, c)))
    .map((c) => [join(dir, c), join(refDir, `${c}.tsv`), c]);
}

function checkAll(results: Result[]): { streams: number; compared: number } {
  const unexpected = results.filter((r) => r.problems.length && !STREAM_DIFFERENCES[r.capture]).map((r) => `${r.capture}: ${r.problems.join('; ')}`);
  expect(unexpected).toEqual([]);
  return {
    streams: results.reduce((n, r) => n + r.streams, 0),
    compared: results.reduce((n, r) => n + r.compared, 0),
  };
}

describe('connections = tshark tcp.stream', () => {
  it('groups the fixture captures like tshark', async () => {
    const list = captures(FIX, join(FIX, 'reference'));
    expect(list.length).toBeGreaterThan(10);
    const results: Result[] = [];
    for (const [cap, tsv, name] of list) results.push(await compare(cap, tsv, name));
    const { streams, compared } = checkAll(results);
    console.log(`fixtures: ${results.length} captures, ${streams} streams, ${compared} frames compared with tshark`);
    expect(streams).toBeGreaterThan(20);
  });

  const sweep = existsSync(CORPUS) ? it : it.skip;
  sweep(`sweep over ../shared/corpus (${existsSync(CORPUS) ? 'present' : 'absent: skipped'})`, async () => {
    const list = captures(join(CORPUS, 'pcap'), join(CORPUS, 'reference'));
    const results: Result[] = [];
    for (const [cap, tsv, name] of list) results.push(await compare(cap, tsv, name));
    const { streams, compared } = checkAll(results);
    const frames = results.reduce((n, r) => n + r.frames, 0);
    console.log(`corpus: ${results.length} captures, ${streams} tshark streams matched, ${compared} of ${frames} TSV frames compared`);
    expect(streams).toBeGreaterThan(1000);
  }, 120_000);
});
