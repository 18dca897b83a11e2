/**
 * CSV exports with a header row (RFC 4180: `,` or `;` or tab between fields, `"` around fields, `""` inside one;
 * a quoted field may span lines). Splunk's export (`"_serial","_time","host","source","sourcetype","_raw"`) and
 * Graylog's (`"timestamp","source","message"`) put the syslog line in one column: that column is the message,
 * `_time`/`timestamp` the container's time and `host`/`source` its host.
 * A record open at the end of a line waits for the next line (at most MAX_RECORD characters, then it is cut
 * and reported). Not handled: exports without a header row.
 */

const MESSAGE_COLUMNS = ['_raw', 'message', 'raw', 'msg', 'event.original', 'full_message', 'log'];
const TIME_COLUMNS = ['_time', 'timestamp', '@timestamp', 'time', 'date'];
const HOST_COLUMNS = ['host', 'hostname', 'source', 'host.name', 'device'];

export const MAX_RECORD = 256 * 1024;

export interface CsvLayout {
  delimiter: number;
  message: number;
  time: number;
  host: number;
}

/** Splits one record into fields; `open` is true when a quoted field is still open at the end. */
export function splitCsv(s: string, delimiter: number): { fields: string[]; open: boolean } {
  const fields: string[] = [];
  let i = 0;
  const n = s.length;
  for (;;) {
    if (s.charCodeAt(i) === 34) {
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) {
          fields.push(out + s.slice(j));
          return { fields, open: true };
        }
        out += s.slice(j, q);
        if (s.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept (lenient, as spreadsheets are).
      let k = j;
      while (k < n && s.charCodeAt(k) !== delimiter) k++;
      fields.push(out + s.slice(j, k));
      if (k >= n) return { fields, open: false };
      i = k + 1;
    } else {
      let k = i;
      while (k < n && s.charCodeAt(k) !== delimiter) k++;
      fields.push(s.slice(i, k));
      if (k >= n) return { fields, open: false };
      i = k + 1;
    }
  }
}

/** The layout of a header row, or null when it is no header we know (no message column). */
export function csvLayout(header: string): CsvLayout | null {
  const line = header.charCodeAt(0) === 0xfeff ? header.slice(1) : header;
  let best: CsvLayout | null = null;
  for (const delimiter of [44, 59, 9]) {
    const { fields, open } = splitCsv(line, delimiter);
    if (open || fields.length < 2) continue;
    const names = fields.map((f) => f.trim().toLowerCase());
    const find = (list: string[]) => {
      for (const want of list) {
        const i = names.indexOf(want);
        if (i >= 0) return i;
      }
      return -1;
    };
    const message = find(MESSAGE_COLUMNS);
    if (message < 0) continue;
    const layout = { delimiter, message, time: find(TIME_COLUMNS), host: find(HOST_COLUMNS) };
    if (!best) best = layout;
  }
  return best;
}
