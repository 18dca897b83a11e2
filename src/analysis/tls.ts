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
 */
import { FIN, RST, type TcpSegment } from '../model/segment';
import type { TlsFacts } from '../model/report';
import { type Conn, type Dir, seqDelta } from './conn-state';

const T_NOT_TLS = 2;
const T_LOST = 3;

/** Sizes of a whole alert record (5-byte header included): plaintext 7; ChaCha20 23; TLS 1.3 24; AES-GCM 31; CBC-SHA 53 / 37; CBC-SHA256 69. */
const ALERT_RECORD_SIZES = new Set([7, 23, 24, 31, 37, 53, 69]);
const TLS_PORTS = new Set([443, 465, 563, 585, 636, 853, 989, 990, 992, 993, 994, 995, 5223, 5061, 8443, 9443]);

function validHeader(type: number, major: number, minor: number, length: number): boolean {
  return type >= 20 && type <= 24 && major === 3 && minor <= 4 && length > 0 && length <= 16384 + 2048;
}

/** Walk the payload of one segment from side `me`. */
export function tlsSegment(c: Conn, me: Dir, s: TcpSegment, index: number): void {
  const len = s.payloadLength;
  if (len === 0 || s.flags & RST) return;
  const p = s.payload;
  if (p === null) {
    me.lastDataLen = len;
    me.lastDataIndex = index;
    return;
  }
  if (me.tlsState >= T_NOT_TLS) return;
  const seq = s.seq >>> 0;
  let off = 0;
  if (me.tlsNext === 0 && me.tlsState === 0 && me.tlsHdrHave === 0 && me.tlsSkip === 0) {
    me.tlsNext = seq;
  }
  const d = seqDelta(seq, me.tlsNext);
  if (d > 0) {
    // Bytes missing before this segment: the record boundaries are lost.
    me.tlsState = me.tlsState === 1 ? T_LOST : T_NOT_TLS;
    return;
  }
  if (d < 0) {
    if (seqDelta((seq + len) >>> 0, me.tlsNext) <= 0) return; // all old
    off = -d;
  }
  const have = Math.min(len, p.length);
  while (off < len) {
    if (me.tlsSkip > 0) {
      const n = Math.min(me.tlsSkip, len - off);
      me.tlsSkip -= n;
      off += n;
      continue;
    }
    if (off >= have) {
      // Header bytes beyond what was captured.
      me.tlsState = me.tlsState === 1 ? T_LOST : T_NOT_TLS;
      return;
    }
    const b = p[off];
    switch (me.tlsHdrHave) {
      case 0: me.tlsHdr0 = b; break;
      case 1: me.tlsHdr1 = b; break;
      case 2: me.tlsHdr2 = b; break;
      case 3: me.tlsHdr3 = b; break;
    }
    off++;
    if (++me.tlsHdrHave < 5) continue;
    me.tlsHdrHave = 0;
    const type = me.tlsHdr0;
    const length = (me.tlsHdr3 << 8) | b;
    if (!validHeader(type, me.tlsHdr1, me.tlsHdr2, length)) {
      me.tlsState = me.tlsState === 1 ? T_LOST : T_NOT_TLS;
      return;
    }
    me.tlsState = 1;
    c.tlsSeen = true;
    me.tlsLastType = type;
    me.tlsLastLen = length;
    if (type === 21) me.tlsAlertSeen = true;
    if (type === 22 && off < have && p[off] === 2) serverHello(c, p, off, Math.min(have, off + length), me.tlsHdr1, me.tlsHdr2);
    me.tlsSkip = length;
  }
  me.tlsNext = (seq + len) >>> 0;
}

/** ServerHello body at p[at] (handshake header first): version, overridden by supported_versions. */
function serverHello(c: Conn, p: Uint8Array, at: number, end: number, recMajor: number, recMinor: number): void {
  let i = at + 4;
  if (i + 2 > end) return;
  let version = (p[i] << 8) | p[i + 1];
  i += 2 + 32;
  if (i >= end) {
    c.tlsVersion = version;
    return;
  }
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
  void recMajor;
  void recMinor;
  c.tlsVersion = version;
}

/** At a FIN from `me`: remember whether an alert (or, without payload, an alert-sized segment) came first. */
export function tlsFin(c: Conn, me: Dir, s: TcpSegment, index: number): void {
  if (me.tlsAlertSeen) me.tlsAlertBeforeFin = true;
  if (s.payload === null) {
    // Text capture: the alert can only be guessed from the size of the segment right before the FIN
    // (or carried by the FIN itself).
    const len = s.payloadLength > 0 ? s.payloadLength : me.lastDataIndex >= 0 && me.lastDataIndex === index - 1 ? me.lastDataLen : 0;
    if (len > 0 && ALERT_RECORD_SIZES.has(len) && (TLS_PORTS.has(c.aPort) || TLS_PORTS.has(c.bPort) || c.tlsSeen)) me.inferredAlert = true;
  }
  void FIN;
}

function versionName(v: number): string | null {
  switch (v) {
    case 0x0300: return 'SSL 3.0';
    case 0x0301: return 'TLS 1.0';
    case 0x0302: return 'TLS 1.1';
    case 0x0303: return 'TLS 1.2';
    case 0x0304: return 'TLS 1.3';
    default: return v ? `0x${v.toString(16).padStart(4, '0')}` : null;
  }
}

/** TLS facts for the report, or null when nothing TLS-like was seen. */
export function tlsFacts(c: Conn, client: Dir, server: Dir): TlsFacts | null {
  if (c.tlsSeen) {
    const version = versionName(c.tlsVersion);
    if (c.tlsVersion === 0x0304) {
      return {
        version,
        alertBeforeFin: null,
        inferred: false,
        note:
          'TLS 1.3 encrypts alerts and sends them as application data records, so whether a close_notify was sent cannot be seen on the wire.',
      };
    }
    const ab = { client: client.tlsAlertBeforeFin, server: server.tlsAlertBeforeFin };
    const who = ab.client && ab.server ? 'both sides' : ab.client ? 'the client' : ab.server ? 'the server' : '';
    const note = who
      ? `An alert record from ${who} came before its FIN: after the handshake that is almost always an encrypted close_notify, i.e. a proper TLS shutdown.`
      : client.finIndex >= 0 || server.finIndex >= 0
        ? 'No alert record before the FIN: the TLS session was not closed with close_notify (the application closed the socket without a TLS shutdown).'
        : 'No FIN was seen; no TLS close to judge.';
    return { version, alertBeforeFin: ab, inferred: false, note };
  }
  if (client.inferredAlert || server.inferredAlert) {
    const ab = { client: client.inferredAlert, server: server.inferredAlert };
    const who = ab.client && ab.server ? 'both sides' : ab.client ? 'the client' : 'the server';
    return {
      version: null,
      alertBeforeFin: ab,
      inferred: true,
      note: `No payload in this capture: a segment the size of an encrypted TLS alert came from ${who} right before its FIN, probably a close_notify (inferred from the size only).`,
    };
  }
  return null;
}
