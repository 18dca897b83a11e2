/**
 * Finds the Cisco message tag in a syslog line: `%ASA-6-302013:` and its variants (formats.md §1.1):
 * `%FTD-6-302014:`, `%ASA-session-5-106100:`, `%FTD--6-852002:`, `%FTD<Up>-4-313005:`, `%PIX-7-710001:`, `%NGIPS-1-430003:`,
 * a missing colon after the ID, and (relayed through some collectors) the tag without its `%`.
 * The message ID, not the level, identifies the message (devices may re-level any message).
 */

export interface TagMatch {
  /** Index of the tag's first character (`%` or the facility's first letter); the header is before it. */
  tagPos: number;
  /** Six-digit message ID as a number. */
  id: number;
  /** Level digit before the ID; 0 when not printed. */
  severity: number;
  /** Index of the message text after `NNNNNN:` and spaces. */
  bodyPos: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function facilityAt(s: string, i: number): number {
  // Returns the facility's length when s[i..] starts with a firewall facility, else 0.
  const c = s.charCodeAt(i);
  if (c === 65) return s.startsWith('ASA', i) ? 3 : 0;
  if (c === 70) return s.startsWith('FTD', i) || s.startsWith('FDT', i) ? 3 : s.startsWith('FWSM', i) ? 4 : 0;
  if (c === 80) return s.startsWith('PIX', i) ? 3 : 0;
  if (c === 78) return s.startsWith('NGIPS', i) ? 5 : 0; // FTD/NGIPS sensors' connection events (430002/430003)
  return 0;
}

/** `<PRI>1 `: an RFC 5424 header (the version digit after the PRI). */
function isRfc5424(s: string): boolean {
  if (s.charCodeAt(0) !== 60) return false;
  const gt = s.indexOf('>');
  return gt > 1 && gt <= 4 && s.charCodeAt(gt + 1) === 49 && s.charCodeAt(gt + 2) === 32;
}

/**
 * RFC 5424 with the tag as APP-NAME (`<166>1 2024-03-05T14:22:01Z host %ASA-6-302013 - - [sd] Built ...`):
 * skips PROCID, MSGID and STRUCTURED-DATA (`-` or `[id k="v"]...`, `\]` escaped in values) after the tag at
 * s[i..], and a BOM before the MSG. Returns where the MSG starts.
 */
function afterStructuredData(s: string, i: number): number {
  let p = i;
  for (let field = 0; field < 2; field++) {
    while (s.charCodeAt(p) === 32) p++;
    while (p < s.length && s.charCodeAt(p) !== 32) p++;
  }
  while (s.charCodeAt(p) === 32) p++;
  if (s.charCodeAt(p) === 45) p++;
  else {
    while (s.charCodeAt(p) === 91) {
      let q = p + 1;
      let quoted = false;
      for (; q < s.length; q++) {
        const c = s.charCodeAt(q);
        if (c === 92) q++;
        else if (c === 34) quoted = !quoted;
        else if (c === 93 && !quoted) break;
      }
      p = q + 1;
    }
  }
  if (s.charCodeAt(p) === 32) p++;
  if (s.charCodeAt(p) === 0xfeff) p++;
  return Math.min(p, s.length);
}

/** After the facility at s[i..]: find `-D-NNNNNN` within a few characters. */
function idAfter(s: string, i: number, tagPos: number, out: TagMatch): boolean {
  const limit = Math.min(s.length - 7, i + 24);
  for (let k = i; k <= limit; k++) {
    if (s.charCodeAt(k) !== 45) continue;
    const c1 = s.charCodeAt(k + 1);
    if (!isDigit(c1)) continue;
    let v = 0;
    let n = 0;
    while (n < 6 && isDigit(s.charCodeAt(k + 1 + n))) {
      v = v * 10 + (s.charCodeAt(k + 1 + n) - 48);
      n++;
    }
    if (n !== 6 || isDigit(s.charCodeAt(k + 7))) continue;
    out.tagPos = tagPos;
    out.id = v;
    out.severity = k > 0 && isDigit(s.charCodeAt(k - 1)) ? s.charCodeAt(k - 1) - 48 : 0;
    let b = k + 7;
    if (s.charCodeAt(b) === 58) b++;
    else if (isRfc5424(s)) b = afterStructuredData(s, b);
    while (b < s.length && s.charCodeAt(b) === 32) b++;
    out.bodyPos = b;
    return true;
  }
  return false;
}

/**
 * The common shape `%ASA-D-NNNNNN: ` (or %FTD-) at s[p..], read with fixed offsets: nearly every line, and
 * several times cheaper than the general search below. False leaves the general search to decide.
 */
function canonicalAt(s: string, p: number, out: TagMatch): boolean {
  const f = s.charCodeAt(p + 1);
  if (f === 65) {
    if (s.charCodeAt(p + 2) !== 83 || s.charCodeAt(p + 3) !== 65) return false; // ASA
  } else if (f === 70) {
    if (s.charCodeAt(p + 2) !== 84 || s.charCodeAt(p + 3) !== 68) return false; // FTD
  } else return false;
  if (s.charCodeAt(p + 4) !== 45 || s.charCodeAt(p + 6) !== 45) return false;
  const level = s.charCodeAt(p + 5) - 48;
  if (level < 0 || level > 9) return false;
  let v = 0;
  for (let k = p + 7; k < p + 13; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return false;
    v = v * 10 + d;
  }
  if (s.charCodeAt(p + 13) !== 58) return false; // a 7th digit or no colon: the general search decides
  let b = p + 14;
  while (s.charCodeAt(b) === 32) b++;
  out.tagPos = p;
  out.id = v;
  out.severity = level;
  out.bodyPos = b;
  return true;
}

/** Finds the tag; false when the line has none. */
export function findTag(s: string, out: TagMatch): boolean {
  let p = s.indexOf('%');
  if (p >= 0 && canonicalAt(s, p, out)) return true;
  while (p >= 0) {
    const f = facilityAt(s, p + 1);
    if (f > 0 && idAfter(s, p + 1 + f, p, out)) return true;
    p = s.indexOf('%', p + 1);
  }
  // Tag without `%` (some relays drop it): `ASA-6-302013:` at the start or after a space/`:`/`|`.
  for (const fac of ['ASA-', 'FTD-']) {
    let q = s.indexOf(fac);
    while (q >= 0) {
      const before = q === 0 ? 32 : s.charCodeAt(q - 1);
      if ((before === 32 || before === 58 || before === 124 || before === 62) && idAfter(s, q + 3, q, out)) return true;
      q = s.indexOf(fac, q + 1);
    }
  }
  return false;
}
