/** Builds the share state from what the explorer shows: trims to the close, pseudonymises. */
import type { ConnectionReport } from '../model/report';
import type { LadderPacket } from '../model/ladder-packet';
import { anonymiseJson, collectAddresses, createPseudonymizer, withoutFileNames } from './anonymise';
import type { ShareState, ShareView, SharedLadder, SharedPacket } from './share-state';
import { SHARE_VERSION } from './share-state';
import { closeViewOf } from '../model/close-window';

/** The packet facts a ladder needs (what the engine's per-connection timeline gives). */
export type LadderPacketLike = LadderPacket;

export interface ShareOptions {
  /** Pseudonymise addresses (on by default). */
  anonymise: boolean;
  /** Also substitute ephemeral ports. */
  ports: boolean;
  /** Carry the whole connection, not just the close (the close view of model/close-window.ts, as drawn). */
  whole: boolean;
}

export function makeShareState(
  ladders: { connection: ConnectionReport; packets: LadderPacketLike[] }[],
  view: ShareView,
  options: ShareOptions,
): ShareState {
  const shared: SharedLadder[] = ladders.map(({ connection, packets }) => {
    const { from, to } = options.whole ? { from: 0, to: packets.length } : closeViewOf(packets);
    const kept = packets.slice(from, to);
    const t0Us = kept.length ? kept[0].timeUs : 0;
    const sharedPackets: SharedPacket[] = kept.map((p) => ({
      t: Math.round((p.timeUs - t0Us) * 10) / 10,
      c: p.fromClient ? 1 : 0,
      f: p.flags,
      s: p.relSeq,
      a: p.relAck,
      l: p.payloadLength,
      w: p.window,
      x: p.anomalies,
      v: p.seenAt ?? 0,
      ...(p.windowShift !== undefined ? { ws: p.windowShift } : {}),
      i: p.index,
      ...(p.points ? { pv: p.points.map((s) => (s ? [Math.round((s.timeUs - t0Us) * 10) / 10, s.seq, s.ack] : null)) as SharedPacket['pv'] } : {}),
    }));
    const span: [number, number] = kept.length ? [kept[0].index, kept[kept.length - 1].index + 1] : [0, 0];
    return { connection: slimConnection(connection, span[0], span[1]), t0Us, packets: sharedPackets, totalPackets: packets.length };
  });
  let state: ShareState = { version: SHARE_VERSION, view, ladders: shared };
  if (options.anonymise) {
    const p = createPseudonymizer(collectAddresses(shared.map((l) => l.connection)), { ports: options.ports });
    state = { ...state, ladders: shared.map((l) => ({ ...l, connection: anonymiseJson(withoutFileNames(l.connection), p) })) };
  }
  return state;
}

/** Drops per-packet lists outside the shared connection-index range [from, to). */
function slimConnection(c: ConnectionReport, from: number, to: number): ConnectionReport {
  const inRange = (i: number) => i >= from && i < to;
  // What a shared ladder needs to draw two capture points as the explorer does (arrows split at the firewall lane,
  // each side's addresses): the points, which one is on the client's side, the clock offset and its range, each
  // point's view of the endpoints (pseudonymised with the rest); each packet's times and numbers there travel with
  // the packet (SharedPacket.pv). The sequence shifts are in those numbers.
  const v = c.vantage;
  const vantage = v && {
    points: v.points, dropped: v.dropped.filter((d) => inRange(d.packet)), clockOffsetMs: v.clockOffsetMs,
    // Which point is on the client's side: a packet seen there alone was dropped, not sent by the firewall.
    ...(v.clientSide === 0 || v.clientSide === 1 ? { clientSide: v.clientSide } : {}),
    ...(v.clockOffsetRangeMs ? { clockOffsetRangeMs: v.clockOffsetRangeMs } : {}),
    ...(v.endpoints ? { endpoints: v.endpoints } : {}),
  };
  if (!c.close) return v ? { ...c, vantage } : c;
  return { ...c, close: { ...c.close, anomalies: c.close.anomalies.filter((a) => inRange(a.packet)) }, ...(v ? { vantage } : {}) };
}
