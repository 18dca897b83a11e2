/**
 * The close of a connection seen at two capture points, from what both saw (issue #19). The tracker classified
 * each point's packets on their own and the merge kept the first point's close facts (merge.ts); a packet only the
 * other point saw (the late RST a firewall dropped: seen outside only when the inside capture is the first) would
 * then be left out, and a close with a server RST after both FINs called "clean". Here the FINs and RSTs of the
 * merged timeline (every packet either point saw, on the first point's clock) decide the kind, who closed first,
 * whether a RST came after both FINs or with its side's FIN; when that differs from the first point's facts, the
 * explanation is written again from them (the other explanation inputs are the report's or counted on the rows).
 */
import type { ConnectionReport } from '../../model/report';
import type { PacketTable } from '../../model/packet-table';
import { ACK, FIN, RST, SYN } from '../../model/segment';
import { explainClose, type ExplainInput } from '../explain';
import { FIN_RST_TOGETHER_US } from '../close';

interface Side {
  fin: number;
  finUs: number;
  rst: number;
  rstUs: number;
  finRstOneSegment: boolean;
  plainSyns: number;
  /** Payload bytes sent after the other side's FIN. */
  afterPeerFin: number;
}

const side = (): Side => ({ fin: -1, finUs: 0, rst: -1, rstUs: 0, finRstOneSegment: false, plainSyns: 0, afterPeerFin: 0 });

/** Updates `r.close` from the merged timeline `rows`; true when it changed. */
export function closeFromPoints(table: PacketTable, rows: readonly number[], r: ConnectionReport): boolean {
  const close = r.close;
  if (!close) return false;
  const s = { client: side(), server: side() };
  let finRstTogether = false;
  let lateRst = false;
  let firstRst = -1;
  rows.forEach((row, k) => {
    const me = table.fromClient.get(row) === 1 ? s.client : s.server;
    const peer = me === s.client ? s.server : s.client;
    const f = table.flags.get(row);
    const t = table.timeUs.get(row);
    const len = table.payloadLength.get(row);
    if ((f & (SYN | ACK)) === SYN) me.plainSyns++;
    if (len > 0 && peer.fin >= 0 && !(f & RST)) me.afterPeerFin += len;
    if (f & FIN && me.fin < 0) {
      me.fin = k;
      me.finUs = t;
    }
    if (f & RST) {
      if (me.rst < 0) {
        me.rst = k;
        me.rstUs = t;
      }
      if (firstRst < 0) firstRst = k;
      if (f & FIN) me.finRstOneSegment = true;
      if (f & FIN || (me.fin >= 0 && t - me.finUs <= FIN_RST_TOGETHER_US)) finRstTogether = true;
      if (me.fin >= 0 && peer.fin >= 0) lateRst = true;
    }
  });
  const fin = { client: s.client.fin >= 0, server: s.server.fin >= 0 };
  const rst = { client: s.client.rst >= 0, server: s.server.rst >= 0 };
  const first = (x: Side) => (x.fin < 0 ? x.rst : x.rst < 0 ? x.fin : Math.min(x.fin, x.rst));
  const a = first(s.client);
  const b = first(s.server);
  const initiator = a < 0 && b < 0 ? null : a < 0 ? 'server' : b < 0 ? 'client' : a <= b ? 'client' : 'server';
  const kind = kindOf(close.kind, fin, rst);
  const same = kind === close.kind && initiator === close.initiator && lateRst === close.lateRst && finRstTogether === close.finRstTogether
    && fin.client === close.fin.client && fin.server === close.fin.server && rst.client === close.rst.client && rst.server === close.rst.server;
  if (same) return false;
  close.kind = kind;
  close.initiator = initiator;
  close.fin = fin;
  close.rst = rst;
  close.lateRst = lateRst;
  close.finRstTogether = finRstTogether;
  // Payload in the 2 packets before the first RST (an abort mid-transfer).
  let dataRightBeforeRst = false;
  for (let k = Math.max(0, firstRst - 2); firstRst >= 0 && k < firstRst; k++) if (table.payloadLength.get(rows[k]) > 0) dataRightBeforeRst = true;
  const x: ExplainInput = {
    kind, initiator, fin, rst, simultaneous: close.simultaneous, finRstTogether, lateRst, dataAfterFin: close.dataAfterFin,
    finUs: { client: fin.client ? s.client.finUs : null, server: fin.server ? s.server.finUs : null },
    rstUs: { client: rst.client ? s.client.rstUs : null, server: rst.server ? s.server.rstUs : null },
    finRstOneSegment: { client: s.client.finRstOneSegment, server: s.server.finRstOneSegment },
    synCount: s.client.plainSyns,
    serverPort: r.server.port,
    packets: r.packets,
    payloadBytes: r.payloadBytes,
    dataRightBeforeRst,
    afterPeerFin: { client: s.client.afterPeerFin, server: s.server.afterPeerFin },
    tls: close.tls ?? null,
    ...(close.zeekLog ? { zeekLog: close.zeekLog } : {}),
  };
  close.explanation = explainClose(x);
  return true;
}

/**
 * The kind from the FINs and RSTs of both points (analysis/close.ts closeKind's first rules); the kinds decided by
 * the handshake (refused, unanswered) or by no close at all stay the first point's when no FIN or RST says more.
 */
function kindOf(was: NonNullable<ConnectionReport['close']>['kind'], fin: { client: boolean; server: boolean }, rst: { client: boolean; server: boolean }) {
  const anyFin = fin.client || fin.server;
  const anyRst = rst.client || rst.server;
  if (fin.client && fin.server && !anyRst) return 'clean' as const;
  if (anyFin && anyRst) return 'fin-then-rst' as const;
  if (was === 'refused' || was === 'unanswered') return was;
  if (anyRst) return 'reset' as const;
  if (fin.client !== fin.server) return 'half-closed' as const;
  return was;
}
