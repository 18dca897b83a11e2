/** How the readable tables (connection-columns.ts, deny-columns.ts) print values more than one column shows. */
import type { Cells } from './table-blocks';

/** A duration in milliseconds as the tables print it. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
}

/**
 * durationText as a cell, with no string for whole milliseconds (a log's durations are whole seconds): what
 * toFixed(3) prints for them is their digits with the point put in.
 */
export function durationCell(c: Cells, ms: number): void {
  if (!(ms >= 0 && ms < 2 ** 31 && ms === Math.floor(ms))) {
    c.ascii(durationText(ms));
    return;
  }
  if (ms < 1000) {
    c.num(ms);
    c.ascii('.000ms');
    return;
  }
  const s = Math.floor(ms / 1000);
  const f = ms - s * 1000;
  c.num(s);
  c.byte(46);
  c.byte(48 + Math.floor(f / 100));
  c.byte(48 + (Math.floor(f / 10) % 10));
  c.byte(48 + (f % 10));
  c.byte(115);
}

/** model/endpoint-text.ts ipPort as bytes (no string per cell): "ip:port", an IPv6 address in brackets. */
export function endpointCell(c: Cells, ip: string, port: number): void {
  const v6 = ip.includes(':');
  if (v6) c.byte(91);
  c.text(ip);
  if (v6) c.byte(93);
  c.byte(58);
  c.num(port);
}
