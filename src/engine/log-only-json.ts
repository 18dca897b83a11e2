/**
 * The JSON text of a log-only connection's report (`syslog-k`, model/report.ts ConnectionReport with its
 * FirewallFacts), written straight from the firewall columns: the exact text JSON.stringify gives for the report
 * analysis/firewall/facts.ts syslogReport builds, without building it (no objects per connection). For
 * `analyze --json` and `--ndjson` over logs of millions of connections.
 * A connection with joined denies takes their list and its explanation (which speaks of each deny) from its report,
 * the rest from the columns. The explanation of the others depends only on the teardown reason, its interface and
 * the two sides' interfaces; it is taken from one report per distinct combination, so its wording stays in
 * explain.ts alone.
 * tests/unit/log-only-json.test.ts holds the text equal to the report's.
 */
import { NONE, protoName } from '../model/firewall-store';
import { isoTime } from '../model/report';
import { joinedConnection, syslogReport } from '../analysis/firewall/facts';
import type { AnalysisSession } from './analyze-sources';

const q = JSON.stringify;

function durationText(s: number): string {
  if (s < 0) return 'null';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `"${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}"`;
}

const iso = (t: number): string | null => (Number.isFinite(t) ? isoTime(t) : null);

/**
 * A maker of log-only connection k's report as JSON text (null for a k that is not one), its opening `{` replaced
 * by `head` when given (`{"record":"connection",` for --ndjson); null when there are none.
 */
export function logOnlyJson(session: AnalysisSession): ((k: number, head?: string) => string | null) | null {
  const fw = session.firewall;
  const rows = fw?.correlation?.syslogConnections.rows;
  if (!fw || !rows || rows.length === 0) return null;
  const { log, join } = fw;
  const c = log.conns;
  const names = log.names;
  // JSON text of few-valued names (device, interfaces, reasons) and of input files, made once each.
  const quoted = new Map<number, string>();
  const name = (id: number): string => {
    let t = quoted.get(id);
    if (t === undefined) quoted.set(id, (t = id === NONE ? 'null' : q(names.list[id])));
    return t;
  };
  const files = log.files.map((f) => q(f));
  const explained = new Map<number | string, string>();
  const explanation = (i: number, k: number): string => {
    // The five ids as one number when each fits in 12 bits (no array per connection), else as text.
    const r = c.tdReason[i];
    const f = c.tdFrom[i];
    const ci = c.cIface[i];
    const si = c.sIface[i];
    const d12 = (x: number) => (x === NONE ? 4095 : x);
    const key = (r < 4095 || r === NONE) && (f < 4095 || f === NONE) && (ci < 4095 || ci === NONE) && (si < 4095 || si === NONE)
      ? (((((c.seen[i] & 2) * 4096 + d12(r)) * 4096 + d12(f)) * 4096 + d12(ci)) * 4096 + d12(si))
      : `${c.seen[i] & 2},${r},${f},${ci},${si}`;
    let t = explained.get(key);
    if (t === undefined) {
      t = q(syslogReport(joinedConnection(log, join, i), k).firewall!.explanation);
      explained.set(key, t);
    }
    return t;
  };
  const endpoint = (norm: number, port: number) => `{"ip":${q(names.list[norm])},"port":${port}}`;
  const msg = (id: number, dflt: string) => (id ? `"${String(id).padStart(6, '0')}"` : dflt);

  return (k, head = '{') => {
    if (k < 0 || k >= rows.length) return null;
    const i = rows[k];
    // Denies joined: their list and the explanation, which speaks of them, come from the report (explain.ts words it).
    const joined = join.connDenyStart[i + 1] > join.connDenyStart[i] ? syslogReport(joinedConnection(log, join, i), k).firewall! : null;
    const built = (c.seen[i] & 1) !== 0;
    const torn = (c.seen[i] & 2) !== 0;
    const bFile = built ? log.files[c.builtInput[i]] : undefined;
    const tFile = torn ? log.files[c.tdInput[i]] : undefined;
    const tFileText = tFile && tFile !== bFile ? files[c.tdInput[i]] : '';
    const fileList = bFile ? (tFileText ? `${files[c.builtInput[i]]},${tFileText}` : files[c.builtInput[i]]) : tFileText;
    const proto = protoName(c.proto[i]);
    const start = iso(c.startUs[i]);
    const end = iso(c.endUs[i]);
    const connId = log.connIdText(i);
    const bMsg = built ? msg(c.builtMsg[i], '"302013"') : '';
    const tMsg = torn ? msg(c.tdMsg[i], '"302014"') : '';
    const bt = built ? iso(c.builtUs[i]) : null;
    let teardown = 'null';
    if (torn) {
      const reason = c.tdReason[i] === NONE ? '""' : name(c.tdReason[i]);
      teardown = `{"time":"${iso(c.tdUs[i]) ?? ''}","reason":${reason},"from":${name(c.tdFrom[i])}}`;
    }
    const mapped = built && c.cMapped[i] !== NONE && c.sMapped[i] !== NONE
      ? `{"client":${endpoint(log.normId(c.cMapped[i]), c.cMappedPort[i])},"server":${endpoint(log.normId(c.sMapped[i]), c.sMappedPort[i])}}`
      : 'null';
    const interfaces = c.cIface[i] !== NONE && c.sIface[i] !== NONE ? `{"client":${name(c.cIface[i])},"server":${name(c.sIface[i])}}` : 'null';
    const notListed = joined?.deniesNotListed ? `,"deniesNotListed":${joined.deniesNotListed}` : '';
    const icmp = c.icmpType[i] >= 0 ? `,"icmp":{"type":${c.icmpType[i]},"code":${c.icmpCode[i]}}` : '';
    return (
      `${head}"id":"syslog-${k}","files":[${fileList}],"source":"syslog",${proto !== 'tcp' ? `"protocol":${q(proto)},` : ''}` +
      `"client":${endpoint(log.normId(c.cAddr[i]), c.cPort[i])},"server":${endpoint(log.normId(c.sAddr[i]), c.sPort[i])},` +
      `"clientBy":"${c.byPort[i] ? 'port-heuristic' : 'syslog-direction'}","start":"${start ?? ''}","end":"${end ?? ''}",` +
      `"packets":{"client":0,"server":0},"payloadBytes":{"client":0,"server":0},"handshake":"none",` +
      `"firewall":{"device":${c.device[i] === NONE ? '""' : name(c.device[i])},"connId":${connId ? q(connId) : 'null'},` +
      `"messageIds":[${bMsg && tMsg ? `${bMsg},${tMsg}` : bMsg || tMsg}],"built":${bt === null ? 'null' : `"${bt}"`},"teardown":${teardown},` +
      `"denies":${joined ? q(joined.denies) : '[]'},"mapped":${mapped},"bytes":${torn && c.tdBytes[i] >= 0 ? c.tdBytes[i] : 'null'},` +
      `"duration":${torn ? durationText(c.tdDurationS[i]) : 'null'},"interfaces":${interfaces}${notListed}${icmp},` +
      `"explanation":${joined ? q(joined.explanation) : explanation(i, k)}}}`
    );
  };
}
