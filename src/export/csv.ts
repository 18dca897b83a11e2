/** The flow table as CSV (RFC 4180), one row per connection, the columns of the explorer's table. */
import type { ConnectionReport } from '../model/report';

const COLUMNS: [string, (c: ConnectionReport) => string | number | boolean | null | undefined][] = [
  ['id', (c) => c.id],
  ['client', (c) => `${c.client.ip}:${c.client.port}`],
  ['server', (c) => `${c.server.ip}:${c.server.port}`],
  ['start', (c) => c.start],
  ['end', (c) => c.end],
  ['packets_client', (c) => c.packets.client],
  ['packets_server', (c) => c.packets.server],
  ['bytes_client', (c) => c.payloadBytes.client],
  ['bytes_server', (c) => c.payloadBytes.server],
  ['handshake', (c) => c.handshake],
  ['close_kind', (c) => c.close?.kind],
  ['initiator', (c) => c.close?.initiator],
  ['zeek_state', (c) => c.close?.zeekState],
  ['history', (c) => c.close?.history],
  ['anomalies', (c) => c.close?.anomalies.length],
  ['firewall_teardown', (c) => c.firewall?.teardown?.reason],
  ['firewall_denies', (c) => c.firewall?.denies.length],
  ['explanation', (c) => c.close?.explanation],
  ['files', (c) => c.files.join(' ')],
];

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // Quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function connectionsToCsv(connections: ConnectionReport[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const c of connections) lines.push(COLUMNS.map(([, get]) => cell(get(c))).join(','));
  return lines.join('\r\n') + '\r\n';
}
