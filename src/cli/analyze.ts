/**
 * `npm run --silent analyze -- [--json [--packets [--options]] | --ndjson] [--explain[=ID,...]] [--date YYYY-MM-DD] [--year YYYY] [--tz ZONE] FILE...`
 * ("-" = stdin). Prints one row per connection (client, server, start, duration, packets, bytes, handshake, close
 * kind, who closed first, Zeek state, protocol), then a firewall log's denies (a row each), then the summary, then
 * each input's warnings and errors; with --explain, each
 * connection that did not close cleanly (or the ones named) as a text ladder with its explanation
 * (export/text-ladder.ts); with --json exactly one JSON document (AnalyzeReport) on stdout; with --ndjson one JSON
 * record per line (connections, denies of every message, then the summary; cli/output.ts). All of it streamed.
 * Exit status: 0 when anything could be read; 1 when nothing could be read; 2 on usage errors.
 */
import { analyzeSources, connectionPackets, type AnalysisSession } from '../engine/analyze-sources';
import { connectionToText } from '../export/text-ladder';
import { ladderWithTls } from '../engine/session';
import { readPacketOptions } from '../engine/packet-detail';
import type { ByteSource } from '../lib/byte-source';
import type { ConnectionReport } from '../model/report';
import { denyJsonOf, reportIdTable } from '../engine/firewall-records';
import { writeJson, writeNdjson, writeTable } from './output';
import type { LogOnlyJson } from './json-connections';
import { parseZoneOption } from '../decode/text/syslog-zones';
import { createNodeFileSource, createStdinSource } from './node-file-source';
import { dateProblem, yearProblem } from '../model/load-options';
import { endDecodeThread, threadedDecoder } from './threaded-decode';
import { holdYoungGeneration, youngGenerationWatch } from './young-generation';
import { TableThread } from './threaded-table';
import { WriterThread } from './threaded-write';
import { magicEntry } from '../decode/formats';
import { createGunzipSource, isGzip, sizeHint } from '../lib/gzip-source';
import { toStdout, toStdoutBehind } from './stdout';

const USAGE =
  'usage: analyze [--json [--packets [--options]] | --ndjson] [--explain[=ID,...]] [--date YYYY-MM-DD] [--year YYYY] [--tz ZONE] FILE... ("-" reads standard input)';
/** --explain without IDs: the connections that did not close cleanly, up to this many. */
const EXPLAIN_MAX = 20;

interface Args {
  json: boolean;
  ndjson: boolean;
  /** With --json: each connection also carries its packet timeline. */
  packets: boolean;
  /** With --packets: each packet also carries its TCP options (read in one more pass over each capture). */
  options: boolean;
  /** --explain: null = off, [] = every connection that did not close cleanly, else these connection ids. */
  explain: string[] | null;
  date?: string;
  year?: number;
  tz?: string;
  files: string[];
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { json: false, ndjson: false, packets: false, options: false, explain: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--json') a.json = true;
    else if (v === '--ndjson') a.ndjson = true;
    else if (v === '--packets') a.packets = true;
    else if (v === '--options') a.options = true;
    else if (v === '--explain') a.explain = [];
    else if (v.startsWith('--explain=')) a.explain = v.slice(10).split(',').filter(Boolean);
    else if (v === '--date') {
      const d = argv[++i];
      if (!d) return '--date needs YYYY-MM-DD';
      if (dateProblem(d)) return `--date: ${dateProblem(d)}`;
      a.date = d;
    } else if (v === '--year') {
      const y = Number(argv[++i]);
      if (yearProblem(y)) return `--year: ${yearProblem(y)}`;
      a.year = y;
    } else if (v === '--tz') {
      const z = argv[++i];
      const spec = z === undefined ? 'no zone' : parseZoneOption(z);
      if (typeof spec === 'string') return `--tz needs a time zone (+03:00, MSK, Europe/Moscow): ${spec}`;
      a.tz = z;
    } else if (v === '-h' || v === '--help') return '';
    else if (v.startsWith('--')) return `unknown option ${v}`;
    else a.files.push(v);
  }
  if (a.files.length === 0) return 'no input files';
  if (a.options && !(a.json && a.packets)) return '--options needs --json --packets';
  if (a.json && a.ndjson) return '--json and --ndjson are two ways to write the same thing: pick one';
  return a;
}

/** The --explain section: the connections asked for, each as a text ladder with its explanation. */
async function explained(session: AnalysisSession, sources: readonly ByteSource[], ids: string[]): Promise<string> {
  const out: string[] = [];
  let left = 0;
  let row = -1;
  for (const c of session.reports) {
    row++;
    const asked = ids.length ? ids.includes(c.id) : c.source !== 'syslog' && c.close?.kind !== 'clean';
    if (!asked) continue;
    if (!ids.length && out.length >= EXPLAIN_MAX) {
      left++;
      continue;
    }
    // TLS connections are read again from their file: record names per packet, and alerts decrypted with a key log given.
    const tls = c.close?.tls ? await ladderWithTls(session, sources, row) : null;
    out.push(tls ? connectionToText(tls.connection, tls.packets) : connectionToText(c, c.source === 'syslog' ? [] : connectionPackets(session, c.id)));
  }
  if (left) out.push(`(${left} more connections that did not close cleanly: name them with --explain=ID,...)`);
  if (!out.length) out.push(ids.length ? `no connection with id ${ids.join(', ')}` : 'every connection closed cleanly');
  return `\n${out.join('\n\n')}\n`;
}

/**
 * Connections the tracker makes room for at its first (createConnectionTracker): one per 2 KiB of input, at most
 * 2^21. The bench capture has one per ~10 KiB; a capture of a scan has more than this, and grows as without it.
 */
function expectedConnections(bytes: number): number {
  return Math.min(Math.floor(bytes / 2048), 1 << 21);
}

/**
 * Bytes of the inputs that are not binary captures (by their magic, inside gzip too): the firewall logs among them,
 * at most. A gzip input counts its decompressed size (lib/gzip-source.ts sizeHint).
 */
async function notCaptureBytes(sources: readonly ByteSource[]): Promise<number> {
  let n = 0;
  for (const s of sources) {
    if (s.size === undefined) continue;
    const head = await s.read(0, 16);
    const inner = isGzip(head) ? await createGunzipSource(s).read(0, 16).catch(() => head) : head;
    if (!magicEntry(inner)?.framer) n += (await sizeHint(s)) ?? 0;
  }
  return n;
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
  const inputBytes = sources.reduce((n, s) => n + (s.size ?? 0), 0);
  const onProgress = youngGenerationWatch(inputBytes);
  const table = !args.json && !args.ndjson;
  // The tables of a big log: its connections (read alone) written on another thread while this one joins the log,
  // its denies laid out on both (cli/threaded-table.ts).
  const tables = table ? TableThread.prepare(await notCaptureBytes(sources)) : null;
  // Started before the inputs are read (its start and compile beside the decoding); given the records after.
  const writer = args.json || args.ndjson ? WriterThread.start(await notCaptureBytes(sources)) : null;
  const session = await analyzeSources(sources, {
    date: args.date, year: args.year, tz: args.tz, decode: threadedDecoder(undefined, sources.length), onProgress,
    expectedConnections: expectedConnections(inputBytes),
    // The readable table prints no TLS fact and no RFC endpoint state (--explain and the JSON modes do).
    leaveOut: table && !args.explain ? { tls: false, rfcStates: false } : undefined,
    onLogRead: tables ? (log, captured) => tables.logRead(log, captured) : undefined,
  });
  await endDecodeThread();
  // Not analyzeReport(session): that would build every report at once.
  const report = { inputs: session.inputs, summary: session.summary };
  // --packets: [timeUs, fromClient, flags, seq, ack, relSeq, relAck, length, window, frame, file, anomalies] per packet,
  // and with --options the packet's TCP options (or null) after them.
  const options = args.options ? await readPacketOptions(session, sources) : null;
  const packetTable = session.table;
  const timeline = args.packets
    ? (c: ConnectionReport) => {
        const packets = connectionPackets(session, c.id);
        const t = session.connections;
        const i = Number(c.id);
        return packets.map((p, k) => {
          const row = [p.timeUs, p.fromClient ? 1 : 0, p.flags, p.seq, p.ack, p.relSeq, p.relAck, p.payloadLength, p.window, p.frame, p.file, p.anomalies];
          if (!options) return row;
          const r = t.row(i, k); // connectionPackets lists the connection's rows in this order
          return [...row, options[packetTable.input.get(r)]?.get(packetTable.recordOffset.get(r)) ?? null];
        });
      }
    : undefined;
  let complete = true;
  // Log-only connections and denies are written as JSON bytes straight from the firewall columns (the JSON modes
  // only: the table does not need the denies' member writers, whose report ids take a pass over the connections).
  const fw = session.firewall;
  const reportIdOf = fw && (args.json || args.ndjson) ? reportIdTable(session) : null;
  const denies = fw && reportIdOf ? denyJsonOf(fw.log, fw.join, reportIdOf) : undefined;
  const logOnly = session.firewall?.correlation?.syslogConnections;
  const logOnlyJson: LogOnlyJson | null = logOnly ? (w, k, head) => logOnly.write(w, k, head) : null;
  holdYoungGeneration(session.reports.length + (session.firewall?.log.denies.count ?? 0));
  const split = writer?.ready(session, reportIdOf ?? undefined) ? writer : null;
  if (args.json) complete = await writeJson(report, session.reports, timeline, denies, logOnlyJson, toStdoutBehind, split);
  else if (args.ndjson) complete = await writeNdjson(report, session.reports, denies ?? [], logOnlyJson, toStdoutBehind, split);
  else {
    await writeTable(session, undefined, tables);
    if (args.explain) await toStdout(await explained(session, sources, args.explain));
  }
  if (writer) await writer.end();
  const anythingRead = report.inputs.some((i) => i.packets > 0 || i.tcpPackets > 0) || session.reports.length > 0;
  return anythingRead && complete ? 0 : 1;
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
