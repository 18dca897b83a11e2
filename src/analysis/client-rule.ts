/**
 * Who is the client of a connection. The rule, in order (README: "How the client is chosen"):
 *  1. "syn":    the sender of a SYN without ACK is the client (the first such SYN seen).
 *  2. "syn-ack": otherwise the sender of a SYN+ACK is the server.
 *  3. "port-heuristic": otherwise (capture started mid-connection) ports decide, as Zeek does for
 *     partial connections: if exactly one side uses a well-known server port (the list below, the
 *     ports Zeek's default analyzers register) that side is the server; if both do, the lower port
 *     is the server; if neither does but exactly one port is below 1024, that side is the server.
 *  4. "first-packet": otherwise the sender of the first packet seen is the client.
 * Zeek's own originator (used only for zeekState/history) follows Zeek exactly instead: see zeek.ts.
 */
import { ACK, SYN } from '../model/segment';
import type { Conn } from './conn-state';

// Ports registered by Zeek's protocol analyzers ("likely_server_ports"), TCP. IRC's 6666-6669 are left
// out: Zeek's own test for this rule runs without the IRC analyzer, and those ports are often clients'.
const SERVER_PORTS = new Set<number>([
  21, 22, 23, 25, 53, 80, 81, 88, 102, 110, 111, 113, 135, 139, 143, 389, 443, 445, 465, 502, 513, 514,
  563, 585, 587, 614, 631, 636, 750, 853, 989, 990, 992, 993, 995, 1080, 1433, 1521, 1883, 2049, 2811,
  3128, 3268, 3306, 3389, 4444, 5060, 5222, 5223, 5269, 5432, 5900, 6379, 8000, 8080,
  8443, 8888, 9200, 11211, 20000, 27017,
]);

export function isLikelyServerPort(port: number): boolean {
  return SERVER_PORTS.has(port);
}

export type ClientBy = 'syn' | 'syn-ack' | 'port-heuristic' | 'first-packet';

/** The answers chooseClient gives, made once (it runs for every connection): [by][side]. */
const ANSWERS: Record<ClientBy, readonly [{ side: number; by: ClientBy }, { side: number; by: ClientBy }]> = {
  syn: [{ side: 0, by: 'syn' }, { side: 1, by: 'syn' }],
  'syn-ack': [{ side: 0, by: 'syn-ack' }, { side: 1, by: 'syn-ack' }],
  'port-heuristic': [{ side: 0, by: 'port-heuristic' }, { side: 1, by: 'port-heuristic' }],
  'first-packet': [{ side: 0, by: 'first-packet' }, { side: 1, by: 'first-packet' }],
};

/** Decide the client side (0 = a, the first packet's sender; 1 = b). The answer is a shared object: read, do not change. */
export function chooseClient(c: Conn): { side: number; by: ClientBy } {
  // The first SYN (without ACK) and SYN+ACK are remembered per side by the tracker.
  if (c.a.synSeen !== c.b.synSeen) return ANSWERS.syn[c.a.synSeen ? 0 : 1];
  if (c.a.synSeen && c.b.synSeen) {
    // Simultaneous open or SYN from both: the side whose SYN came first.
    return ANSWERS.syn[c.firstSynSide];
  }
  if (c.a.synAckSeen !== c.b.synAckSeen) return ANSWERS['syn-ack'][c.a.synAckSeen ? 1 : 0];
  const pa = isLikelyServerPort(c.aPort);
  const pb = isLikelyServerPort(c.bPort);
  const ports = ANSWERS['port-heuristic'];
  if (pa && !pb) return ports[1];
  if (pb && !pa) return ports[0];
  if (pa && pb && c.aPort !== c.bPort) return ports[c.aPort < c.bPort ? 1 : 0];
  if ((c.aPort < 1024) !== (c.bPort < 1024)) return ports[c.aPort < 1024 ? 1 : 0];
  return ANSWERS['first-packet'][0];
}

/** SYN without ACK. */
export function isPlainSyn(flags: number): boolean {
  return (flags & (SYN | ACK)) === SYN;
}
