/**
 * A packet's re-read details in one line: "TTL 64 · MSS 1460 · WS ×128 (shift 7) · SACK_PERM · TS 123/0". The window
 * scale as Wireshark says it: the multiplier, not the shift count (a shift over 14 counts as 14, RFC 7323).
 */
import type { PacketDetail } from '../engine/api';

export function describeDetail(d: PacketDetail): string {
  const parts: string[] = [];
  if (d.ttl !== null) parts.push(`${d.ipVersion === 6 ? 'hop limit' : 'TTL'} ${d.ttl}`);
  if (d.mss !== null) parts.push(`MSS ${d.mss}`);
  if (d.windowScale !== null) parts.push(`WS ×${2 ** Math.min(d.windowScale, 14)} (shift ${d.windowScale})`);
  if (d.sackPermitted) parts.push('SACK_PERM');
  if (d.sack.length) parts.push(`SACK ${d.sack.map(([l, r]) => `${l}-${r}`).join(' ')}`);
  if (d.tsVal !== null) parts.push(`TS ${d.tsVal}/${d.tsEcr ?? 0}`);
  return parts.join(' · ');
}
