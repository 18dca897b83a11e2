/**
 * TLS record walk over each side's in-order TCP payload, on any port (RFC 5246 §6.2.1 record header:
 * type(1) version(2) length(2); RFC 8446 §4.1.3 ServerHello supported_versions; formats.md §5.1).
 * Sample record header: 15 03 03 00 1a = alert (21), TLS 1.2 record version, 26 bytes (an encrypted
 * close_notify under AES-GCM: 8 nonce + 2 + 16 tag).
 * Finds: whether the stream is TLS, the negotiated version (from the ServerHello), and whether a side
 * sent an alert record before its FIN. Records may span segments and share segments; retransmitted
 * bytes are skipped; a hole in the captured bytes stops the walk for that side (what was found stays).
 * Not handled: SSLv2 hellos, decryption, records inside a truncated capture after the snap length.
 *
 * Text captures carry no payload: there, a data segment of a typical encrypted-alert size sent right
 * before the same side's FIN, on a TLS port (either end), is reported as a probable close_notify, marked inferred.
 *
 * This runs during the packet pass (it needs the payload bytes, which the PacketTable does not keep); the
 * state is a few typed-array entries per side (index 2 * connection + side), nothing per packet. The
 * report side is in tls.ts.
 */
import { FIN, RST, type TcpSegment } from '../model/segment';
import { seqDelta } from './conn-state';
import { grown } from './conn-keys';

const T_UNKNOWN = 0;
const T_TLS = 1;
const T_NOT_TLS = 2;
const T_LOST = 3;

// Per-side flag bits.
export const TS_ALERT_SEEN = 1;
export const TS_ALERT_BEFORE_FIN = 2;
export const TS_INFERRED_ALERT = 4;
const TS_FIN_SEEN = 8;

/** Sizes of a whole alert record (5-byte header included): plaintext 7; ChaCha20 23; TLS 1.3 24; AES-GCM 31; CBC-SHA 53 / 37; CBC-SHA256 69. */
const ALERT_RECORD_SIZES = new Set([7, 23, 24, 31, 37, 53, 69]);
const TLS_PORTS = new Set([443, 465, 563, 585, 636, 853, 989, 990, 992, 993, 994, 995, 5223, 5061, 8443, 9443]);

function validHeader(type: number, major: number, minor: number, length: number): boolean {
  return type >= 20 && type <= 24 && major === 3 && minor <= 4 && length > 0 && length <= 16384 + 2048;
}

export class TlsWalk {
  // Per side (2 * conn + side).
  state = new Uint8Array(0);
  flags = new Uint8Array(0);
  /** Bytes of a split record header collected so far (0..4) and the bytes themselves (4 per side). */
  private hdrHave = new Uint8Array(0);
  private hdr = new Uint8Array(0);
  /** Raw seq where the next unparsed byte is expected. */
  private next = new Uint32Array(0);
  /** Bytes of the current record body still to skip. */
  private skip = new Uint32Array(0);
  // Per connection.
  /** Version from the ServerHello (0x0303, 0x0304...), 0 when none seen. */
  version = new Uint16Array(0);
  seen = new Uint8Array(0);
  /**
   * Text captures: the previous packet of the connection when it was a data segment without payload bytes
   * (length * 2 + side), else 0: the segment right before a FIN, for the alert-size inference.
   */
  private prevNullData = new Float64Array(0);

  /** Makes room for connection `c`. */
  add(c: number): void {
    if (c < this.version.length) return;
    this.version = grown(this.version, c + 1);
    const n = this.version.length; // the others follow its capacity
    this.state = grown(this.state, 2 * n);
    this.flags = grown(this.flags, 2 * n);
    this.hdrHave = grown(this.hdrHave, 2 * n);
    this.hdr = grown(this.hdr, 8 * n);
    this.next = grown(this.next, 2 * n);
    this.skip = grown(this.skip, 2 * n);
    this.seen = grown(this.seen, n);
    this.prevNullData = grown(this.prevNullData, n);
  }

  /** One segment from side `d` of connection `c`. */
  segment(c: number, d: number, s: TcpSegment): void {
    const x = 2 * c + d;
    const len = s.payloadLength;
    const rst = (s.flags & RST) !== 0;
    if (len > 0 && !rst && s.payload !== null && this.state[x] < T_NOT_TLS) this.walk(c, x, s);
    if (s.flags & FIN && (this.flags[x] & TS_FIN_SEEN) === 0) this.fin(c, d, x, s);
    // Text captures: remember a data segment without payload bytes for the FIN right after it.
    this.prevNullData[c] = len > 0 && !rst && s.payload === null ? len * 2 + d : 0;
  }

  /** At the first FIN from a side: remember whether an alert (or, without payload, an alert-sized segment) came first. */
  private fin(c: number, d: number, x: number, s: TcpSegment): void {
    let f = this.flags[x] | TS_FIN_SEEN;
    if (f & TS_ALERT_SEEN) f |= TS_ALERT_BEFORE_FIN;
    if (s.payload === null) {
      // Text capture: the alert can only be guessed from the size of the segment right before the FIN
      // (or carried by the FIN itself).
      const prev = this.prevNullData[c];
      const len = s.payloadLength > 0 ? s.payloadLength : prev > 0 && prev % 2 === d ? (prev - d) / 2 : 0;
      if (len > 0 && ALERT_RECORD_SIZES.has(len) && (TLS_PORTS.has(s.srcPort) || TLS_PORTS.has(s.dstPort) || this.seen[c])) f |= TS_INFERRED_ALERT;
    }
    this.flags[x] = f;
  }

  /** Walks the records in one segment's payload (side index x). State is read into locals once and written back. */
  private walk(c: number, x: number, s: TcpSegment): void {
    const p = s.payload as Uint8Array;
    const len = s.payloadLength;
    const seq = s.seq >>> 0;
    let state = this.state[x];
    let next = this.next[x];
    let skip = this.skip[x];
    let got = this.hdrHave[x];
    if (next === 0 && state === T_UNKNOWN && got === 0 && skip === 0) next = seq;
    const d = seqDelta(seq, next);
    if (d > 0) {
      // Bytes missing before this segment: the record boundaries are lost.
      this.state[x] = state === T_TLS ? T_LOST : T_NOT_TLS;
      this.next[x] = next;
      return;
    }
    let off = 0;
    if (d < 0) {
      if (seqDelta((seq + len) >>> 0, next) <= 0) {
        this.next[x] = next;
        return; // all old
      }
      off = -d;
    }
    const have = Math.min(len, p.length);
    const h = 4 * x;
    while (off < len) {
      if (skip > 0) {
        const n = Math.min(skip, len - off);
        skip -= n;
        off += n;
        continue;
      }
      if (off >= have) {
        // Header bytes beyond what was captured.
        state = state === T_TLS ? T_LOST : T_NOT_TLS;
        break;
      }
      let type: number, major: number, minor: number, length: number;
      if (got === 0 && off + 5 <= have) {
        // The whole header is in this segment (the usual case).
        type = p[off];
        major = p[off + 1];
        minor = p[off + 2];
        length = (p[off + 3] << 8) | p[off + 4];
        off += 5;
      } else {
        // A header split across segments: collect it byte by byte.
        const b = p[off++];
        if (got < 4) {
          this.hdr[h + got] = b;
          got++;
          continue;
        }
        got = 0;
        type = this.hdr[h];
        major = this.hdr[h + 1];
        minor = this.hdr[h + 2];
        length = (this.hdr[h + 3] << 8) | b;
      }
      if (!validHeader(type, major, minor, length)) {
        state = state === T_TLS ? T_LOST : T_NOT_TLS;
        break;
      }
      state = T_TLS;
      this.seen[c] = 1;
      if (type === 21) this.flags[x] |= TS_ALERT_SEEN;
      if (type === 22 && off < have && p[off] === 2) this.version[c] = serverHelloVersion(p, off, Math.min(have, off + length), this.version[c]);
      skip = length;
    }
    this.state[x] = state;
    this.skip[x] = skip;
    this.hdrHave[x] = got;
    // On a lost / not-TLS verdict the walk stops for good, so `next` no longer matters.
    this.next[x] = state >= T_NOT_TLS ? next : (seq + len) >>> 0;
  }

  /** Frees the walk state once no more packets come; `version`, `seen` and `flags` stay for the reports. */
  dropWalkState(): void {
    this.state = new Uint8Array(0);
    this.hdrHave = new Uint8Array(0);
    this.hdr = new Uint8Array(0);
    this.next = new Uint32Array(0);
    this.skip = new Uint32Array(0);
    this.prevNullData = new Float64Array(0);
  }
}

/** ServerHello body at p[at] (handshake header first): version, overridden by supported_versions; `old` when too short. */
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
