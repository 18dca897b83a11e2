/**
 * TLS record walk over each side's TCP payload in sequence order, on any port (RFC 5246 §6.2.1 record header:
 * type(1) version(2) length(2); RFC 8446 §4.1.3 ServerHello supported_versions; formats.md §5.1).
 * Sample record header: 15 03 03 00 1a = alert (21), TLS 1.2 record version, 26 bytes (an encrypted
 * close_notify under AES-GCM: 8 nonce + 2 + 16 tag).
 * Finds: whether the stream is TLS, the negotiated version (from the ServerHello), and whether a side
 * sent an alert record before its FIN. Records may span segments and share segments; retransmitted
 * bytes are skipped.
 * Where TLS starts: at the first bytes when they are a record; otherwise (plaintext first: STARTTLS in SMTP, IMAP,
 * POP3, FTP, XMPP; PostgreSQL/MySQL SSL requests; SOCKS5 or HTTP CONNECT; banners) at the first later segment that
 * starts with a ClientHello (client side) or a ServerHello or plaintext alert (server side), looked for in at most
 * SEEK_SEGMENTS data segments.
 * Holes: a segment beyond the next expected byte is kept aside (pending.ts, bounded) and walked once the hole is
 * filled (reordering, a retransmission); a hole never filled (the capture lost the bytes) is given up at the
 * side's FIN or RST, or when the pending space is full: the walk then picks up at the next segment that starts
 * with a valid record header, and the side is marked as having lost records to a hole.
 * Not handled: SSLv2 hellos, decryption (src/tls/, on demand), records inside a truncated capture after the snap length.
 *
 * Text captures carry no payload: there, a data segment of a typical encrypted-alert size sent right
 * before the same side's FIN, on a TLS port (either end), is reported as a probable close_notify, marked inferred.
 *
 * This runs during the packet pass (it needs the payload bytes, which the PacketTable does not keep); its
 * state is 10 words of the connection's pass record (pass-record.ts), plus pending segments of out-of-order
 * connections only. The report side is in tls.ts.
 */
import { FIN, RST, type TcpSegment } from '../model/segment';
import { seqDelta } from './conn-state';
import { F_PREV_NULL_SHIFT, R_FLAGS, R_PREV_NULL_LEN, R_TLS_STATE, R_TLS_VERSION, R_TLS_WALK, STRIDE } from './pass-record';
import { TlsPending, type PendingSegment } from './tls-pending';

export { TlsPending };

const T_UNKNOWN = 0;
const T_TLS = 1;
/** Plaintext so far: looking for a hello at segment starts. */
const T_SEEK = 2;
/** Sync lost (hole or bad header): looking for the hole's fill or a record header at a segment start. */
const T_LOST = 3;
const T_NOT_TLS = 4;

// Per-side flag bits.
const TS_ALERT_SEEN = 1;
const TS_ALERT_BEFORE_FIN = 2;
const TS_INFERRED_ALERT = 4;
const TS_FIN_SEEN = 8;
/** Records were lost to a hole in the captured bytes. */
const TS_HOLE = 16;
/** Plaintext came before TLS. */
const TS_PLAIN = 32;
/** Sync lost where the capture cut the payload short (snap length): picking up again is no hole. */
const TS_CUT = 64;
const TLS_1_3 = 0x0304;
/** Data segments a side may send in plaintext before its hello (STARTTLS dialogues are short). */
const SEEK_SEGMENTS = 24;

/** Sizes of a whole alert record (5-byte header included): plaintext 7; ChaCha20 23; TLS 1.3 24; AES-GCM 31; CBC-SHA 53 / 37; CBC-SHA256 69. */
const ALERT_RECORD_SIZES = new Set([7, 23, 24, 31, 37, 53, 69]);
const TLS_PORTS = new Set([443, 465, 563, 585, 636, 853, 989, 990, 992, 993, 994, 995, 5223, 5061, 8443, 9443]);

function validHeader(type: number, major: number, minor: number, length: number): boolean {
  return type >= 20 && type <= 24 && major === 3 && minor <= 4 && length > 0 && length <= 16384 + 2048;
}

/** A record header at bytes[at] (`have` captured bytes from there). */
function headerAt(bytes: Uint8Array, at: number, have: number): boolean {
  return have >= 5 && validHeader(bytes[at], bytes[at + 1], bytes[at + 2], (bytes[at + 3] << 8) | bytes[at + 4]);
}

/** A hello at the segment start: ClientHello from the client side (d = client side?), else ServerHello or a 2-byte alert. */
function helloAt(bytes: Uint8Array, at: number, have: number): boolean {
  if (!headerAt(bytes, at, have)) return false;
  const type = bytes[at];
  return (type === 22 && have >= 6 && (bytes[at + 5] === 1 || bytes[at + 5] === 2)) || (type === 21 && bytes[at + 4] === 2);
}

/** What the walk found for a connection (record at rec[k]): read once the pass is over. */
export interface TlsResult {
  seen: boolean;
  version: number;
  alertBeforeFin: [boolean, boolean];
  inferredAlert: [boolean, boolean];
  /** Records lost to a hole (either side). */
  hole: boolean;
  /** Plaintext before TLS (either side). */
  plaintextBefore: boolean;
}

/** The result object tlsResult fills: one per module, valid until the next call (read once per connection). */
const result: TlsResult = { seen: false, version: 0, alertBeforeFin: [false, false], inferredAlert: [false, false], hole: false, plaintextBefore: false };

/** What the walk found for the connection whose pass record starts at rec[k]; the object is reused by the next call. */
export function tlsResult(rec: Uint32Array, k: number): TlsResult {
  const fa = (rec[k + R_TLS_STATE] >>> 8) & 0xff;
  const fb = (rec[k + R_TLS_STATE + 1] >>> 8) & 0xff;
  result.seen = rec[k + R_TLS_VERSION] >>> 16 === 1;
  result.version = rec[k + R_TLS_VERSION] & 0xffff;
  result.alertBeforeFin[0] = (fa & TS_ALERT_BEFORE_FIN) !== 0;
  result.alertBeforeFin[1] = (fb & TS_ALERT_BEFORE_FIN) !== 0;
  result.inferredAlert[0] = (fa & TS_INFERRED_ALERT) !== 0;
  result.inferredAlert[1] = (fb & TS_INFERRED_ALERT) !== 0;
  result.hole = ((fa | fb) & TS_HOLE) !== 0;
  result.plaintextBefore = result.seen && ((fa | fb) & TS_PLAIN) !== 0;
  return result;
}

/** One segment from side `d` of the connection whose pass record starts at rec[k]. */
export function tlsSegment(rec: Uint32Array, k: number, d: number, s: TcpSegment, pending: TlsPending): void {
  const x = k + R_TLS_STATE + d; // this side's state word
  const len = s.payloadLength;
  // The payload bytes are read only for data segments the walk looks at, and in place where the segment says where
  // they lie (TcpSegment.payloadBuffer): `payload` is a getter that makes a view each time (a million views, 100 MB
  // of garbage, on the 1 GB bench capture). Whether a segment has no payload bytes at all (text captures) is the same
  // for every segment of an input, so a side whose walk is over reads it from `pending` instead of making a view.
  let nullData = false;
  if (len > 0 && (s.flags & RST) === 0) {
    const state = rec[x] & 0xff;
    if (state === T_SEEK || (state < T_NOT_TLS && !settled(rec, k, x))) {
      let bytes = s.payloadBuffer;
      let at = 0;
      let end = 0;
      if (bytes) {
        at = s.payloadStart ?? 0;
        end = s.payloadEnd ?? 0;
      } else {
        const p = s.payload;
        if (p === null) nullData = true;
        else end = (bytes = p).length;
      }
      if (bytes) {
        const have = Math.min(len, end - at);
        if (state === T_SEEK) seek(rec, k, x, s.seq >>> 0, len, bytes, at, have, pending);
        else walk(rec, k, x, s.seq >>> 0, len, bytes, at, have, pending, false);
      }
    } else {
      nullData = !s.payloadBuffer && pending.withoutBytes(s);
    }
  }
  if (s.flags & (FIN | RST) && pending.size > 0) flush(rec, k, x, pending);
  if (s.flags & FIN && ((rec[x] >>> 8) & TS_FIN_SEEN) === 0) fin(rec, k, x, d, s);
  // Text captures: remember a data segment without payload bytes for the FIN right after it.
  if (nullData || rec[k + R_PREV_NULL_LEN] !== 0) {
    rec[k + R_PREV_NULL_LEN] = nullData ? len : 0;
    rec[k + R_FLAGS] = (rec[k + R_FLAGS] & ~(3 << F_PREV_NULL_SHIFT)) | ((nullData ? d + 1 : 0) << F_PREV_NULL_SHIFT);
  }
}

/**
 * Nothing more this side sends can change the facts: the version is known (the first ServerHello decides)
 * and either it is TLS 1.3 (alerts are encrypted, so not reported) or this side's FIN has passed (only
 * alerts before it count). The walk stops there: after a TLS 1.3 handshake no payload is looked at.
 */
function settled(rec: Uint32Array, k: number, x: number): boolean {
  const v = rec[k + R_TLS_VERSION] & 0xffff;
  return v !== 0 && (v === TLS_1_3 || ((rec[x] >>> 8) & TS_FIN_SEEN) !== 0);
}

/** Plaintext so far (the side's skip word counts the segments looked at): only a hello at a segment start begins TLS. */
function seek(rec: Uint32Array, k: number, x: number, seq: number, len: number, bytes: Uint8Array, at: number, have: number, pending: TlsPending): void {
  if (helloAt(bytes, at, have)) {
    // TLS starts here: the walk begins afresh at this segment.
    rec[x] = T_UNKNOWN | ((((rec[x] >>> 8) & 0xff) | TS_PLAIN) << 8);
    const w = k + R_TLS_WALK + 3 * (x - k - R_TLS_STATE);
    rec[w] = rec[w + 1] = rec[w + 2] = 0;
    walk(rec, k, x, seq, len, bytes, at, have, pending, false);
    return;
  }
  const w = k + R_TLS_WALK + 3 * (x - k - R_TLS_STATE) + 1;
  if (++rec[w] >= SEEK_SEGMENTS) rec[x] = (rec[x] & ~0xff) | T_NOT_TLS;
}

/** The side's segments kept aside for a hole that was never filled: walked now, in sequence order, picking up at record headers. */
function flush(rec: Uint32Array, k: number, x: number, pending: TlsPending): void {
  const key = (k / STRIDE) * 2 + (x - k - R_TLS_STATE);
  const segs = pending.take(key);
  if (!segs) return;
  for (const g of segs) if ((rec[x] & 0xff) < T_NOT_TLS && !settled(rec, k, x)) walkKept(rec, k, x, g, pending, true);
}

/** At the first FIN from a side: remember whether an alert (or, without payload, an alert-sized segment) came first. */
function fin(rec: Uint32Array, k: number, x: number, d: number, s: TcpSegment): void {
  let f = ((rec[x] >>> 8) & 0xff) | TS_FIN_SEEN;
  if (f & TS_ALERT_SEEN) f |= TS_ALERT_BEFORE_FIN;
  if (!s.payloadBuffer && s.payload === null) {
    // Text capture: the alert can only be guessed from the size of the segment right before the FIN
    // (or carried by the FIN itself).
    const prevFromMe = ((rec[k + R_FLAGS] >>> F_PREV_NULL_SHIFT) & 3) === d + 1;
    const len = s.payloadLength > 0 ? s.payloadLength : prevFromMe ? rec[k + R_PREV_NULL_LEN] : 0;
    const seen = rec[k + R_TLS_VERSION] >>> 16 === 1;
    if (len > 0 && ALERT_RECORD_SIZES.has(len) && (TLS_PORTS.has(s.srcPort) || TLS_PORTS.has(s.dstPort) || seen)) f |= TS_INFERRED_ALERT;
  }
  rec[x] = (rec[x] & ~0xff00) | (f << 8);
}

/** walk() over a segment kept aside (pending.ts), whose bytes are a copy of its own. */
function walkKept(rec: Uint32Array, k: number, x: number, g: PendingSegment, pending: TlsPending, final: boolean): void {
  walk(rec, k, x, g.seq, g.length, g.bytes, 0, Math.min(g.length, g.bytes.length), pending, final);
}

/**
 * Walks the records in one segment's payload (side state word at rec[x]); `len` is the TCP payload length, the
 * captured bytes are bytes[at, at + have) (have <= len). `final`: the segment comes from the pending store being given up (no more setting aside).
 * State is read into locals once and written back. After walking in order, pending segments the walk reached are walked too.
 */
function walk(
  rec: Uint32Array, k: number, x: number, seq: number, len: number, bytes: Uint8Array, at: number, have: number, pending: TlsPending, final: boolean,
): void {
  const side = x - k - R_TLS_STATE;
  const w = k + R_TLS_WALK + 3 * side; // this side's 3 walk words
  const word0 = rec[x];
  let state = word0 & 0xff;
  let flags = (word0 >>> 8) & 0xff;
  let got = (word0 >>> 16) & 0xff;
  let next = rec[w];
  let skip = rec[w + 1];
  let held = rec[w + 2]; // split header bytes, first byte in the high bits
  let version = rec[k + R_TLS_VERSION];
  if (state === T_UNKNOWN) {
    // A stream whose first segment is shorter than a record header is not TLS from its start (PostgreSQL's one-byte
    // 'S' answer to an SSLRequest, a short banner): look for the hello in the next segments.
    if (have < 5) {
      rec[x] = T_SEEK | (flags << 8);
      rec[w + 1] = 1;
      return;
    }
    next = seq;
  }
  let d = seqDelta(seq, next);
  if (state === T_LOST) {
    // The hole's fill (a retransmission or a late segment) resumes where the walk stopped; else a header restarts it.
    if (d <= 0 && seqDelta((seq + len) >>> 0, next) > 0) state = T_TLS;
    else if (d > 0 && headerAt(bytes, at, have)) {
      // Picks up at this record header.
      next = seq;
      skip = got = held = 0;
      state = T_TLS;
      flags = flags & TS_CUT ? flags & ~TS_CUT : flags | TS_HOLE;
      d = 0;
    } else return;
  }
  let off = 0;
  let lostHere = false; // sync lost inside this segment: only a record header at a later segment start picks it up
  if (d > 0) {
    // Bytes missing before this segment: set it aside until the hole is filled, or pick up here if it starts a record.
    if (!final && state === T_TLS && pending.keep((k / STRIDE) * 2 + side, seq, len, bytes.subarray(at, at + have))) return;
    if (!headerAt(bytes, at, have)) {
      rec[x] = T_LOST | ((flags | TS_HOLE) << 8) | (got << 16);
      return;
    }
    next = seq;
    skip = got = held = 0;
    flags |= TS_HOLE;
  } else if (d < 0) {
    if (seqDelta((seq + len) >>> 0, next) <= 0) return; // all old
    off = -d;
  }
  while (off < len) {
    if (skip > 0) {
      const n = Math.min(skip, len - off);
      skip -= n;
      off += n;
      continue;
    }
    if (off >= have) {
      // Header bytes beyond what was captured.
      if (state === T_TLS) flags |= TS_CUT;
      state = state === T_TLS ? T_LOST : T_SEEK;
      lostHere = true;
      break;
    }
    let type: number, major: number, minor: number, length: number;
    if (got === 0 && off + 5 <= have) {
      // The whole header is in this segment (the usual case).
      const h = at + off;
      type = bytes[h];
      major = bytes[h + 1];
      minor = bytes[h + 2];
      length = (bytes[h + 3] << 8) | bytes[h + 4];
      off += 5;
    } else {
      // A header split across segments: collect it byte by byte.
      const b = bytes[at + off++];
      if (got < 4) {
        held = ((held << 8) | b) >>> 0;
        got++;
        continue;
      }
      got = 0;
      type = held >>> 24;
      major = (held >>> 16) & 0xff;
      minor = (held >>> 8) & 0xff;
      length = ((held & 0xff) << 8) | b;
      held = 0;
    }
    if (!validHeader(type, major, minor, length)) {
      // Not TLS (yet): plaintext before TLS is looked past; a bad header inside TLS loses the sync.
      if (state === T_TLS) flags |= TS_HOLE;
      state = state === T_TLS ? T_LOST : T_SEEK;
      got = 0;
      held = 0;
      skip = 0;
      lostHere = true;
      break;
    }
    state = T_TLS;
    version |= 1 << 16; // a record was seen
    if (type === 21) flags |= TS_ALERT_SEEN;
    // The first ServerHello decides (HelloRetryRequest and ServerHello agree on it). A TLS <= 1.2 Finished is an
    // encrypted handshake record: its first byte is random, so reading later records as ServerHellos would
    // take a random version one time in 256.
    if (type === 22 && (version & 0xffff) === 0 && off < have && bytes[at + off] === 2) {
      version |= serverHelloVersion(bytes, at + off, at + Math.min(have, off + length), 0) & 0xffff;
    }
    skip = length;
  }
  if (state === T_TLS || lostHere) next = (seq + len) >>> 0;
  rec[x] = state | (flags << 8) | (got << 16);
  rec[w] = next;
  rec[w + 1] = state === T_SEEK ? 0 : skip;
  rec[w + 2] = held;
  rec[k + R_TLS_VERSION] = version;
  // Segments set aside that the walk has now reached.
  if (state === T_TLS && pending.size > 0) {
    const g = pending.reached((k / STRIDE) * 2 + side, next);
    if (g) walkKept(rec, k, x, g, pending, false);
  }
}

/** ServerHello body at p[at], up to p[end] (handshake header first): version, overridden by supported_versions; `old` when too short. */
function serverHelloVersion(p: Uint8Array, at: number, end: number, old: number): number {
  let i = at + 4;
  if (i + 2 > end) return old;
  let version = (p[i] << 8) | p[i + 1];
  i += 2 + 32;
  if (i >= end) return version;
  i += 1 + p[i]; // session id
  i += 3; // cipher suite + compression
  if (i + 2 <= end) {
    const extEnd = Math.min(end, i + 2 + ((p[i] << 8) | p[i + 1]));
    i += 2;
    while (i + 4 <= extEnd) {
      const type = (p[i] << 8) | p[i + 1];
      const elen = (p[i + 2] << 8) | p[i + 3];
      if (type === 0x002b && elen === 2 && i + 6 <= extEnd) version = (p[i + 4] << 8) | p[i + 5];
      i += 4 + elen;
    }
  }
  return version;
}
