/**
 * A shared ladder (what a link carries) as the ladder component's input, and back: the link's
 * packets are relative to its first shared packet and keep their index in the whole connection,
 * so states, anomalies and "N earlier packets not drawn" line up as they did for the sender.
 */
import type { LadderData } from '../../render/ladder-types';
import type { SharedLadder } from '../../share/share-state';
import type { PointSeen } from '../../model/ladder-packet';
import { makeShareState } from '../../share/make-share';
import { DEFAULT_VIEW } from '../../share/share-state';

export function sharedToLadderData(s: SharedLadder): LadderData {
  return {
    connection: s.connection,
    totalPackets: s.totalPackets,
    origin: 'shared link',
    packets: s.packets.map((p) => ({
      index: p.i,
      timeUs: s.t0Us + p.t,
      fromClient: p.c === 1,
      flags: p.f,
      relSeq: p.s,
      relAck: p.a,
      payloadLength: p.l,
      window: p.w,
      ...(p.ws !== undefined ? { windowShift: p.ws } : {}),
      anomalies: p.x,
      ...(p.v ? { seenAt: p.v } : {}),
      // Two capture points: each point's time and raw numbers, as the explorer had them (render/two-points.ts).
      ...(p.pv ? { points: p.pv.map((x) => (x ? { timeUs: s.t0Us + x[0], seq: x[1], ack: x[2] } : null)) as [PointSeen | null, PointSeen | null] } : {}),
    })),
  };
}

/** Ladder data as a SharedLadder, whole and not pseudonymised (for Mermaid export). */
export function ladderDataToShared(d: LadderData): SharedLadder {
  return makeShareState([{ connection: d.connection, packets: d.packets }], DEFAULT_VIEW, { anonymise: false, ports: false, whole: true }).ladders[0];
}
