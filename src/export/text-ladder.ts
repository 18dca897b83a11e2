/**
 * One connection as plain text for a terminal (`analyze --explain`): a heading with the close kind, who closed
 * first and Zeek's view; the packets around the close one per line (numbered from 1) (time from the first FIN or RST, direction,
 * flags, relative seq/ack, length, the endpoint states each packet began and its anomalies, packets dropped at
 * the firewall); the firewall's notes; the explanation, wrapped. Pure formatting: no DOM, no Node.
 */
import type { ConnectionReport } from '../model/report';
import type { LadderPacket } from '../model/ladder-packet';
import { ACK, flagNames } from '../model/segment';
import { closeViewOf } from '../model/close-window';
import { ipPort } from '../model/endpoint-text';

/** The fields of a packet this text needs (a LadderPacket, or the engine's ConnectionPacket, has them). */
export type TextPacket = Pick<LadderPacket, 'index' | 'timeUs' | 'fromClient' | 'flags' | 'relSeq' | 'relAck' | 'payloadLength' | 'anomalies'> & Pick<Partial<LadderPacket>, 'tls'>;

export interface TextLadderOptions {
  /** Line width the explanation is wrapped to. */
  width?: number;
}

export function connectionToText(c: ConnectionReport, packets: readonly TextPacket[], o: TextLadderOptions = {}): string {
  const width = o.width ?? 100;
  const ep = (e: { ip: string; port: number }) => ipPort(e.ip, e.port);
  const close = c.close;
  const out: string[] = [];
  const zeek = close ? (close.zeekLog ? close.zeekLog.map((z) => `${z.zeekState} ${z.history}`).join(' + ') : `${close.zeekState} ${close.history}`) : '';
  out.push(`connection ${c.id}: client ${ep(c.client)} -> server ${ep(c.server)}`);
  if (close) {
    const first = close.initiator ? `closed first by the ${close.initiator}` : 'nobody closed';
    out.push(`  ${close.kind}, ${first}${close.lateRst ? ', RST after both FINs' : ''}${close.finRstTogether ? ', FIN and RST together' : ''}; Zeek ${zeek}`);
  }

  // The packets of the close view, as the explorer draws it (model/close-window.ts); the others are counted.
  const { start: firstClose, from, to } = closeViewOf(packets);
  const t0 = firstClose < 0 ? packets[0]?.timeUs ?? 0 : packets[firstClose].timeUs;
  const began = new Map<number, string[]>();
  for (const side of ['client', 'server'] as const) {
    for (const s of close?.states[side] ?? []) {
      const list = began.get(s.packet) ?? [];
      list.push(`${side} ${s.state}`);
      began.set(s.packet, list);
    }
  }
  const dropped = new Map((c.vantage?.dropped ?? []).map((d) => [d.packet, `dropped: seen at ${d.seenAt} only`]));
  const rows: string[][] = [];
  if (from > 0) out.push(`  (${from} earlier packet${from === 1 ? '' : 's'} not listed)`);
  for (let k = from; k < to; k++) {
    const p = packets[k];
    const notes = [...(p.tls ? [`TLS ${p.tls}`] : []), ...(began.get(p.index) ?? []), ...p.anomalies, ...(dropped.has(p.index) ? [dropped.get(p.index)!] : [])];
    rows.push([
      `#${p.index + 1}`, // numbered from 1, as the explanations count packets
      offset(p.timeUs - t0),
      p.fromClient ? 'client -> server' : 'server -> client',
      flagNames(p.flags),
      `seq ${p.relSeq}${p.flags & ACK ? ` ack ${p.relAck}` : ''}`,
      p.payloadLength ? `len ${p.payloadLength}` : '',
      notes.join(', '),
    ]);
  }
  const widths = rows.length ? rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length))) : [];
  for (const r of rows) out.push(`  ${r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd()}`);
  const later = packets.length - to;
  if (later > 0) out.push(`  (${later} later packet${later === 1 ? '' : 's'} not listed)`);

  const fw = c.firewall;
  if (fw) {
    if (fw.teardown) out.push(`  firewall ${fw.device || ''}: teardown "${fw.teardown.reason}"${fw.teardown.from ? ` from ${fw.teardown.from}` : ''} at ${fw.teardown.time}`.replace('  firewall :', '  firewall:'));
    for (const d of fw.denies) {
      const after = d.afterTeardownMs === null ? '' : d.afterTeardownMs === 0 ? ', stamped with the teardown' : `, ${d.afterTeardownMs} ms after the teardown`;
      out.push(`  firewall denied ${d.flags.trim()} from ${ep(d.src)} (${d.messageId}${after})`);
    }
  }
  for (const text of [close?.explanation, fw?.explanation]) if (text) out.push('', ...wrap(text, width).map((l) => `  ${l}`));
  return out.join('\n');
}

/** Time from the first FIN/RST: "0", "+45.179 ms", "-310 µs", "+2.536386 s". */
function offset(us: number): string {
  if (us === 0) return '0';
  const sign = us < 0 ? '-' : '+';
  const a = Math.abs(us);
  if (a < 1000) return `${sign}${a} µs`;
  if (a < 1e6) return `${sign}${(a / 1000).toFixed(3)} ms`;
  return `${sign}${(a / 1e6).toFixed(6)} s`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
