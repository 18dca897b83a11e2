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
import { clearTcpOptions, type TcpSegment } from '../../model/segment';
import { newBody, oldBody, readNum, skipSpaces } from './capture-body';
import { parseEndpointText } from '../../lib/ip-text';
import type { LineFacts, LineKind } from './capture-facts';
import { createCursor, isDigit } from './text-scan';

/** Second results of the readers (where a number ended, an endpoint's port), reused for every line. */
const at = createCursor();
const port = { value: 0 };

/** The digits of a fraction at s[k..] as microseconds (the first 9 digits count); `at.end` gets their end. */
function readFraction(s: string, k: number): number {
  let frac = 0;
  let digits = 0;
  while (k < s.length && isDigit(s.charCodeAt(k))) {
    if (digits < 9) {
      frac = frac * 10 + (s.charCodeAt(k) - 48);
      digits++;
    }
    k++;
  }
  at.end = k;
  return digits ? frac * 10 ** (6 - digits) : 0;
}

/** `HH:MM:SS[.frac]` at i: sets f.todUs and returns the end, or -1. */
function readTimeOfDay(s: string, i: number, f: LineFacts): number {
  const h = readNum(s, i, at);
  if (h < 0 || h > 23 || at.end - i > 2 || s.charCodeAt(at.end) !== 58) return -1;
  const m = readNum(s, at.end + 1, at);
  if (m < 0 || m > 59 || s.charCodeAt(at.end) !== 58) return -1;
  const sec = readNum(s, at.end + 1, at);
  if (sec < 0 || sec > 60) return -1;
  let e = at.end;
  let frac = 0;
  if (s.charCodeAt(e) === 46) {
    frac = readFraction(s, e + 1);
    e = at.end;
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
    const y = readNum(s, i, at);
    const mo = readNum(s, i + 5, at);
    const d = readNum(s, i + 8, at);
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
  const sec = readNum(s, i, at);
  if (sec >= 0 && at.end - i >= 9 && s.charCodeAt(at.end) === 46) {
    const from = at.end + 1;
    const frac = readFraction(s, from);
    const k = at.end;
    if (s.charCodeAt(k) === 32 && k > from) {
      f.stamp = 'epoch';
      f.epochUs = sec * 1e6 + frac;
      return k;
    }
  }
  return i;
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
    const v = readNum(s, i, at);
    const c = s.charCodeAt(at.end);
    if (c === 58 && s.charCodeAt(at.end + 1) === 32) {
      f.frame = v;
      i = skipSpaces(s, at.end + 1);
    } else if (c === 32 && at.end - i < 9 && !s.startsWith(' packet', at.end)) {
      f.frame = v;
      i = skipSpaces(s, at.end);
    }
  }
  const afterStamp = readStamp(s, i, f);
  const arrow = s.indexOf(' > ', afterStamp);
  if (arrow < 0) {
    if (f.stamp !== 'none') f.kind = 'stamp-only';
    return f.kind;
  }
  // Find `SRC > DST:` whose two tokens are addresses with ports (skips MAC `a > b,` pairs of -e).
  let arrowAt = arrow;
  let version = 0;
  let bodyStart = -1;
  while (arrowAt >= 0) {
    let a = arrowAt - 1;
    while (a >= afterStamp && s.charCodeAt(a) !== 32) a--;
    let b = arrowAt + 3;
    while (b < s.length && s.charCodeAt(b) !== 32) b++;
    if (s.charCodeAt(b - 1) === 58) {
      const v1 = parseEndpointText(s, a + 1, arrowAt, seg.srcAddr, port);
      const p1 = port.value;
      if (v1) {
        const v2 = parseEndpointText(s, arrowAt + 3, b - 1, seg.dstAddr, port);
        if (v2 === v1) {
          version = v1;
          seg.srcPort = p1;
          seg.dstPort = port.value;
          bodyStart = skipSpaces(s, b);
          break;
        }
      }
    }
    arrowAt = s.indexOf(' > ', arrowAt + 3);
  }
  if (bodyStart < 0) {
    f.kind = 'non-tcp';
    return f.kind;
  }
  seg.ipVersion = version;
  const ipNote = s.lastIndexOf('ttl ', arrow);
  if (ipNote > afterStamp) f.ttl = readNum(s, skipSpaces(s, ipNote + 4), at);
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
