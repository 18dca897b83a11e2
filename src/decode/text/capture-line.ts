/**
 * One line of a text capture: ASA `show capture NAME [detail]` output or `tcpdump -n` output (formats.md §1.14,
 * §1.15; tcpdump.1 of tcpdump 3.x for the old body, tcpdump ≥ 4 man page and tests/*.out for the new one).
 * Grammar: [frame `N:` (ASA) or `N  ` (tcpdump -#)] [stamp: HH:MM:SS[.frac] | yyyy-mm-dd HH:MM:SS[.frac] | epoch.frac]
 *          [link/IP noise: MACs, `0x0800 74:`, `802.1Q vlan#2 P0`, `IP`, `IP6`, `IP (tos ..., ttl 64, ...)`]
 *          SRC.PORT > DST.PORT: BODY
 *   old BODY: FLAGS[ [tcp sum ok]][ first:last(len)][ ack N][ win N][ urg N][ <opts>][ (DF)][ (ttl T, id I)]
 *   new BODY: Flags [FLAGS], [cksum ..., ]seq A[:B], ack N, win N[, urg N][, options [opts]], length L
 * e.g. `33437: 12:00:47.907301 10.20.30.15.443 > 198.51.100.77.55132: F 2320205170:2320205170(0) ack 991843171 win 65535`
 * The parsed TCP header goes straight into the reused TcpSegment; other facts into the reused LineFacts.
 * Not handled: host names (needs -n), payload hex dumps (-x/-X lines are skipped), non-TCP bodies (counted).
 */
import { ACK, clearTcpOptions, CWR, ECE, FIN, PSH, RST, SYN, URG, AE, type TcpSegment } from '../../model/segment';
import { endpointPort, parseEndpointText } from '../../lib/ip-text';

export type LineKind = 'tcp' | 'non-tcp' | 'stamp-only' | 'other';
export type StampKind = 'none' | 'tod' | 'date' | 'epoch';

export interface LineFacts {
  kind: LineKind;
  /** Capture's own packet number; -1 when not printed. */
  frame: number;
  stamp: StampKind;
  /** Microseconds since midnight ('tod', 'date'). */
  todUs: number;
  /** Days since 1970-01-01 ('date'). */
  dateDays: number;
  /** Microseconds since the epoch ('epoch'). */
  epochUs: number;
  /** 'old' = tcpdump 3.x / ASA body, 'new' = tcpdump ≥ 4 `Flags [...]`. */
  style: 'old' | 'new';
  hasSeq: boolean;
  hasAck: boolean;
  /** The line said the TCP header was cut (`[|tcp]`). */
  truncated: boolean;
  /** TTL/hop limit seen on this line (-1 when none). */
  ttl: number;
}

export function createLineFacts(): LineFacts {
  return {
    kind: 'other', frame: -1, stamp: 'none', todUs: 0, dateDays: 0, epochUs: 0, style: 'old',
    hasSeq: false, hasAck: false, truncated: false, ttl: -1,
  };
}

const isDigit = (c: number) => c >= 48 && c <= 57;

let numEnd = 0;
function readNum(s: string, a: number): number {
  let v = 0;
  let i = a;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    i++;
  }
  numEnd = i;
  return i === a ? -1 : v;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** `HH:MM:SS[.frac]` at i: sets f.todUs and returns the end, or -1. */
function readTimeOfDay(s: string, i: number, f: LineFacts): number {
  const h = readNum(s, i);
  if (h < 0 || h > 23 || numEnd - i > 2 || s.charCodeAt(numEnd) !== 58) return -1;
  const m = readNum(s, numEnd + 1);
  if (m < 0 || m > 59 || s.charCodeAt(numEnd) !== 58) return -1;
  const sec = readNum(s, numEnd + 1);
  if (sec < 0 || sec > 60) return -1;
  let e = numEnd;
  let frac = 0;
  if (s.charCodeAt(e) === 46) {
    let k = e + 1;
    let digits = 0;
    while (k < s.length && isDigit(s.charCodeAt(k))) {
      if (digits < 9) {
        frac = frac * 10 + (s.charCodeAt(k) - 48);
        digits++;
      }
      k++;
    }
    frac = digits ? frac * 10 ** (6 - digits) : 0;
    e = k;
  }
  f.todUs = (h * 3600 + m * 60 + sec) * 1e6 + frac;
  return e;
}

function daysFromCivil(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86400000;
}

/** Stamp at i (any of the three kinds); returns the index after it, or i when none. */
function readStamp(s: string, i: number, f: LineFacts): number {
  f.stamp = 'none';
  const c = s.charCodeAt(i);
  if (!isDigit(c)) return i;
  // yyyy-mm-dd HH:MM:SS
  if (s.charCodeAt(i + 4) === 45 && s.charCodeAt(i + 7) === 45) {
    const y = readNum(s, i);
    const mo = readNum(s, i + 5);
    const d = readNum(s, i + 8);
    if (y > 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && s.charCodeAt(i + 10) === 32) {
      const e = readTimeOfDay(s, i + 11, f);
      if (e > 0) {
        f.stamp = 'date';
        f.dateDays = daysFromCivil(y, mo, d);
        return e;
      }
    }
    return i;
  }
  const e = readTimeOfDay(s, i, f);
  if (e > 0) {
    f.stamp = 'tod';
    return e;
  }
  // epoch seconds with a fraction (-tt): 9+ digits, a dot, digits, then a space.
  const sec = readNum(s, i);
  if (sec >= 0 && numEnd - i >= 9 && s.charCodeAt(numEnd) === 46) {
    let k = numEnd + 1;
    let frac = 0;
    let digits = 0;
    while (k < s.length && isDigit(s.charCodeAt(k))) {
      if (digits < 9) {
        frac = frac * 10 + (s.charCodeAt(k) - 48);
        digits++;
      }
      k++;
    }
    if (s.charCodeAt(k) === 32 && digits > 0) {
      f.stamp = 'epoch';
      f.epochUs = sec * 1e6 + frac * 10 ** (6 - digits);
      return k;
    }
  }
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
    if (s.startsWith('mss ', i)) seg.mss = readNum(s, i + 4);
    else if (s.startsWith('wscale ', i)) seg.windowScale = readNum(s, i + 7);
    else if (s.startsWith('sackOK', i)) seg.sackPermitted = true;
    else if (s.startsWith('TS val ', i)) {
      seg.tsVal = readNum(s, i + 7);
      const e = s.indexOf('ecr ', numEnd);
      if (e >= 0 && e < j) seg.tsEcr = readNum(s, e + 4);
    } else if (s.startsWith('timestamp ', i)) {
      seg.tsVal = readNum(s, i + 10);
      if (seg.tsVal >= 0) seg.tsEcr = readNum(s, skipSpaces(s, numEnd));
    } else if (s.startsWith('sack ', i)) {
      // `sack 1 {a:b}{c:d}` or old `sack sack 1 {a:b} `: read every {left:right}.
      let k = s.indexOf('{', i);
      let n = 0;
      while (k >= 0 && k < j && n < 4) {
        const left = readNum(s, k + 1);
        if (left < 0 || s.charCodeAt(numEnd) !== 58) break;
        const right = readNum(s, numEnd + 1);
        if (right < 0) break;
        seg.sackBlocks[n * 2] = left >>> 0;
        seg.sackBlocks[n * 2 + 1] = right >>> 0;
        n++;
        k = s.indexOf('{', numEnd);
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
    f.ttl = readNum(s, skipSpaces(s, t + 4));
    return;
  }
  const h = s.indexOf('hlim ', a);
  if (h >= 0 && h < b) f.ttl = readNum(s, h + 5);
}

function oldBody(s: string, p: number, seg: TcpSegment, f: LineFacts): boolean {
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
      const first = readNum(s, i);
      if (s.charCodeAt(numEnd) !== 58) break;
      const last = readNum(s, numEnd + 1);
      if (last < 0) break;
      seg.seq = first >>> 0;
      f.hasSeq = true;
      fields++;
      if (s.charCodeAt(numEnd) === 40) {
        const len = readNum(s, numEnd + 1);
        seg.payloadLength = len >= 0 ? len : (last - first) >>> 0;
        i = s.charCodeAt(numEnd) === 41 ? numEnd + 1 : numEnd;
      } else {
        seg.payloadLength = (last - first) >>> 0;
        i = numEnd;
      }
    } else if (s.startsWith('ack ', i)) {
      const v = readNum(s, i + 4);
      if (v < 0) break;
      seg.ack = v >>> 0;
      f.hasAck = true;
      fields++;
      i = numEnd;
    } else if (s.startsWith('win ', i)) {
      const v = readNum(s, i + 4);
      if (v < 0) break;
      seg.window = v & 0xffff;
      fields++;
      i = numEnd;
    } else if (s.startsWith('urg ', i)) {
      readNum(s, i + 4);
      i = numEnd;
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

function newBody(s: string, p: number, seg: TcpSegment, f: LineFacts): boolean {
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
      const first = readNum(s, q);
      if (first < 0) return false;
      seg.seq = first >>> 0;
      f.hasSeq = true;
      if (s.charCodeAt(numEnd) === 58) {
        const last = readNum(s, numEnd + 1);
        if (last >= 0) seg.payloadLength = (last - first) >>> 0;
      }
      i = numEnd;
    } else if (s.startsWith('ack ', i)) {
      const v = readNum(s, i + 4);
      if (v >= 0) {
        seg.ack = v >>> 0;
        f.hasAck = true;
      }
      i = numEnd;
    } else if (s.startsWith('win ', i)) {
      const v = readNum(s, i + 4);
      if (v >= 0) seg.window = v & 0xffff;
      i = numEnd;
    } else if (s.startsWith('options [', i) || s.startsWith('opts [', i)) {
      const open = s.indexOf('[', i);
      const end = closing(s, open, 91, 93);
      readOptions(s, open + 1, end, seg);
      i = end + 1;
    } else if (s.startsWith('length ', i)) {
      const v = readNum(s, i + 7);
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

/**
 * Parse line s. TCP lines fill `seg` (addresses, ports, flags, seq/ack when printed, window, length, options);
 * `f` tells what the line was. Never throws on any input.
 */
export function parseCaptureLine(s: string, seg: TcpSegment, f: LineFacts): LineKind {
  f.kind = 'other';
  f.frame = -1;
  f.stamp = 'none';
  f.hasSeq = false;
  f.hasAck = false;
  f.truncated = false;
  f.ttl = -1;
  let i = skipSpaces(s, 0);
  if (i >= s.length) return 'other';
  // Packet number: `33437: ` (ASA) or `   12  ` (tcpdump -#).
  if (isDigit(s.charCodeAt(i))) {
    const v = readNum(s, i);
    const c = s.charCodeAt(numEnd);
    if (c === 58 && s.charCodeAt(numEnd + 1) === 32) {
      f.frame = v;
      i = skipSpaces(s, numEnd + 1);
    } else if (c === 32 && numEnd - i < 9 && !s.startsWith(' packet', numEnd)) {
      f.frame = v;
      i = skipSpaces(s, numEnd);
    }
  }
  const afterStamp = readStamp(s, i, f);
  const arrow = s.indexOf(' > ', afterStamp);
  if (arrow < 0) {
    if (f.stamp !== 'none') f.kind = 'stamp-only';
    return f.kind;
  }
  // Find `SRC > DST:` whose two tokens are addresses with ports (skips MAC `a > b,` pairs of -e).
  let at = arrow;
  let version = 0;
  let bodyStart = -1;
  while (at >= 0) {
    let a = at - 1;
    while (a >= afterStamp && s.charCodeAt(a) !== 32) a--;
    let b = at + 3;
    while (b < s.length && s.charCodeAt(b) !== 32) b++;
    if (s.charCodeAt(b - 1) === 58) {
      const v1 = parseEndpointText(s, a + 1, at, seg.srcAddr);
      const p1 = endpointPort;
      if (v1) {
        const v2 = parseEndpointText(s, at + 3, b - 1, seg.dstAddr);
        if (v2 === v1) {
          version = v1;
          seg.srcPort = p1;
          seg.dstPort = endpointPort;
          bodyStart = skipSpaces(s, b);
          break;
        }
      }
    }
    at = s.indexOf(' > ', at + 3);
  }
  if (bodyStart < 0) {
    f.kind = 'non-tcp';
    return f.kind;
  }
  seg.ipVersion = version;
  const ipNote = s.lastIndexOf('ttl ', arrow);
  if (ipNote > afterStamp) f.ttl = readNum(s, skipSpaces(s, ipNote + 4));
  seg.flags = 0;
  seg.seq = 0;
  seg.ack = 0;
  seg.window = 0;
  seg.payloadLength = 0;
  clearTcpOptions(seg);
  const ok = s.startsWith('Flags [', bodyStart) ? newBody(s, bodyStart, seg, f) : oldBody(s, bodyStart, seg, f);
  if (!ok && s.startsWith('[|tcp]', bodyStart)) f.truncated = true;
  f.kind = ok ? 'tcp' : 'non-tcp';
  return f.kind;
}
