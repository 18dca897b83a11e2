/**
 * The TLS view of the connection a user looks at: its frames are read again from the input (as packet details and
 * exports do: the PacketTable keeps no payload), their TCP payloads fed to src/tls/connection.ts, and the result
 * turned into what the ladder shows: a record label per packet, the alerts with side and frame, and the close's
 * TLS facts and explanation restated as facts when the key log decrypted them. Bounded: at most MAX_PACKETS packets
 * of the connection are read. The secrets stay here: only names of alerts and the (public) client random come out.
 */
import { isRereadable } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import { FrameDissector } from '../dissect/frame-dissector';
import type { ConnectionReport, Side, TlsAlertFact, TlsFacts } from '../model/report';
import type { LadderPacket } from '../render/ladder-types';
import { tlsCloseSentence } from '../analysis/explain';
import { tlsView, type TlsView } from '../tls/connection';
import type { KeyLog } from '../tls/keylog';
import type { StreamSegment } from '../tls/stream';
import type { AnalysisSession } from './analyze-sources';
import { readFramesFrom } from './export-frames';

const MAX_PACKETS = 200_000;

/** Reads the TCP payloads of connection entry `entry` (only its first input's packets: a second capture point has other sequence numbers). */
async function segmentsOf(session: AnalysisSession, sources: readonly ByteSource[], entry: number): Promise<{ client: StreamSegment[]; server: StreamSegment[] } | null> {
  const list = session.reports;
  if (!Number.isInteger(entry) || entry < 0 || entry >= list.packetCount) return null;
  const t = session.connections;
  const i = list.connIndex(entry);
  const table = session.table;
  const rows = t.rows(i, 0, Math.min(t.rowCount(i), MAX_PACKETS));
  if (rows.length === 0) return null;
  const input = table.input.get(rows[0]);
  const format = session.inputs[input]?.format;
  const source = sources[input];
  if (!isRereadable(format) || !source) return null;
  const byOffset = new Map<number, { packet: number; fromClient: boolean; frame: number }>();
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    if (table.input.get(row) !== input || table.payloadLength.get(row) === 0) continue;
    byOffset.set(table.recordOffset.get(row), { packet: k, fromClient: table.fromClient.get(row) === 1, frame: table.frame.get(row) });
  }
  const frames = await readFramesFrom(session, source, format, input, byOffset.keys());
  const client: StreamSegment[] = [];
  const server: StreamSegment[] = [];
  let current: { packet: number; fromClient: boolean } | undefined;
  const dissector = new FrameDissector({
    segment(seg) {
      const p = seg.payload;
      if (!current || !p || !p.length) return;
      (current.fromClient ? client : server).push({ seq: seg.seq >>> 0, payload: p.slice(), packet: current.packet });
    },
  }, input);
  for (const f of frames) {
    current = byOffset.get(f.recordOffset);
    if (current) dissector.frame(f.linkType, f.timeUs, f.data, f.recordOffset, 0, f.originalLength);
  }
  const order = (a: StreamSegment, b: StreamSegment) => a.packet - b.packet;
  return { client: client.sort(order), server: server.sort(order) };
}

/** The TLS view of flow-table entry `entry`, or null when it carries no TLS (or has no packet bytes). */
export async function readConnectionTls(session: AnalysisSession, sources: readonly ByteSource[], entry: number, keyLog: KeyLog | null): Promise<TlsView | null> {
  const segs = await segmentsOf(session, sources, entry);
  return segs ? tlsView(segs.client, segs.server, keyLog) : null;
}

const hex = (s: string | null) => s ?? '';

/** What key log lines would decrypt this connection (said when it is not decrypted). */
function keyLogHint(v: TlsView): string {
  if (v.decryption === 'decrypted') return '';
  const random = v.clientRandom;
  if (!random) return 'No ClientHello in this capture, so no key log can be matched to this connection.';
  const lines = v.version === 0x0304
    ? `the TLS 1.3 traffic secrets (CLIENT_TRAFFIC_SECRET_0 and SERVER_TRAFFIC_SECRET_0 ${hex(random)} ..., with the handshake ones)`
    : `a line CLIENT_RANDOM ${hex(random)} ... (the master secret)`;
  const why: Record<string, string> = {
    'no-key-log': 'Drop an SSLKEYLOGFILE key log with the capture to decrypt it',
    'no-keys': 'The key log loaded has no secrets for this session; it needs',
    unsupported: `Teardown does not decrypt the cipher suite ${v.suite ?? ''}; a key log would need`,
    failed: 'The key log has secrets for this session but its records did not decrypt with them (wrong secrets, or records missing); it needs',
    'no-hello': 'The ServerHello is missing, so keys cannot be derived; a key log would need',
  };
  return `${why[v.decryption] ?? ''}: ${lines}.`.replace('capture to decrypt it:', 'capture to decrypt it; it needs');
}

/** Ladder packets with their TLS record labels, and the connection with its TLS facts and explanation restated. */
export function applyTlsView(conn: ConnectionReport, packets: LadderPacket[], v: TlsView, frameOf: (packet: number) => number): { connection: ConnectionReport; packets: LadderPacket[] } {
  const labelled = packets.map((p) => {
    const l = v.labels.get(p.index);
    return l ? { ...p, tls: l.join(', ') } : p;
  });
  const close = conn.close;
  if (!close) return { connection: conn, packets: labelled };
  const alerts: TlsAlertFact[] = v.alerts.map((a) => ({
    side: (a.fromClient ? 'client' : 'server') as Side, packet: a.packet, frame: frameOf(a.packet), name: a.name,
    level: a.level === 2 ? 'fatal' : a.level === 1 ? 'warning' : null, decrypted: a.decrypted,
  }));
  const old = close.tls;
  const version = v.version === 0x0304 ? 'TLS 1.3' : v.version === 0x0303 ? 'TLS 1.2' : v.version === 0x0302 ? 'TLS 1.1' : v.version === 0x0301 ? 'TLS 1.0' : (old?.version ?? null);
  const decrypted = v.decryption === 'decrypted';
  const before = (side: Side) => alerts.some((a) => a.side === side);
  const tls: TlsFacts = {
    version,
    alertBeforeFin: decrypted || version !== 'TLS 1.3' ? { client: before('client'), server: before('server') } : null,
    inferred: false,
    note: old?.note ?? '',
    alerts,
    decryption: v.decryption,
    ...(v.clientRandom ? { clientRandom: v.clientRandom } : {}),
    ...(v.holes || v.lostRecords ? { holes: v.holes, lostRecords: v.lostRecords } : {}),
    ...(v.start.client > 0 || v.start.server > 0 ? { plaintextBefore: true } : {}),
  };
  const hint = keyLogHint(v);
  if (hint) tls.keyLogHint = hint;
  if (decrypted) tls.note = 'Decrypted with the key log: the alerts named here were read from the records themselves.';
  const oldSentence = old ? tlsCloseSentence(old, close.fin) : '';
  const newSentence = tlsCloseSentence(tls, close.fin);
  const explanation = oldSentence && close.explanation.includes(oldSentence)
    ? close.explanation.replace(oldSentence, newSentence)
    : newSentence ? `${close.explanation} ${newSentence}` : close.explanation;
  return { connection: { ...conn, close: { ...close, tls, explanation } }, packets: labelled };
}
