/**
 * The connections of `analyze --json` and `--ndjson` (cli/output.ts), written into a TextOut one at a time: packet
 * connections as bytes straight from the store (analysis/connection-members.ts PacketReports.write), log-only ones as
 * the bytes `logOnlyJson` writes from the firewall columns (analysis/firewall/log-only.ts), and any other one (seen at two capture
 * points, joined to a firewall log, or with members added such as the --packets timeline) as its report's
 * JSON.stringify. Each is the same text its report stringifies to.
 */
import type { ConnectionReport } from '../model/report';
import { ConnectionList } from '../analysis/connection-list';
import { utf8, type JsonBytes } from '../lib/json-bytes';
import type { TextOut } from './text-out';
import type { RecordSplit } from './threaded-write';

/**
 * Writes log-only connection k's report as JSON bytes, opening with `head` instead of `{`
 * (analysis/firewall/log-only.ts write); false: not one, build its report.
 */
export type LogOnlyJson = (w: JsonBytes, k: number, head: Uint8Array) => boolean;

/**
 * Writes every connection, each opening with `head` instead of `{`, with `sep(i)` before the i-th and `end` after
 * each (ASCII punctuation, stored as bytes); `done.n`
 * counts the connections begun (so a caller that catches an error can say where it stopped). `extend` may add
 * members to a report before it is stringified (then every connection goes that way). `split`: the log-only
 * connections are written on two threads (cli/threaded-write.ts), the same bytes.
 */
export async function putConnections(
  out: TextOut,
  connections: Iterable<ConnectionReport>,
  head: string,
  sep: (i: number) => string,
  end: string,
  done: { n: number },
  logOnlyJson?: LogOnlyJson | null,
  extend?: (c: ConnectionReport) => object,
  split?: RecordSplit | null,
): Promise<void> {
  const text = (c: ConnectionReport) => {
    const t = JSON.stringify(extend ? extend(c) : c);
    return head === '{' ? t : head + t.slice(1);
  };
  let w: Promise<void> | undefined;
  if (!(connections instanceof ConnectionList)) {
    for (const c of connections) {
      if ((w = out.put(sep(done.n++)))) await w;
      if ((w = out.put(text(c)))) await w;
      if (end && (w = out.put(end))) await w;
    }
    return;
  }
  const list = connections;
  const direct = extend ? null : list.reports;
  const headBytes = utf8(head);
  for (let k = 0; k < list.length; k++) {
    if (split && logOnlyJson && k === list.packetCount) {
      // The rest are the log-only ones (ConnectionList: packet connections first). sep tells only the first apart.
      const run = { kind: 'conn' as const, count: list.length - k, base: k, head, sep0: sep(0), sep: sep(1), end };
      await split.run(out, run, (w, i) => void logOnlyJson(w, i, headBytes), done);
      return;
    }
    out.bytes.ascii(sep(done.n++));
    const i = k < list.packetCount ? list.connIndex(k) : -1;
    const packet = direct !== null && i >= 0 && direct.has(i);
    let written = false;
    if (packet || (i < 0 && logOnlyJson)) {
      const at = out.bytes.n;
      try {
        if (packet) direct.write(out.bytes, i, headBytes);
        written = packet || logOnlyJson!(out.bytes, k - list.packetCount, headBytes);
      } catch (e) {
        out.bytes.n = at; // no half record before the caller's error member
        throw e;
      }
    }
    if (!written && (w = out.put(text(list.at(k)!)))) await w;
    out.bytes.ascii(end);
    if ((w = out.written())) await w;
  }
}
