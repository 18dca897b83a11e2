/**
 * An endpoint as every view and output prints it: "ip:port", an IPv6 address in brackets ("[2001:db8::1]:443") so
 * its colons are not read as the port's. The CLI tables write the same as bytes (cli/cell-text.ts endpointCell).
 */
export function ipPort(ip: string, port: number | string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** A deny's endpoint: ipPort, or the address alone for a protocol without ports (port < 0). */
export function denyEndpointText(e: { ip: string; port: number }): string {
  return e.port < 0 ? e.ip : ipPort(e.ip, e.port);
}
