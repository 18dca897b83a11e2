/**
 * One packet's details beyond the table columns (IP TTL and length, TCP options), for the ladder's
 * hover/focus panel. The PacketTable keeps no options: the frame is read again from its input at
 * its record offset (engine/export-frames.ts) and dissected once more. Text inputs carry no bytes:
 * their packets have no details beyond the table. `readPacketOptions` does the same for every packet at once, in one
 * more pass over each input (the command line's --options).
 */
import { isRereadable } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import { FrameDissector } from '../dissect/frame-dissector';
import type { TcpSegment } from '../model/segment';
import type { AnalysisSession } from './analyze-sources';
import { rereadFrame } from './reread-frame';
import { decodeInput } from '../decode/index';
import { createProblemLog } from '../model/problems';

export interface PacketDetail {
  file: string;
  frame: number;
  linkType: number;
  ipVersion: number;
  ttl: number | null;
  ipLength: number | null;
  mss: number | null;
  windowScale: number | null;
  sackPermitted: boolean;
  /** SACK blocks as relative-to-nothing raw [left, right] pairs. */
  sack: [number, number][];
  tsVal: number | null;
  tsEcr: number | null;
  /** Payload bytes present in the capture (may be fewer than the TCP length after snaplen). */
  capturedPayload: number;
}

const orNull = (v: number) => (v < 0 ? null : v);

function detailOf(seg: TcpSegment, file: string, linkType: number): PacketDetail {
  const sack: [number, number][] = [];
  for (let i = 0; i < seg.sackCount; i++) sack.push([seg.sackBlocks[2 * i], seg.sackBlocks[2 * i + 1]]);
  return {
    file,
    frame: seg.frame,
    linkType,
    ipVersion: seg.ipVersion,
    ttl: orNull(seg.ttl),
    ipLength: orNull(seg.ipLength),
    mss: orNull(seg.mss),
    windowScale: orNull(seg.windowScale),
    sackPermitted: seg.sackPermitted,
    sack,
    tsVal: orNull(seg.tsVal),
    tsEcr: orNull(seg.tsEcr),
    capturedPayload: seg.payload?.length ?? 0,
  };
}

/** Details of packet `packetIndex` of flow-table entry `entry`; null for text inputs or when not found. */
export async function readPacketDetail(
  session: AnalysisSession,
  sources: readonly ByteSource[],
  entry: number,
  packetIndex: number,
): Promise<PacketDetail | null> {
  const r = await rereadFrame(session, sources, entry, packetIndex);
  if (!r) return null;
  const { frame, file } = r;
  let found: PacketDetail | null = null;
  const dissector = new FrameDissector({ segment: (seg) => (found = detailOf(seg, file, frame.linkType)) }, r.input);
  dissector.frame(frame.linkType, frame.timeUs, frame.data, frame.recordOffset, session.table.frame.get(r.row), frame.originalLength);
  return found;
}

/** The TCP options (and IP TTL) of one packet, as `analyze --json --packets --options` lists them. */
export type PacketOptions = Pick<PacketDetail, 'ttl' | 'mss' | 'windowScale' | 'sackPermitted' | 'sack' | 'tsVal' | 'tsEcr'>;

/**
 * The TCP options of every packet of the pcap/pcapng inputs, by input and record offset: the inputs are decoded
 * once more (one pass each, in file order: options are not kept in the PacketTable). Packets without any option
 * are left out; text inputs have none.
 */
export async function readPacketOptions(session: AnalysisSession, sources: readonly ByteSource[]): Promise<Map<number, PacketOptions>[]> {
  const out: Map<number, PacketOptions>[] = [];
  for (let input = 0; input < sources.length; input++) {
    const byOffset = new Map<number, PacketOptions>();
    out.push(byOffset);
    const format = session.inputs[input]?.format;
    if (!isRereadable(format)) continue;
    const sink = {
      segment(seg: TcpSegment) {
        if (seg.mss < 0 && seg.windowScale < 0 && !seg.sackPermitted && seg.sackCount === 0 && seg.tsVal < 0) return;
        const { ttl, mss, windowScale, sackPermitted, sack, tsVal, tsEcr } = detailOf(seg, '', 0);
        byOffset.set(seg.recordOffset, { ttl, mss, windowScale, sackPermitted, sack, tsVal, tsEcr });
      },
    };
    await decodeInput(sources[input], input, { segments: sink }, { problems: createProblemLog(sources[input].name) });
  }
  return out;
}
