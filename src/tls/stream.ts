/**
 * One direction of a TCP connection as a TLS record stream, for the connection a user looks at (re-read on demand,
 * not in the packet pass): segments are placed by sequence number (retransmissions and reordering are undone; the
 * first copy of a byte is kept), contiguous bytes form runs, and records are cut from the runs.
 * Where TLS starts: at the first segment that starts with a ClientHello (client side) or a ServerHello or alert
 * (server side), so plaintext before it (STARTTLS, database SSL requests, SOCKS, CONNECT, banners) is skipped; with no
 * hello in the capture, at the first segment that starts with a valid record header followed by another one.
 * After a hole (bytes the capture lost), or a header that does not parse, the reader resumes at the next segment
 * that starts with a valid header; the record cut by the hole is counted as lost.
 * Bounded: at most MAX_STREAM bytes per direction are kept.
 */
export interface StreamSegment {
  /** Raw TCP sequence number of the payload's first byte. */
  seq: number;
  payload: Uint8Array;
  /** Packet index within the connection (capture order). */
  packet: number;
}

export interface TlsRecord {
  fromClient: boolean;
  /** Offset in the direction's stream (bytes after the first segment's seq). */
  offset: number;
  type: number;
  version: number;
  length: number;
  /** The record body (length bytes when complete). */
  body: Uint8Array;
  complete: boolean;
  /** The packet whose arrival completed the record (as tshark reports a reassembled record), or its last piece seen. */
  packet: number;
  /** The first record read again after a hole or lost sync. */
  afterHole: boolean;
}

export interface DirectionRecords {
  records: TlsRecord[];
  /** Stream offset where TLS starts (plaintext before it), -1 when no record was found. */
  start: number;
  /** Holes in the captured bytes inside the TLS part. */
  holes: number;
  /** Records cut by a hole (their bytes partly missing). */
  lostRecords: number;
  /** More bytes than MAX_STREAM: the rest was not read. */
  truncated: boolean;
}

export const MAX_STREAM = 64 * 1024 * 1024;
const MAX_RECORD = 16384 + 2048;

interface Piece { start: number; end: number; packet: number }
interface Run { start: number; bytes: Uint8Array; pieces: Piece[] }

/** seq - base as a signed 32-bit difference. */
const delta = (seq: number, base: number) => ((seq - base) | 0);

/** Places the segments by sequence number into contiguous runs (first copy of a byte wins). */
export function assemble(segments: readonly StreamSegment[]): { runs: Run[]; truncated: boolean } {
  const segs = segments.filter((s) => s.payload.length > 0);
  if (!segs.length) return { runs: [], truncated: false };
  const base = segs[0].seq >>> 0;
  let min = 0;
  for (const s of segs) min = Math.min(min, delta(s.seq >>> 0, base));
  const placed = segs
    .map((s, i) => ({ start: delta(s.seq >>> 0, base) - min, s, i }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  const runs: Run[] = [];
  let cur: { start: number; end: number; parts: Uint8Array[]; pieces: Piece[] } | null = null;
  let total = 0;
  let truncated = false;
  const close = () => {
    if (!cur) return;
    const bytes = new Uint8Array(cur.end - cur.start);
    let o = 0;
    for (const p of cur.parts) {
      bytes.set(p, o);
      o += p.length;
    }
    runs.push({ start: cur.start, bytes, pieces: cur.pieces });
  };
  for (const { start, s } of placed) {
    const end = start + s.payload.length;
    if (cur && end <= cur.end) continue; // all seen before
    if (cur && start <= cur.end) {
      const fresh = s.payload.subarray(cur.end - start);
      if (total + fresh.length > MAX_STREAM) { truncated = true; break; }
      cur.parts.push(fresh);
      cur.pieces.push({ start: cur.end, end, packet: s.packet });
      cur.end = end;
      total += fresh.length;
      continue;
    }
    if (total + s.payload.length > MAX_STREAM) { truncated = true; break; }
    close();
    cur = { start, end, parts: [s.payload], pieces: [{ start, end, packet: s.packet }] };
    total += s.payload.length;
  }
  close();
  return { runs, truncated };
}

function validHeader(b: Uint8Array, i: number): boolean {
  const len = (b[i + 3] << 8) | b[i + 4];
  return b[i] >= 20 && b[i] <= 24 && b[i + 1] === 3 && b[i + 2] <= 4 && len > 0 && len <= MAX_RECORD;
}

/** A valid header at b[i] whose record is followed by another valid header, or ends at or beyond the run's end. */
function chainedHeader(b: Uint8Array, i: number): boolean {
  if (i + 5 > b.length || !validHeader(b, i)) return false;
  const next = i + 5 + ((b[i + 3] << 8) | b[i + 4]);
  return next + 5 > b.length || validHeader(b, next);
}

function helloAt(b: Uint8Array, i: number, client: boolean): boolean {
  if (i + 6 > b.length || !validHeader(b, i)) return false;
  return client ? b[i] === 22 && b[i + 5] === 1 : (b[i] === 22 && b[i + 5] === 2) || b[i] === 21;
}

/** The packet that completed bytes [a, b) of a run: the latest-captured piece among those holding them. */
function completingPacket(run: Run, a: number, b: number): number {
  const ps = run.pieces;
  let lo = 0;
  let hi = ps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ps[mid].end <= a) lo = mid + 1;
    else hi = mid;
  }
  let packet = -1;
  for (let k = lo; k < ps.length && ps[k].start < b; k++) packet = Math.max(packet, ps[k].packet);
  return packet;
}

/** Records of one direction. */
export function readRecords(segments: readonly StreamSegment[], fromClient: boolean): DirectionRecords {
  const { runs, truncated } = assemble(segments);
  const out: DirectionRecords = { records: [], start: -1, holes: 0, lostRecords: 0, truncated };
  // Where TLS starts: the first segment starting with a hello, else the first with chained valid headers.
  let r0 = -1;
  let p0 = -1;
  for (const test of [(b: Uint8Array, i: number) => helloAt(b, i, fromClient), chainedHeader]) {
    for (let r = 0; r < runs.length && r0 < 0; r++) {
      for (const piece of runs[r].pieces) {
        if (test(runs[r].bytes, piece.start - runs[r].start)) {
          r0 = r;
          p0 = piece.start - runs[r].start;
          break;
        }
      }
    }
    if (r0 >= 0) break;
  }
  if (r0 < 0) return out;
  out.start = runs[r0].start + p0;
  let afterHole = false;
  for (let r = r0; r < runs.length; r++) {
    const run = runs[r];
    const b = run.bytes;
    let i = r === r0 ? p0 : resync(run, 0);
    if (r > r0) {
      out.holes++;
      afterHole = true;
    }
    while (i >= 0 && i < b.length) {
      if (i + 5 > b.length) {
        if (r < runs.length - 1) out.lostRecords++;
        break;
      }
      if (!validHeader(b, i)) {
        // Lost sync (not TLS any more, or a misread): pick up again at the next segment starting with a header.
        i = resync(run, i + 1);
        afterHole = true;
        continue;
      }
      const length = (b[i + 3] << 8) | b[i + 4];
      const end = Math.min(b.length, i + 5 + length);
      const complete = end === i + 5 + length;
      out.records.push({
        fromClient, offset: run.start + i, type: b[i], version: (b[i + 1] << 8) | b[i + 2], length,
        body: b.subarray(i + 5, end), complete, packet: completingPacket(run, run.start + i, run.start + end), afterHole,
      });
      afterHole = false;
      if (!complete && r < runs.length - 1) out.lostRecords++;
      i = end;
    }
  }
  return out;
}

/** Offset in the run of the first piece starting at or after `from` with a valid chained header; -1 for none. */
function resync(run: Run, from: number): number {
  for (const piece of run.pieces) {
    const i = piece.start - run.start;
    if (i >= from && chainedHeader(run.bytes, i)) return i;
  }
  return -1;
}
