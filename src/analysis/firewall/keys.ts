/**
 * Keys that join firewall log endpoints with packet endpoints: `ip/port` text with IPv6 written the way the
 * connection reports write it (RFC 5952, via analysis/addresses.ts), and direction-free pair keys.
 */
import type { FirewallEndpoint } from '../../model/firewall';
import { parseIpv6 } from '../../lib/ip-text';
import { ipText } from '../addresses';

const v6 = new Uint8Array(16);
const w = (i: number) => ((v6[i] << 24) | (v6[i + 1] << 16) | (v6[i + 2] << 8) | v6[i + 3]) >>> 0;

/** The address as connection reports print it (IPv6 compressed; names and IPv4 unchanged). */
export function normalIp(addr: string): string {
  if (addr.indexOf(':') < 0) return addr;
  if (!parseIpv6(addr, 0, addr.length, v6)) return addr;
  return ipText(6, w(0), w(4), w(8), w(12));
}

export const endpointKey = (ip: string, port: number): string => `${ip}/${port}`;

export const pairKey = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Real and (when different) mapped keys of a firewall endpoint. */
export function endpointKeys(e: FirewallEndpoint): string[] {
  const real = endpointKey(normalIp(e.addr), e.port);
  if (e.mappedAddr === null) return [real];
  const mapped = endpointKey(normalIp(e.mappedAddr), e.mappedPort);
  return mapped === real ? [real] : [real, mapped];
}

/** Every direction-free key of a client/server pair, real or mapped on either side. */
export function connectionKeys(client: FirewallEndpoint, server: FirewallEndpoint): string[] {
  const out: string[] = [];
  for (const c of endpointKeys(client)) for (const s of endpointKeys(server)) out.push(pairKey(c, s));
  return out;
}
