/** How the readable tables (connection-columns.ts, deny-columns.ts) print values more than one column shows. */
import type { Cells } from './table-blocks';

/** A duration in milliseconds as the tables print it. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
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
