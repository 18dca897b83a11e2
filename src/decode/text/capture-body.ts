/**
 * The TCP part of a text-capture line, after `SRC > DST: ` (formats.md §1.14/§1.15):
 *   old (tcpdump 3.x, ASA show capture): FLAGS[ [tcp sum ok]][ first:last(len)][ ack N][ win N][ urg N][ <opts>][ (DF)][ (ttl T, id I)]
 *     e.g. `F 2320205170:2320205170(0) ack 991843171 win 65535`; `.` = none of S/F/P/R, ACK only via `ack N`.
 *   new (tcpdump >= 4): Flags [FLAGS], [cksum ..., ]seq A[:B], ack N, win N[, urg N][, options [opts]], length L
 *     e.g. `Flags [F.], seq 59, ack 227, win 64014, length 0`; `.` = ACK.
 * Options: mss, wscale, sackOK, TS val/ecr (new) or timestamp a b (old), sack blocks {l:r}. Fills the TcpSegment.
 * Not handled: application text after the TCP part (ignored), MPTCP/TFO option details.
 */
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG, type TcpSegment } from '../../model/segment';
import type { LineFacts } from './capture-facts';

import { createCursor, isDigit, readUint, type Cursor } from './text-scan';

/** Unsigned decimal at s[a..] up to the first non-digit; -1 when none. `at.end` gets its end. */
export const readNum = (s: string, a: number, at: Cursor): number => readUint(s, a, s.length, at);

const at = createCursor();

export function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** Old (3.x/ASA) flag letters -> bits; -1 when the token is not a flag token. */
function oldFlags(s: string, a: number, b: number): number {
  if (b - a === 4 && s.startsWith('none', a)) return 0;
  let flags = 0;
  for (let i = a; i < b; i++) {
    switch (s.charCodeAt(i)) {
      case 83: flags |= SYN; break; // S
      case 70: flags |= FIN; break; // F
      case 80: flags |= PSH; break; // P
      case 82: flags |= RST; break; // R
      case 85: flags |= URG; break; // U
      case 87: flags |= CWR; break; // W
      case 69: flags |= ECE; break; // E
      case 46: break; // .
      default: return -1;
    }
  }
  return b > a ? flags : -1;
}

/** New (≥ 4) flag characters inside `[...]` -> bits; -1 when malformed. */
function newFlags(s: string, a: number, b: number): number {
  if (b - a === 4 && s.startsWith('none', a)) return 0;
  let flags = 0;
  for (let i = a; i < b; i++) {
    switch (s.charCodeAt(i)) {
      case 83: flags |= SYN; break;
      case 70: flags |= FIN; break;
      case 80: flags |= PSH; break;
      case 82: flags |= RST; break;
      case 46: flags |= ACK; break;
      case 85: flags |= URG; break;
      case 69: flags |= ECE; break;
      case 87: flags |= CWR; break;
      case 101: flags |= AE; break; // e
      default: return -1;
    }
  }
  return flags;
}

/** Index of the bracket closing the one at `open` (same kind, nesting allowed); s.length when unclosed. */
function closing(s: string, open: number, o: number, c: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return s.length;
}

/** TCP options text (`mss 1460,nop,wscale 7,sackOK,TS val 1 ecr 2` or old `timestamp 1 2`, `sack 1 {a:b}`) in s[a, b). */
function readOptions(s: string, a: number, b: number, seg: TcpSegment): void {
  let i = a;
  while (i < b) {
    i = skipSpaces(s, i);
    let j = i;
    // An item ends at a comma outside braces.
    let brace = 0;
    while (j < b) {
      const ch = s.charCodeAt(j);
      if (ch === 123) brace++;
      else if (ch === 125) brace--;
      else if (ch === 44 && brace <= 0) break;
      j++;
    }
    if (s.startsWith('mss ', i)) seg.mss = readNum(s, i + 4, at);
    else if (s.startsWith('wscale ', i)) seg.windowScale = readNum(s, i + 7, at);
    else if (s.startsWith('sackOK', i)) seg.sackPermitted = true;
    else if (s.startsWith('TS val ', i)) {
      seg.tsVal = readNum(s, i + 7, at);
      const e = s.indexOf('ecr ', at.end);
      if (e >= 0 && e < j) seg.tsEcr = readNum(s, e + 4, at);
    } else if (s.startsWith('timestamp ', i)) {
      seg.tsVal = readNum(s, i + 10, at);
      if (seg.tsVal >= 0) seg.tsEcr = readNum(s, skipSpaces(s, at.end), at);
    } else if (s.startsWith('sack ', i)) {
      // `sack 1 {a:b}{c:d}` or old `sack sack 1 {a:b} `: read every {left:right}.
      let k = s.indexOf('{', i);
      let n = 0;
      while (k >= 0 && k < j && n < 4) {
        const left = readNum(s, k + 1, at);
        if (left < 0 || s.charCodeAt(at.end) !== 58) break;
        const right = readNum(s, at.end + 1, at);
        if (right < 0) break;
        seg.sackBlocks[n * 2] = left >>> 0;
        seg.sackBlocks[n * 2 + 1] = right >>> 0;
        n++;
        k = s.indexOf('{', at.end);
      }
      seg.sackCount = n;
    }
    i = j + 1;
  }
}

/** `(DF)`, `(ttl 126, id 6888)`, `(len 32, hlim 60)` groups: keep the TTL/hop limit. */
function readIpNote(s: string, a: number, b: number, f: LineFacts): void {
  const t = s.indexOf('ttl ', a);
  if (t >= 0 && t < b) {
    f.ttl = readNum(s, skipSpaces(s, t + 4), at);
    return;
  }
  const h = s.indexOf('hlim ', a);
  if (h >= 0 && h < b) f.ttl = readNum(s, h + 5, at);
}

export function oldBody(s: string, p: number, seg: TcpSegment, f: LineFacts): boolean {
  const n = s.length;
  let e = p;
  while (e < n && s.charCodeAt(e) !== 32) e++;
  const flags = oldFlags(s, p, e);
  if (flags < 0) return false;
  f.style = 'old';
  let fields = 0;
  let i = e;
  while (i < n) {
    i = skipSpaces(s, i);
    if (i >= n) break;
    const c = s.charCodeAt(i);
    if (c === 91) {
      // [tcp sum ok], [bad tcp cksum ...], [|tcp]
      const close = closing(s, i, 91, 93);
      if (s.startsWith('[|tcp]', i)) f.truncated = true;
      i = close + 1;
    } else if (isDigit(c)) {
      const first = readNum(s, i, at);
      if (s.charCodeAt(at.end) !== 58) break;
      const last = readNum(s, at.end + 1, at);
      if (last < 0) break;
      seg.seq = first >>> 0;
      f.hasSeq = true;
      fields++;
      if (s.charCodeAt(at.end) === 40) {
        const len = readNum(s, at.end + 1, at);
        seg.payloadLength = len >= 0 ? len : (last - first) >>> 0;
        i = s.charCodeAt(at.end) === 41 ? at.end + 1 : at.end;
      } else {
        seg.payloadLength = (last - first) >>> 0;
        i = at.end;
      }
    } else if (s.startsWith('ack ', i)) {
      const v = readNum(s, i + 4, at);
      if (v < 0) break;
      seg.ack = v >>> 0;
      f.hasAck = true;
      fields++;
      i = at.end;
    } else if (s.startsWith('win ', i)) {
      const v = readNum(s, i + 4, at);
      if (v < 0) break;
      seg.window = v & 0xffff;
      fields++;
      i = at.end;
    } else if (s.startsWith('urg ', i)) {
      readNum(s, i + 4, at);
      i = at.end;
    } else if (c === 60) {
      const close = closing(s, i, 60, 62);
      readOptions(s, i + 1, close, seg);
      i = close + 1;
    } else if (c === 40) {
      const close = closing(s, i, 40, 41);
      readIpNote(s, i, close, f);
      i = close + 1;
    } else {
      break; // application text or a poster's annotation: the TCP part is over
    }
  }
  if (fields === 0) return false;
  seg.flags = flags | (f.hasAck ? ACK : 0);
  return true;
}

export function newBody(s: string, p: number, seg: TcpSegment, f: LineFacts): boolean {
  const close = s.indexOf(']', p + 7);
  if (close < 0) return false;
  const flags = newFlags(s, p + 7, close);
  if (flags < 0) return false;
  f.style = 'new';
  seg.flags = flags;
  f.hasAck = (flags & ACK) !== 0;
  let i = close + 1;
  const n = s.length;
  let sawLength = false;
  while (i < n && s.charCodeAt(i) === 44) {
    i = skipSpaces(s, i + 1);
    if (s.startsWith('seq ', i)) {
      let q = i + 4;
      if (s.charCodeAt(q) === 44) q = skipSpaces(s, q + 1); // man-page typo `seq, 947648:947648`
      const first = readNum(s, q, at);
      if (first < 0) return false;
      seg.seq = first >>> 0;
      f.hasSeq = true;
      if (s.charCodeAt(at.end) === 58) {
        const last = readNum(s, at.end + 1, at);
        if (last >= 0) seg.payloadLength = (last - first) >>> 0;
      }
      i = at.end;
    } else if (s.startsWith('ack ', i)) {
      const v = readNum(s, i + 4, at);
      if (v >= 0) {
        seg.ack = v >>> 0;
        f.hasAck = true;
      }
      i = at.end;
    } else if (s.startsWith('win ', i)) {
      const v = readNum(s, i + 4, at);
      if (v >= 0) seg.window = v & 0xffff;
      i = at.end;
    } else if (s.startsWith('options [', i) || s.startsWith('opts [', i)) {
      const open = s.indexOf('[', i);
      const end = closing(s, open, 91, 93);
      readOptions(s, open + 1, end, seg);
      i = end + 1;
    } else if (s.startsWith('length ', i)) {
      const v = readNum(s, i + 7, at);
      if (v >= 0) seg.payloadLength = v;
      sawLength = true;
      break;
    } else {
      // cksum 0x1234 (correct), urg N, ...: skip to the next ", "
      const next = s.indexOf(', ', i);
      if (next < 0) break;
      i = next;
      continue;
    }
  }
  if (!sawLength && s.indexOf('[|tcp]', close) >= 0) f.truncated = true;
  return true;
}
