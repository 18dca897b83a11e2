// Shared by the text-capture tests: run text through the real decoder, collect plain copies of the segments.
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { decodeTextInput } from '../../src/decode/text/index';
import { formatIp } from '../../src/lib/ip-text';
import { createProblemLog, type ProblemLog } from '../../src/model/problems';
import type { InputFormat, InputReport } from '../../src/model/report';
import { flagNames, type TcpSegment } from '../../src/model/segment';

export interface Seg {
  frame: number;
  time: string;
  timeUs: number;
  src: string;
  dst: string;
  flags: string;
  flagBits: number;
  seq: number;
  ack: number;
  win: number;
  len: number;
  mss: number;
  wscale: number;
  sackOK: boolean;
  ts: [number, number];
  sack: number[];
  ttl: number;
  offset: number;
}

export function copySeg(s: TcpSegment): Seg {
  const host = (b: Uint8Array, p: number) => (s.ipVersion === 6 ? `[${formatIp(b, 6)}]:${p}` : `${formatIp(b, 4)}:${p}`);
  return {
    frame: s.frame,
    time: new Date(Math.floor(s.timeUs / 1000)).toISOString().slice(0, 23) + String(Math.round(s.timeUs % 1000)).padStart(3, '0'),
    timeUs: s.timeUs,
    src: host(s.srcAddr, s.srcPort),
    dst: host(s.dstAddr, s.dstPort),
    flags: flagNames(s.flags),
    flagBits: s.flags,
    seq: s.seq,
    ack: s.ack,
    win: s.window,
    len: s.payloadLength,
    mss: s.mss,
    wscale: s.windowScale,
    sackOK: s.sackPermitted,
    ts: [s.tsVal, s.tsEcr],
    sack: [...s.sackBlocks.subarray(0, s.sackCount * 2)],
    ttl: s.ttl,
    offset: s.recordOffset,
  };
}

export function sliced(name: string, bytes: Uint8Array, size: number): ByteSource {
  const base = createBytesSource(name, bytes);
  return { ...base, slices: (offset = 0) => base.slices(offset, size) };
}

export async function decodeText(
  text: string | Uint8Array,
  format: InputFormat,
  options: { date?: string; name?: string; slice?: number } = {},
): Promise<{ segs: Seg[]; problems: ProblemLog; report: InputReport }> {
  const name = options.name ?? 'capture.txt';
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const problems = createProblemLog(name);
  const report: InputReport = { file: name, format, bytes: 0, linkTypes: [], packets: 0, tcpPackets: 0, skipped: {}, warnings: [], errors: [] };
  const segs: Seg[] = [];
  await decodeTextInput(format, sliced(name, bytes, options.slice ?? 1 << 20), 0, { segments: { segment: (s) => segs.push(copySeg(s)) } }, { problems, date: options.date }, report);
  return { segs, problems, report };
}
