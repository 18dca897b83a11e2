/**
 * The close of a connection seen at two capture points, from what both saw (issue #19). The tracker classified
 * each point's packets on their own and the merge kept the first point's close facts (merge.ts); a packet only the
 * other point saw (the late RST a firewall dropped: seen outside only when the inside capture is the first) would
 * then be left out, and a close with a server RST after both FINs called "clean". Here the packets of the merged
 * timeline (every packet either point saw, on the first point's clock) go through the same close rules as a
 * connection's own (analysis/close.ts: handshake facts, FIN+RST together, late RST, the kind, who closed first);
 * when that differs from the first point's facts, the explanation is written again from them, its other inputs
 * the store's (connection-report.ts explainInputOf) with the packets both points saw.
 */
import type { PacketTable } from '../../model/packet-table';
import { ACK, FIN, RST, SYN } from '../../model/segment';
import type { TrackedConnections } from '../tracked';
import type { CloseDecision } from '../side-tables';
import { explainClose } from '../explain';
import { closeInitiator, closeKind, handshakeStep, rstWithFin } from '../close';
import { closeOf, explainInputOf, packetCounts } from '../connection-report';
import { Dir } from '../conn-state';

/**
 * The close of primary connection i from its merged timeline `rows`, with its explanation; null when it is the one
 * the primary point's own packets give (the vantage record keeps it only when they differ).
 */
export function closeFromPoints(
  t: TrackedConnections, table: PacketTable, i: number, rows: readonly number[],
): (CloseDecision & { explanation: string }) | null {
  // Each side's facts on the merged timeline, in the fields the replay keeps them in (only the close's are set).
  const s = { client: new Dir(), server: new Dir() };
  let finRstTogether = false;
  let lateRst = false;
  let firstRst = -1;
  rows.forEach((row, k) => {
    const me = table.fromClient.get(row) === 1 ? s.client : s.server;
    const peer = me === s.client ? s.server : s.client;
    const f = table.flags.get(row);
    const time = table.timeUs.get(row);
    const len = table.payloadLength.get(row);
    me.packets++;
    handshakeStep(me, peer, f);
    if ((f & (SYN | ACK)) === SYN) me.plainSyns++;
    if (len > 0 && peer.finIndex >= 0 && !(f & RST)) me.afterPeerFin += len;
    if (f & FIN && me.finIndex < 0) {
      me.finIndex = k;
      me.finTimeUs = time;
    }
    if (f & RST) {
      if (me.rstIndex < 0) {
        me.rstIndex = k;
        me.rstTimeUs = time;
      }
      if (firstRst < 0) firstRst = k;
      if (f & FIN) me.finRstOneSegment = true;
      if (rstWithFin(f, me.finIndex >= 0 ? me.finTimeUs : null, time)) finRstTogether = true;
      if (me.finIndex >= 0 && peer.finIndex >= 0) lateRst = true;
    }
  });
  const { client: c, server: sv } = s;
  const fin = { client: c.finIndex >= 0, server: sv.finIndex >= 0 };
  const rst = { client: c.rstIndex >= 0, server: sv.rstIndex >= 0 };
  const kind = closeKind(c, sv);
  const initiator = closeInitiator(c, sv);
  const client = t.facts(i, 'client');
  const server = t.facts(i, 'server');
  const own = closeOf(t, i, client, server);
  const same = kind === own.kind && initiator === own.initiator && lateRst === own.lateRst && finRstTogether === own.finRstTogether
    && fin.client === own.fin.client && fin.server === own.fin.server && rst.client === own.rst.client && rst.server === own.rst.server;
  if (same) return null;
  // Payload in the 2 packets before the first RST (an abort mid-transfer).
  let dataRightBeforeRst = false;
  for (let k = Math.max(0, firstRst - 2); firstRst >= 0 && k < firstRst; k++) if (table.payloadLength.get(rows[k]) > 0) dataRightBeforeRst = true;
  const explanation = explainClose({
    ...explainInputOf(t, i),
    kind, initiator, fin, rst, finRstTogether, lateRst, dataRightBeforeRst,
    finUs: { client: fin.client ? c.finTimeUs : null, server: fin.server ? sv.finTimeUs : null },
    rstUs: { client: rst.client ? c.rstTimeUs : null, server: rst.server ? sv.rstTimeUs : null },
    finRstOneSegment: { client: c.finRstOneSegment, server: sv.finRstOneSegment },
    synCount: c.plainSyns,
    packets: packetCounts(t, i, client, server),
    afterPeerFin: { client: c.afterPeerFin, server: sv.afterPeerFin },
  });
  return { kind, initiator, fin, rst, finRstTogether, lateRst, explanation };
}
