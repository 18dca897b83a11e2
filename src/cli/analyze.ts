/**
 * `npm run --silent analyze -- [--json [--packets [--options]]] [--explain[=ID,...]] [--date YYYY-MM-DD] [--year YYYY] FILE...`
 * ("-" = stdin). Prints one row per connection (client, server, start, duration, packets, bytes, handshake, close
 * kind, who closed first, Zeek state), then the summary, then each input's warnings and errors; with --explain, each
 * connection that did not close cleanly (or the ones named) as a text ladder with its explanation
 * (export/text-ladder.ts); with --json exactly one JSON document (AnalyzeReport) on stdout.
 * Exit status: 0 when anything could be read; 1 when nothing could be read; 2 on usage errors.
 */
import { analyzeSources, connectionPackets, type AnalysisSession } from '../engine/analyze-sources';
import { connectionToText } from '../export/text-ladder';
import { readPacketOptions } from '../engine/packet-detail';
import type { ByteSource } from '../lib/byte-source';
import type { AnalyzeReport, ConnectionReport } from '../model/report';
import { formatProblem } from '../model/problems';
import { createNodeFileSource, createStdinSource } from './node-file-source';

const USAGE =
  'usage: analyze [--json [--packets [--options]]] [--explain[=ID,...]] [--date YYYY-MM-DD] [--year YYYY] FILE... ("-" reads standard input)';
/** --explain without IDs: the connections that did not close cleanly, up to this many. */
const EXPLAIN_MAX = 20;

interface Args {
  json: boolean;
  /** With --json: each connection also carries its packet timeline. */
  packets: boolean;
  /** With --packets: each packet also carries its TCP options (read in one more pass over each capture). */
  options: boolean;
  /** --explain: null = off, [] = every connection that did not close cleanly, else these connection ids. */
  explain: string[] | null;
  date?: string;
  year?: number;
  files: string[];
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { json: false, packets: false, options: false, explain: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--json') a.json = true;
    else if (v === '--packets') a.packets = true;
    else if (v === '--options') a.options = true;
    else if (v === '--explain') a.explain = [];
    else if (v.startsWith('--explain=')) a.explain = v.slice(10).split(',').filter(Boolean);
    else if (v === '--date') {
      const d = argv[++i];
      if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return '--date needs YYYY-MM-DD';
      a.date = d;
    } else if (v === '--year') {
      const y = Number(argv[++i]);
      if (!Number.isInteger(y) || y < 1970 || y > 9999) return '--year needs a year';
      a.year = y;
    } else if (v === '-h' || v === '--help') return '';
    else if (v.startsWith('--')) return `unknown option ${v}`;
    else a.files.push(v);
  }
  if (a.files.length === 0) return 'no input files';
  if (a.options && !(a.json && a.packets)) return '--options needs --json --packets';
  return a;
}

function duration(c: ConnectionReport): string {
  const ms = Date.parse(c.end) - Date.parse(c.start) + (Number(c.end.slice(23, 26)) - Number(c.start.slice(23, 26))) / 1000;
  return ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
}

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function table(report: Omit<AnalyzeReport, 'connections'>, connections: Iterable<ConnectionReport>): string {
  const head = ['id', 'client', 'server', 'start', 'duration', 'pkts c/s', 'bytes c/s', 'handshake', 'kind', 'initiator', 'zeek'];
  const rows = Array.from(connections, (c) => [
    c.id,
    endpoint(c.client),
    endpoint(c.server),
    c.start,
    duration(c),
    `${c.packets.client}/${c.packets.server}`,
    `${c.payloadBytes.client}/${c.payloadBytes.server}`,
    c.handshake,
    c.close?.kind ?? '-',
    c.close?.initiator ?? '-',
    c.close ? `${c.close.zeekState} ${c.close.history}` : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  const s = report.summary;
  if (s) {
    out.push('', `connections: ${s.connections}`);
    out.push(`by kind: ${Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || '-'}`);
    out.push(`closed first by: client ${s.byInitiator.client}, server ${s.byInitiator.server}, none ${s.byInitiator.none}`);
    out.push(`RSTs after both FINs: ${s.rstsAfterBothFins}`);
    if (s.topRstSenders.length) out.push(`top RST senders: ${s.topRstSenders.slice(0, 5).map((r) => `${r.host} (${r.role}) ${r.rsts}`).join(', ')}`);
    for (const sv of s.byServer.slice(0, 10)) {
      out.push(`server ${sv.server}: ${sv.connections} (${Object.entries(sv.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
    }
    const fw = s.firewall;
    if (fw) {
      out.push(
        `firewall 106015 "no connection" denies: ${fw.denies106015} (${fw.deniesLateClose} late packets of just-closed connections, ${fw.deniesUnknown} unknown traffic)`,
      );
      const ids = Object.entries(fw.messagesById).sort((a, b) => b[1] - a[1]);
      if (ids.length) out.push(`firewall messages by id: ${ids.slice(0, 12).map(([id, n]) => `${id} ${n}`).join(', ')}`);
    }
  }
  for (const inp of report.inputs) {
    out.push('', `${inp.file}: ${inp.format}${inp.gzip ? ' (gzip)' : ''}, ${inp.packets} records, ${inp.tcpPackets} TCP segments`);
    const skipped = Object.entries(inp.skipped);
    if (skipped.length) out.push(`  skipped: ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const p of inp.errors) out.push(`  error: ${formatProblem(p)}`);
    for (const p of inp.warnings) out.push(`  warning: ${formatProblem(p)}`);
  }
  return out.join('\n');
}

/**
 * The report as one JSON document, written a connection at a time, each report built as it is written
 * (pulled from `connections`): with 100,000 connections neither the whole document as one string nor every
 * report at once is held.
 */
async function writeJson(
  report: Omit<AnalyzeReport, 'connections'>,
  connections: Iterable<ConnectionReport>,
  timeline?: (c: ConnectionReport) => unknown[],
): Promise<void> {
  const write = (text: string) =>
    new Promise<void>((done) => (process.stdout.write(text) ? done() : process.stdout.once('drain', done)));
  const rest = { inputs: report.inputs, summary: report.summary };
  await write(`{"inputs":${JSON.stringify(rest.inputs)},\n"connections":[`);
  let batch = '';
  let i = 0;
  for (const c of connections) {
    batch += `${i++ ? ',' : ''}\n${JSON.stringify(timeline && c.source !== 'syslog' ? { ...c, timeline: timeline(c) } : c)}`;
    if (batch.length > 1 << 16) {
      await write(batch);
      batch = '';
    }
  }
  await write(`${batch}\n]`);
  for (const [key, value] of Object.entries(rest)) if (key !== 'inputs' && value !== undefined) await write(`,\n${JSON.stringify(key)}:${JSON.stringify(value)}`);
  await write('}\n');
}

/** The --explain section: the connections asked for, each as a text ladder with its explanation. */
function explained(session: AnalysisSession, ids: string[]): string {
  const out: string[] = [];
  let left = 0;
  for (const c of session.reports) {
    const asked = ids.length ? ids.includes(c.id) : c.source !== 'syslog' && c.close?.kind !== 'clean';
    if (!asked) continue;
    if (!ids.length && out.length >= EXPLAIN_MAX) {
      left++;
      continue;
    }
    out.push(connectionToText(c, c.source === 'syslog' ? [] : connectionPackets(session, c.id)));
  }
  if (left) out.push(`(${left} more connections that did not close cleanly: name them with --explain=ID,...)`);
  if (!out.length) out.push(ids.length ? `no connection with id ${ids.join(', ')}` : 'every connection closed cleanly');
  return `\n${out.join('\n\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args ? `${args}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const sources: ByteSource[] = [];
  const unreadable: string[] = [];
  for (const f of args.files) {
    try {
      sources.push(f === '-' ? await createStdinSource() : await createNodeFileSource(f));
    } catch (e) {
      unreadable.push(`${f}: ${(e as Error).message}`);
    }
  }
  for (const u of unreadable) process.stderr.write(`cannot read ${u}\n`);
  if (sources.length === 0) return 1;
  const session = await analyzeSources(sources, { date: args.date, year: args.year });
  // Not session.report.connections: that would build every report at once.
  const report = { inputs: session.report.inputs, summary: session.report.summary };
  // --packets: [timeUs, fromClient, flags, seq, ack, relSeq, relAck, length, window, frame, file, anomalies] per packet,
  // and with --options the packet's TCP options (or null) after them.
  const options = args.options ? await readPacketOptions(session, sources) : null;
  const packetTable = session.table;
  const timeline = args.packets
    ? (c: ConnectionReport) => {
        const packets = connectionPackets(session, c.id);
        const t = session.connections;
        const start = t.starts[Number(c.id)];
        return packets.map((p, k) => {
          const row = [p.timeUs, p.fromClient ? 1 : 0, p.flags, p.seq, p.ack, p.relSeq, p.relAck, p.payloadLength, p.window, p.frame, p.file, p.anomalies];
          if (!options) return row;
          const r = t.order[start + k]; // connectionPackets lists the connection's rows in this order
          return [...row, options[packetTable.input.get(r)]?.get(packetTable.recordOffset.get(r)) ?? null];
        });
      }
    : undefined;
  if (args.json) await writeJson(report, session.reports, timeline);
  else {
    process.stdout.write(`${table(report, session.reports)}\n`);
    if (args.explain) process.stdout.write(explained(session, args.explain));
  }
  const anythingRead = report.inputs.some((i) => i.packets > 0 || i.tcpPackets > 0) || session.reports.length > 0;
  return anythingRead ? 0 : 1;
}

const invokedDirectly = process.argv[1] && /analyze\.(ts|js|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`analyze failed: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
