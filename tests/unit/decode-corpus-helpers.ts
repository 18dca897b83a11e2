/** Shared by the decode tests: decode a capture to rows and compare them with tshark's reference TSV. */
import { readFileSync } from 'node:fs';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { decodeInput } from '../../src/decode/index';
import { formatIp } from '../../src/lib/ip-text';
import { createProblemLog } from '../../src/model/problems';
import type { InputReport } from '../../src/model/report';
import type { TcpSegment } from '../../src/model/segment';

export interface Row {
  frame: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
  timeUs: number;
  /** Byte offset of the frame's record (NaN in references). */
  recordOffset: number;
}

export function rowOf(s: TcpSegment): Row {
  return {
    frame: s.frame,
    src: formatIp(s.srcAddr, s.ipVersion),
    sport: s.srcPort,
    dst: formatIp(s.dstAddr, s.ipVersion),
    dport: s.dstPort,
    flags: s.flags,
    seq: s.seq,
    ack: s.ack,
    len: s.payloadLength,
    win: s.window,
    timeUs: s.timeUs,
    recordOffset: s.recordOffset,
  };
}

export async function decodeSource(source: ByteSource): Promise<{ rows: Row[]; report: InputReport }> {
  const rows: Row[] = [];
  const report = await decodeInput(source, 0, { segments: { segment: (s) => void rows.push(rowOf(s)) } }, {
    problems: createProblemLog(source.name),
  });
  return { rows, report };
}

export function decodeFile(path: string, name = path.split('/').pop()!) {
  return decodeSource(createBytesSource(name, new Uint8Array(readFileSync(path))));
}

/** tshark's reference: frame.number tcp.stream ip.src ipv6.src tcp.srcport ip.dst ipv6.dst tcp.dstport tcp.flags seq ack len win. */
export function readReference(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').split('\n').slice(1).filter((l) => l.trim());
  return lines.map((l) => {
    const f = l.split('\t');
    return {
      frame: +f[0],
      // The innermost header wins; for 6in4 ip.src is the outer IPv4, so prefer IPv6 when both.
      src: f[3] || f[2],
      sport: +f[4],
      dst: f[6] || f[5],
      dport: +f[7],
      flags: parseInt(f[8], 16),
      seq: +f[9],
      ack: +f[10],
      len: +f[11],
      win: +f[12],
      timeUs: NaN,
      recordOffset: NaN,
    };
  });
}

export interface Difference {
  frame: number;
  kind: 'missing' | 'extra' | 'field';
  detail: string;
}

const FIELDS = ['src', 'sport', 'dst', 'dport', 'flags', 'seq', 'ack', 'len', 'win'] as const;

/** Every TCP packet compared by frame number, field by field. */
export function compareRows(ours: Row[], ref: Row[]): { compared: number; diffs: Difference[] } {
  const byFrame = new Map<number, Row>();
  for (const r of ours) byFrame.set(r.frame, r);
  const refFrames = new Set<number>();
  const diffs: Difference[] = [];
  let compared = 0;
  for (const r of ref) {
    refFrames.add(r.frame);
    const o = byFrame.get(r.frame);
    if (!o) {
      diffs.push({ frame: r.frame, kind: 'missing', detail: `tshark has ${r.src}:${r.sport} -> ${r.dst}:${r.dport}` });
      continue;
    }
    compared++;
    for (const f of FIELDS) {
      if (o[f] !== r[f]) diffs.push({ frame: r.frame, kind: 'field', detail: `${f}: ours ${o[f]} tshark ${r[f]}` });
    }
  }
  for (const o of ours) {
    if (!refFrames.has(o.frame)) diffs.push({ frame: o.frame, kind: 'extra', detail: `ours ${o.src}:${o.sport} -> ${o.dst}:${o.dport}` });
  }
  return { compared, diffs };
}
