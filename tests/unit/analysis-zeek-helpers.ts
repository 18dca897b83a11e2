// Compares our zeekState/history with Zeek's conn.log baselines (shared by the fixture test and the
// wider sweep over ../shared/corpus).
import { readFileSync } from 'node:fs';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import type { CloseFacts } from '../../src/model/report';

/** conn.log baseline -> capture (from ../shared/corpus/MANIFEST.tsv "why_interesting"). */
export const CONN_LOG_BASELINES: [baseline: string, capture: string][] = [
  ['core.tcp.missing-syn-conn.log', 'zeek__tcp-missing-syn.pcap'],
  ['core.tcp.miss-end-data-conn.log', 'zeek__tcp-miss_end_data.pcap'],
  ['core.tcp.flip-without-syn-conn.log', 'zeek__tcp-http-on-irc-port-missing-syn.pcapng'],
  ['core.expire-all-timers-conn-all.log', 'zeek__tcp-retransmit-timeout.pcapng'],
  ['core.mpls-in-vlan-conn.log', 'zeek__mpls-in-vlan.pcap'],
  ['core.vlan-mpls-conn.log', 'zeek__mixed-vlan-mpls.pcap'],
  ['core.tcp-padding-conn.log', 'zeek__tcp-http-with-padding.pcap'],
  ['core.cisco-fabric-path-conn.log', 'zeek__cisco-fabric-path.pcap'],
  ['core.pppoe-over-qinq-conn.log', 'zeek__pppoe-over-qinq.pcap'],
  ['scripts.base.protocols.pop3.basic-conn.log', 'zeek__pop3-pop3.pcap'],
  ['scripts.base.protocols.ftp.ftp-ipv6-conn.log', 'zeek__ftp-ipv6.pcap'],
  ['opt.basic-conn.log', 'zeek__wikipedia.pcap'],
  ['scripts.base.protocols.ssh.basic-conn.log', 'zeek__ssh-ssh.pcap'],
  ['scripts.base.protocols.ssh.half-duplex-client-conn.log', 'zeek__ssh-ssh.client-side-half-duplex.pcap'],
  ['scripts.base.protocols.ssh.half-duplex-server-conn.log', 'zeek__ssh-ssh.server-side-half-duplex.pcap'],
];

/**
 * Rows where we knowingly differ, "capture orig_p history" -> reason (none at present; the last one, PPPoE frames
 * whose IP length exceeds the PPPoE length, is handled by TcpSegment.ipExtraLength).
 */
export const KNOWN_DIFFERENCES: Record<string, string> = {};
/** Captures where every row may differ, capture -> reason (none at present). */
export const KNOWN_DIFFERENCE_CAPTURES: Record<string, string> = {};

export interface ZeekRow {
  capture: string;
  key: string;
  zeek: string;
  ours: string | null;
}

/**
 * Our rows for a capture: one per Zeek connection, i.e. the rows of `close.zeekLog` when Zeek would split a
 * connection (timers, reuse), else the connection's own zeekState/history.
 */
function ourZeekRows(c: { client: { ip: string; port: number }; server: { ip: string; port: number }; close: CloseFacts | null }) {
  const log = c.close?.zeekLog ?? (c.close ? [{ zeekState: c.close.zeekState, history: c.close.history }] : []);
  return log.map((z) => ({ tuple: [c.client.ip, c.client.port, c.server.ip, c.server.port] as const, text: `${z.zeekState} ${z.history}` }));
}

export async function compareConnLog(baselinePath: string, capturePath: string, capture: string): Promise<ZeekRow[]> {
  const s = await analyzeSources([await createNodeFileSource(capturePath, capture)]);
  const ours = s.reports.toArray().flatMap((c) => ourZeekRows(c as never));
  const lines = readFileSync(baselinePath, 'utf8').split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  const used = new Set<number>();
  const rows: ZeekRow[] = [];
  for (const l of lines) {
    if (!l || l.startsWith('#')) continue;
    const v = l.split('\t');
    const r: Record<string, string> = {};
    fields.forEach((k, i) => (r[k] = v[i]));
    if (r.proto !== 'tcp') continue;
    const oh = r['id.orig_h'];
    const op = Number(r['id.orig_p']);
    const rh = r['id.resp_h'];
    const rp = Number(r['id.resp_p']);
    const zeek = `${r.conn_state} ${r.history}`;
    const same = (k: number) => {
      const [ch, cp, sh, sp] = ours[k].tuple;
      return (ch === oh && cp === op && sh === rh && sp === rp) || (sh === oh && sp === op && ch === rh && cp === rp);
    };
    // The first unused row of the same 4-tuple with the same text, else the first unused row of that 4-tuple.
    let m = ours.findIndex((o, k) => !used.has(k) && same(k) && o.text === zeek);
    if (m < 0) m = ours.findIndex((_, k) => !used.has(k) && same(k));
    if (m >= 0) used.add(m);
    rows.push({ capture, key: `${capture} ${op} ${r.history}`, zeek, ours: m >= 0 ? ours[m].text : null });
  }
  return rows;
}
