/** A packet's re-read details in one line: "TTL 64 · IP length 60 · MSS 1460 · WS 7 · SACK_PERM · TS 123/0". */
import type { PacketDetail } from '../engine/api';

export function describeDetail(d: PacketDetail): string {
  const parts: string[] = [];
  if (d.ttl !== null) parts.push(`${d.ipVersion === 6 ? 'hop limit' : 'TTL'} ${d.ttl}`);
  if (d.mss !== null) parts.push(`MSS ${d.mss}`);
  if (d.windowScale !== null) parts.push(`WS ${d.windowScale}`);
  if (d.sackPermitted) parts.push('SACK_PERM');
  if (d.sack.length) parts.push(`SACK ${d.sack.map(([l, r]) => `${l}-${r}`).join(' ')}`);
  if (d.tsVal !== null) parts.push(`TS ${d.tsVal}/${d.tsEcr ?? 0}`);
  return parts.join(' · ');
}
