/**
 * Serialises generated packets as a classic pcap (little-endian magic a1b2c3d4, microseconds,
 * LINKTYPE_ETHERNET) with optional 802.1Q tags, IPv4/IPv6 and TCP with options, with correct IPv4
 * header and TCP checksums. Writes through one reused 8 MiB buffer: memory stays flat at any size.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Conn, Pkt } from './conn';
import { SYN } from './conn';

const BUF_SIZE = 8 << 20;
const MAX_PACKET = 16 + 18 + 40 + 60 + 65535;

export class PcapOut {
  private readonly buf = new Uint8Array(BUF_SIZE);
  private pos = 0;
  private readonly fd: number;
  bytes = 0;
  packets = 0;
  payloadBytes = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    const h = new DataView(this.buf.buffer);
    h.setUint32(0, 0xa1b2c3d4, true);
    h.setUint16(4, 2, true);
    h.setUint16(6, 4, true);
    h.setInt32(8, 0, true);
    h.setUint32(12, 0, true);
    h.setUint32(16, 262144, true);
    h.setUint32(20, 1, true);
    this.pos = 24;
  }

  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  write(c: Conn, p: Pkt): void {
    if (this.pos + MAX_PACKET > BUF_SIZE) this.flush();
    const b = this.buf;
    const plan = c.plan;
    const d = p.dir;
    const me = c.s[d];
    const fromClient = d === 0;
    const src = fromClient ? plan.client : plan.server;
    const dst = fromClient ? plan.server : plan.client;
    const v6 = plan.ipv6;

    // TCP options length.
    const syn = (p.flags & SYN) !== 0;
    let synTs = false;
    let synSack = false;
    let synWs = false;
    let optLen = 0;
    if (syn) {
      const st = plan.style[d];
      if (fromClient) {
        synTs = st === 0;
        synSack = st !== 2;
        synWs = st !== 2;
      } else {
        synTs = c.tsOn;
        synSack = c.sackOn;
        synWs = c.wsOn;
      }
      optLen = 4 + (synTs || synSack ? (synTs ? 12 : 4) : 0) + (synWs ? 4 : 0);
    } else if (!(p.flags & 0x04)) {
      if (c.tsOn) optLen += 12;
      if (p.sackR !== p.sackL) optLen += 12;
    }
    const tcpLen = 20 + optLen + p.len;
    const ipHdr = v6 ? 40 : 20;
    const ethLen = plan.vlan ? 18 : 14;
    const frameLen = ethLen + ipHdr + tcpLen;

    // Record header.
    let o = this.pos;
    const sec = Math.floor(p.t / 1e6);
    const usec = p.t - sec * 1e6;
    w32le(b, o, sec);
    w32le(b, o + 4, usec);
    w32le(b, o + 8, frameLen);
    w32le(b, o + 12, frameLen);
    o += 16;

    // Ethernet (+ 802.1Q).
    const dmac = fromClient ? plan.server.mac : plan.client.mac;
    const smac = fromClient ? plan.client.mac : plan.server.mac;
    b.set(dmac, o);
    b.set(smac, o + 6);
    o += 12;
    if (plan.vlan) {
      b[o] = 0x81;
      b[o + 1] = 0x00;
      b[o + 2] = plan.vlan >>> 8;
      b[o + 3] = plan.vlan & 255;
      o += 4;
    }
    b[o] = v6 ? 0x86 : 0x08;
    b[o + 1] = v6 ? 0xdd : 0x00;
    o += 2;

    // IP.
    const ipStart = o;
    if (v6) {
      const fl = me.flowLabel;
      b[o] = 0x60 | 0;
      b[o + 1] = (fl >>> 16) & 0x0f;
      b[o + 2] = (fl >>> 8) & 255;
      b[o + 3] = fl & 255;
      w16(b, o + 4, tcpLen);
      b[o + 6] = 6;
      b[o + 7] = src.ttl;
      b.set(src.addr, o + 8);
      b.set(dst.addr, o + 24);
      o += 40;
    } else {
      b[o] = 0x45;
      b[o + 1] = 0;
      w16(b, o + 2, 20 + tcpLen);
      w16(b, o + 4, me.ipId);
      me.ipId = (me.ipId + 1) & 0xffff;
      b[o + 6] = 0x40; // DF
      b[o + 7] = 0;
      b[o + 8] = src.ttl;
      b[o + 9] = 6;
      b[o + 10] = 0;
      b[o + 11] = 0;
      b.set(src.addr, o + 12);
      b.set(dst.addr, o + 16);
      w16(b, o + 10, ~sum16(b, o, o + 20, 0) & 0xffff);
      o += 20;
    }

    // TCP.
    const tcpStart = o;
    w16(b, o, fromClient ? plan.clientPort : plan.server.port);
    w16(b, o + 2, fromClient ? plan.server.port : plan.clientPort);
    w32(b, o + 4, p.seq);
    w32(b, o + 8, p.ack);
    b[o + 12] = ((20 + optLen) >>> 2) << 4;
    b[o + 13] = p.flags;
    w16(b, o + 14, p.win);
    b[o + 16] = 0;
    b[o + 17] = 0;
    b[o + 18] = 0;
    b[o + 19] = 0;
    o += 20;
    if (syn) {
      b[o] = 2; b[o + 1] = 4; w16(b, o + 2, plan.mss[d]); o += 4;
      const tsVal = tsOf(c, d, p.t);
      const tsEcr = fromClient ? 0 : tsOf(c, 0, plan.startUs);
      if (synTs && synSack) {
        b[o] = 4; b[o + 1] = 2; b[o + 2] = 8; b[o + 3] = 10; w32(b, o + 4, tsVal); w32(b, o + 8, tsEcr); o += 12;
      } else if (synTs) {
        b[o] = 1; b[o + 1] = 1; b[o + 2] = 8; b[o + 3] = 10; w32(b, o + 4, tsVal); w32(b, o + 8, tsEcr); o += 12;
      } else if (synSack) {
        b[o] = 1; b[o + 1] = 1; b[o + 2] = 4; b[o + 3] = 2; o += 4;
      }
      if (synWs) {
        b[o] = 1; b[o + 1] = 3; b[o + 2] = 3; b[o + 3] = plan.wscale[d]; o += 4;
      }
    } else if (optLen > 0) {
      if (c.tsOn) {
        const peerDelay = fromClient ? plan.rttUs : plan.srvUs;
        b[o] = 1; b[o + 1] = 1; b[o + 2] = 8; b[o + 3] = 10;
        w32(b, o + 4, tsOf(c, d, p.t));
        w32(b, o + 8, tsOf(c, 1 - d, Math.max(plan.startUs, p.t - peerDelay)));
        o += 12;
      }
      if (p.sackR !== p.sackL) {
        b[o] = 1; b[o + 1] = 1; b[o + 2] = 5; b[o + 3] = 10; w32(b, o + 4, p.sackL); w32(b, o + 8, p.sackR);
        o += 12;
      }
    }
    if (p.len > 0) {
      plan.content[d].fill(b, o, p.off, p.len);
      o += p.len;
    }
    // Checksum over pseudo header + segment.
    let s = 6 + tcpLen;
    const addrLen = v6 ? 16 : 4;
    const srcAt = v6 ? ipStart + 8 : ipStart + 12;
    s = sum16(b, srcAt, srcAt + 2 * addrLen, s);
    s = sum16(b, tcpStart, o, s);
    w16(b, tcpStart + 16, ~s & 0xffff || 0xffff);
    this.pos = o;
    this.packets++;
    this.payloadBytes += p.len;
  }
}

function tsOf(c: Conn, d: number, t: number): number {
  return (c.s[d].tsBase + Math.floor((t - c.plan.startUs) / 1000)) >>> 0;
}

function w16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}
function w32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}
function w32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
  b[o + 2] = v >>> 16;
  b[o + 3] = v >>> 24;
}

/** One's-complement sum of big-endian 16-bit words of b[start, end) added to s, folded. */
function sum16(b: Uint8Array, start: number, end: number, s: number): number {
  let i = start;
  const even = end - ((end - start) & 1);
  for (; i < even; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
