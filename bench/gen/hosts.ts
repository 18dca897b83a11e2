/**
 * Address pools for the generated traffic (documentation / private ranges only): clients in
 * 10.0.0.0/8 and 2001:db8:c::/48, servers in 192.0.2.0/24, 203.0.113.0/24 and 2001:db8:5::/48.
 * Clients hand out ephemeral ports sequentially (like Linux), so 4-tuples never repeat.
 */
import { Rng } from './prng';

export interface Host {
  addr: Uint8Array; // 4 or 16 bytes
  mac: Uint8Array;
  /** TTL / hop limit of its packets as seen at the capture point. */
  ttl: number;
}

export interface Server extends Host {
  port: number;
}

export interface Client extends Host {
  nextPort: number;
}

const SERVER_PORTS = [443, 443, 443, 443, 443, 80, 443, 8443, 80, 22, 443, 5432, 443, 80, 25, 443];

function mac(r: Rng, first: number): Uint8Array {
  const m = new Uint8Array(6);
  m[0] = first;
  for (let i = 1; i < 6; i++) m[i] = r.int(0, 255);
  return m;
}

export class HostPools {
  readonly v4Servers: Server[] = [];
  readonly v6Servers: Server[] = [];
  readonly v4Clients: Client[] = [];
  readonly v6Clients: Client[] = [];
  /** The router every client packet comes through at the capture point. */
  readonly gatewayMac: Uint8Array;

  constructor(seed: number) {
    const r = new Rng(seed, 0x4057);
    this.gatewayMac = mac(r, 0x00);
    for (let i = 0; i < 48; i++) {
      const addr = new Uint8Array(i < 24 ? [192, 0, 2, 10 + i] : [203, 0, 113, 10 + i - 24]);
      this.v4Servers.push({ addr, mac: mac(r, 0x52), ttl: 64, port: SERVER_PORTS[i % SERVER_PORTS.length] });
    }
    for (let i = 0; i < 10; i++) {
      const addr = new Uint8Array(16);
      addr.set([0x20, 0x01, 0x0d, 0xb8, 0, 5, 0, 0], 0);
      addr[15] = 0x10 + i;
      this.v6Servers.push({ addr, mac: mac(r, 0x52), ttl: 64, port: SERVER_PORTS[(i * 3) % SERVER_PORTS.length] });
    }
    for (let i = 0; i < 6000; i++) {
      const addr = new Uint8Array([10, r.int(1, 60), r.int(0, 255), r.int(1, 254)]);
      this.v4Clients.push({ addr, mac: this.gatewayMac, ttl: r.pick([64, 128, 255]) - r.int(3, 20), nextPort: r.int(32768, 60999) });
    }
    for (let i = 0; i < 1200; i++) {
      const addr = new Uint8Array(16);
      addr.set([0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, r.int(0, 255), r.int(0, 255)], 0);
      for (let k = 8; k < 16; k++) addr[k] = r.int(0, 255);
      this.v6Clients.push({ addr, mac: this.gatewayMac, ttl: r.pick([64, 128]) - r.int(3, 20), nextPort: r.int(32768, 60999) });
    }
  }

  /** A new ephemeral port for this client (sequential, wrapping in 32768..60999). */
  static takePort(c: Client, r: Rng): number {
    const p = c.nextPort;
    c.nextPort += r.int(1, 3);
    if (c.nextPort > 60999) c.nextPort = 32768 + (c.nextPort - 61000);
    return p;
  }
}
