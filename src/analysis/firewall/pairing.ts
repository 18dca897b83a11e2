/**
 * Firewall connections from syslog: Built (302013/302015/302303) and Teardown (302014/302016/302304) paired by
 * connection ID per device (formats.md §1.2: IDs are unique per device only while the connection lives).
 * Exact duplicate lines (relays repeat them) are folded. Client/server follow the Built direction: inbound =
 * the `for` endpoint initiated, outbound = the `to` endpoint did (Cisco syslog guide, 302013). A Teardown without
 * its Built keeps the printed order and guesses the server by the lower (well-known) port.
 */
import type { FirewallEndpoint, FirewallEvent } from '../../model/firewall';

export interface FirewallConnection {
  /** Index in the list this module returns. */
  index: number;
  device: string;
  connId: string;
  protocol: string;
  direction: 'inbound' | 'outbound' | null;
  built: FirewallEvent | null;
  teardown: FirewallEvent | null;
  /** Initiator and responder, with interface, real address/port and (from the Built) the NAT-mapped ones. */
  client: FirewallEndpoint;
  server: FirewallEndpoint;
  /** How the client was chosen: the Built direction or the port guess. */
  clientBy: 'syslog-direction' | 'port-heuristic';
  /** Time span on the firewall's clock (µs): Built (or Teardown − duration) to Teardown (or Built). */
  startUs: number;
  endUs: number;
  /** 106015 (and other) denies joined to this connection. */
  denies: FirewallEvent[];
}

const sameEp = (a: FirewallEndpoint | null, b: FirewallEndpoint | null) =>
  !!a && !!b && a.addr === b.addr && a.port === b.port && a.iface === b.iface;

function orient(e: FirewallEvent): { client: FirewallEndpoint; server: FirewallEndpoint; by: FirewallConnection['clientBy'] } {
  const src = e.src!;
  const dst = e.dst!;
  if (e.direction === 'inbound') return { client: src, server: dst, by: 'syslog-direction' };
  if (e.direction === 'outbound') return { client: dst, server: src, by: 'syslog-direction' };
  // No direction (a Teardown alone): the well-known (lower) port is the server's.
  const srcServer = src.port >= 0 && (dst.port < 0 || src.port < dst.port);
  return srcServer ? { client: dst, server: src, by: 'port-heuristic' } : { client: src, server: dst, by: 'port-heuristic' };
}

function withMapped(real: FirewallEndpoint, mappedFrom: FirewallEndpoint | null): FirewallEndpoint {
  if (!mappedFrom || real.mappedAddr !== null) return real;
  return { ...real, mappedAddr: mappedFrom.mappedAddr, mappedPort: mappedFrom.mappedPort };
}

/** Pairs connection events in file order (events of several inputs/devices may be interleaved). */
export function pairFirewallConnections(events: readonly FirewallEvent[]): FirewallConnection[] {
  const out: FirewallConnection[] = [];
  const open = new Map<string, FirewallConnection>();
  const lastClosed = new Map<string, FirewallConnection>();
  for (const e of events) {
    if ((e.kind !== 'built' && e.kind !== 'teardown') || e.connId === null || !e.src || !e.dst) continue;
    const key = `${e.device}\u0000${e.protocol}\u0000${e.connId}`;
    if (e.kind === 'built') {
      const prev = open.get(key);
      if (prev && prev.built && sameEp(prev.built.src, e.src) && sameEp(prev.built.dst, e.dst)) continue; // duplicate line
      const o = orient(e);
      const c: FirewallConnection = {
        index: out.length, device: e.device, connId: e.connId, protocol: e.protocol ?? 'tcp', direction: e.direction,
        built: e, teardown: null, client: o.client, server: o.server, clientBy: o.by,
        startUs: e.timeUs, endUs: e.timeUs, denies: [],
      };
      out.push(c);
      open.set(key, c);
    } else {
      const c = open.get(key);
      if (c) {
        c.teardown = e;
        if (Number.isFinite(e.timeUs)) c.endUs = e.timeUs;
        // The Teardown's endpoints carry identities the Built may lack; mapped addresses only come from the Built.
        open.delete(key);
        lastClosed.set(key, c);
        continue;
      }
      const dup = lastClosed.get(key);
      if (dup && dup.teardown && dup.teardown.timeUs === e.timeUs && sameEp(dup.teardown.src, e.src)) continue; // duplicate line
      const o = orient(e);
      const start = Number.isFinite(e.timeUs) && e.durationS >= 0 ? e.timeUs - e.durationS * 1e6 : e.timeUs;
      const t: FirewallConnection = {
        index: out.length, device: e.device, connId: e.connId, protocol: e.protocol ?? 'tcp', direction: null,
        built: null, teardown: e, client: o.client, server: o.server, clientBy: o.by,
        startUs: start, endUs: e.timeUs, denies: [],
      };
      out.push(t);
      lastClosed.set(key, t);
    }
  }
  // Built endpoints carry the mapped addresses; make sure both sides show them.
  for (const c of out) {
    if (c.built) {
      const o = orient(c.built);
      c.client = withMapped(c.client, o.client);
      c.server = withMapped(c.server, o.server);
    }
  }
  return out;
}
