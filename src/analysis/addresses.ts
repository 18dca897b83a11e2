/** Address words (as stored on a Conn) to text: dotted IPv4, RFC 5952 compressed IPv6. */
export function ipText(v: number, w0: number, w1: number, w2: number, w3: number): string {
  if (v === 4) return `${w0 >>> 24}.${(w0 >>> 16) & 255}.${(w0 >>> 8) & 255}.${w0 & 255}`;
  const g = GROUPS;
  g[0] = w0 >>> 16; g[1] = w0 & 0xffff; g[2] = w1 >>> 16; g[3] = w1 & 0xffff;
  g[4] = w2 >>> 16; g[5] = w2 & 0xffff; g[6] = w3 >>> 16; g[7] = w3 & 0xffff;
  // IPv4-mapped ::ffff:a.b.c.d
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6] >>> 8}.${g[6] & 255}.${g[7] >>> 8}.${g[7] & 255}`;
  }
  // The longest run of two or more zero groups (the first of equal ones) becomes "::" (RFC 5952).
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestLen = j - i; bestAt = i; }
    i = j;
  }
  // Built by appending (no array per address: the command line's table formats one or two per row).
  let text = '';
  let colon = false;
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      text += '::';
      colon = false;
      i += bestLen - 1;
      continue;
    }
    if (colon) text += ':';
    text += g[i].toString(16);
    colon = true;
  }
  return text;
}

const GROUPS = new Uint16Array(8);
