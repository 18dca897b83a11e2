/**
 * Display filters that find a connection in Wireshark/tshark: by its stream number (`tcp.stream eq N`, tshark's
 * numbering, ConnectionReport.tcpStream) and by its 4-tuple (Wireshark's own conversation filter form, which also
 * works in another capture of the same traffic or after the numbering changed).
 */
import type { Endpoint } from '../model/report';

export function streamFilter(tcpStream: number): string {
  return `tcp.stream eq ${tcpStream}`;
}

export function tupleFilter(client: Endpoint, server: Endpoint): string {
  const ip = client.ip.includes(':') || server.ip.includes(':') ? 'ipv6.addr' : 'ip.addr';
  return `(${ip} eq ${client.ip} and ${ip} eq ${server.ip}) and (tcp.port eq ${client.port} and tcp.port eq ${server.port})`;
}
