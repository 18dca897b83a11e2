/**
 * The time columns of log exports: ISO 8601 as exporters write it (`2024-03-05T14:22:01.000Z` Filebeat/Elastic
 * `@timestamp` and Graylog `timestamp`; `2024-03-05T14:22:01.000+00:00` or `+0000` Splunk `_time`; a space for the
 * `T`, as Kiwi and spreadsheet round trips write it; ` UTC` after it), or epoch seconds / milliseconds.
 * Returns epoch µs, NaN when the text is none of these. A stamp without a zone is read with `localOffsetMin`
 * (the zone option), else as UTC.
 */

const d = (s: string, i: number, n: number): number => {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};

export function parseContainerStamp(text: string, localOffsetMin: (utcMs: number) => number): number {
  const s = text.trim();
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1e6);
  if (/^\d{12,13}$/.test(s)) return Number(s) * 1000;
  const y = d(s, 0, 4);
  const mo = d(s, 5, 2);
  const day = d(s, 8, 2);
  const c = s.charCodeAt(10);
  if (y < 1970 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || mo < 1 || mo > 12 || day < 1 || day > 31) return NaN;
  if (c !== 84 && c !== 32 && c !== 9) return NaN;
  const h = d(s, 11, 2);
  const mi = d(s, 14, 2);
  const sec = d(s, 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  let p = 19;
  let fracUs = 0;
  if (s.charCodeAt(p) === 46 || s.charCodeAt(p) === 44) {
    let n = 0;
    p++;
    while (p < s.length && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) {
      if (n < 6) fracUs = fracUs * 10 + (s.charCodeAt(p) - 48);
      n++;
      p++;
    }
    fracUs *= 10 ** (6 - Math.min(n, 6));
  }
  const localMs = Date.UTC(y, mo - 1, day, h, mi, sec);
  while (s.charCodeAt(p) === 32) p++;
  const z = s.slice(p);
  let offsetMin: number;
  if (z === 'Z' || z === 'UTC' || z === 'GMT' || z === '+00' ) offsetMin = 0;
  else if (z === '') offsetMin = localOffsetMin(localMs);
  else {
    const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
    if (!m) return NaN;
    offsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  }
  return (localMs - offsetMin * 60_000) * 1000 + fracUs;
}
