/**
 * The search box's free text (model/filter/classify.ts mode 'text') as a row predicate over the flow columns,
 * without a text per row. A row matches when the lowercase text
 *
 *     `${client endpoint} ${server endpoint} ${kind} ${kind label} ${reason}`
 *
 * (flowRowText below, what the table searched before) contains the search text. Building that text for every row of
 * a million-row log took seconds and kept ~100 MB of strings; here each part is decided once per pooled value
 * (address, port, kind and reason pair) and only rows an exact answer needs build a string:
 *
 * - text without a space lies inside one space-free part: an endpoint or the kind/reason tail. Without ':' '[' ']'
 *   it lies inside an address or a port; `addr:port` with one ':' spans an IPv4 endpoint's colon exactly when the
 *   address ends with what comes before it and the port starts with what comes after.
 * - text with a space lies inside the tail, or its part before the first space ends an endpoint and the rest starts
 *   what follows that endpoint (checked on the row's strings, made only then).
 *
 * Endpoints hold no space (addresses are pooled texts of IP addresses); should a pooled address hold one, every row
 * builds its text as before.
 */
import { KIND_STYLE, kindFromCode } from '../close-kinds';
import { endpointText, type FlowColumns } from '../flow-columns';

/** The searched text of one row (lowercase), as it always was. */
export function flowRowText(c: FlowColumns, row: number): string {
  return `${endpointText(c, row, 'client')} ${endpointText(c, row, 'server')} ${tailText(c, row)}`.toLowerCase();
}

function tailText(c: FlowColumns, row: number): string {
  const k = kindFromCode(c.kind[row]);
  return `${k ? `${k} ${KIND_STYLE[k].label}` : ''} ${c.strings[c.reason[row]]}`;
}

/** `text` is lowercase and trimmed (classifySearch). */
export function freeTextMatcher(c: FlowColumns, text: string): (row: number) => boolean {
  const t = text;
  const strings = c.strings;
  const lower = strings.map((s) => s.toLowerCase());
  if (lower.some((s) => s.includes(' ')) && hasSpacedAddress(c, lower)) return (row) => flowRowText(c, row).includes(t);

  // The kind/reason tail per (kind, reason) pair: few distinct pairs, decided once each.
  const tails = new Map<number, boolean>();
  const tailHas = (row: number): boolean => {
    const key = c.reason[row] * 256 + c.kind[row];
    let v = tails.get(key);
    if (v === undefined) tails.set(key, (v = tailText(c, row).toLowerCase().includes(t)));
    return v;
  };
  const epText = (row: number, side: 'client' | 'server') => endpointText(c, row, side).toLowerCase();

  if (t.includes(' ')) {
    const space = t.indexOf(' ');
    const head = t.slice(0, space);
    const rest = t.slice(space + 1);
    return (row) => {
      if (tailHas(row)) return true;
      const a = epText(row, 'client');
      const b = epText(row, 'server');
      const tail = tailText(c, row).toLowerCase();
      return (a.endsWith(head) && `${b} ${tail}`.startsWith(rest)) || (b.endsWith(head) && tail.startsWith(rest));
    };
  }

  // Addresses whose endpoint text has a ':' or bracket of their own (IPv6): checked on the row's text.
  const v6 = Uint8Array.from(lower, (s) => (/[:[\]]/.test(s) ? 1 : 0));
  if (!/[:[\]]/.test(t)) {
    // Inside an address or a port.
    const ipHas = Uint8Array.from(lower, (s) => (s.includes(t) ? 1 : 0));
    const portHas = portTable((p) => p.includes(t));
    return (row) =>
      ipHas[c.clientIp[row]] === 1 || portHas[c.clientPort[row]] === 1 ||
      ipHas[c.serverIp[row]] === 1 || portHas[c.serverPort[row]] === 1 || tailHas(row);
  }
  // Spans an endpoint's colon (or brackets): IPv4 endpoints from pooled facts, IPv6 ones from their text.
  const colon = t.indexOf(':');
  const oneColon = !/[[\]]/.test(t) && t.indexOf(':', colon + 1) < 0;
  const before = t.slice(0, colon);
  const after = t.slice(colon + 1);
  const ipEnds = oneColon ? Uint8Array.from(lower, (s) => (s.endsWith(before) ? 1 : 0)) : null;
  const portStarts = oneColon ? portTable((p) => p.startsWith(after)) : null;
  const endpointHas = (row: number, side: 'client' | 'server'): boolean => {
    const ip = side === 'client' ? c.clientIp[row] : c.serverIp[row];
    if (v6[ip]) return epText(row, side).includes(t);
    const port = side === 'client' ? c.clientPort[row] : c.serverPort[row];
    return ipEnds !== null && ipEnds[ip] === 1 && portStarts![port] === 1;
  };
  return (row) => endpointHas(row, 'client') || endpointHas(row, 'server') || tailHas(row);
}

function portTable(test: (port: string) => boolean): Uint8Array {
  const out = new Uint8Array(65536);
  for (let p = 0; p < 65536; p++) out[p] = test(String(p)) ? 1 : 0;
  return out;
}

/** Whether a pooled string holding a space is some row's address. */
function hasSpacedAddress(c: FlowColumns, lower: string[]): boolean {
  const spaced = Uint8Array.from(lower, (s) => (s.includes(' ') ? 1 : 0));
  for (let i = 0; i < c.count; i++) if (spaced[c.clientIp[i]] || spaced[c.serverIp[i]]) return true;
  return false;
}
