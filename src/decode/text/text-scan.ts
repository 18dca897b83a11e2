/** What every text reader (syslog fields, text-capture lines) shares to scan a line without making substrings. */

export const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Where a reader stopped: the second result of a reader (readNum, readUint, trim, ...), written into an object the
 * caller owns (each parser module keeps one), so no result object is made per field and no module state is shared.
 */
export interface Cursor {
  end: number;
}

export function createCursor(): Cursor {
  return { end: 0 };
}

/** Unsigned decimal at s[a..] up to the first non-digit (at most `b`); -1 when none. `at.end` gets its end. */
export function readUint(s: string, a: number, b: number, at: Cursor): number {
  let v = 0;
  let i = a;
  while (i < b) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    i++;
  }
  at.end = i;
  return i === a ? -1 : v;
}
