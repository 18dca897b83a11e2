/**
 * Writes a classic pcap (Ethernet, IPv4, TCP) with `n` short connections for browser load tests:
 * handshake, one data segment each way, then a clean close, a FIN then RST, a reset or a refusal.
 */
import { writeFileSync } from 'node:fs';

export function makeManyConnectionsPcap(path: string, n: number): { connections: number; packets: number } {
  const FRAME = 14 + 20 + 20;
  const frames: { t: number; src: number; dst: number; sp: number; dp: number; flags: number; seq: number; ack: number; len: number }[] = [];
  const server = 0x0a000001; // 10.0.0.1
  let t = 1_700_000_000 * 1e6;
  for (let i = 0; i < n; i++) {
    const client = 0xc0a80000 + (i % 65000) + 1; // 192.168.x.y
    const cp = 20000 + (i % 40000);
    const sp = i % 5 === 0 ? 80 : 443;
    const c = 1000 + i, s = 5000 + i;
    const C = (flags: number, seq: number, ack: number, len = 0) => frames.push({ t: (t += 50), src: client, dst: server, sp: cp, dp: sp, flags, seq, ack, len });
    const S = (flags: number, seq: number, ack: number, len = 0) => frames.push({ t: (t += 50), src: server, dst: client, sp, dp: cp, flags, seq, ack, len });
    const kind = i % 10;
    C(0x02, c, 0);
    if (kind === 9) { S(0x14, 0, c + 1); continue; } // refused
    S(0x12, s, c + 1);
    C(0x10, c + 1, s + 1);
    C(0x18, c + 1, s + 1, 100);
    S(0x18, s + 1, c + 101, 200);
    if (kind === 8) { C(0x14, c + 101, s + 201); continue; } // reset
    C(0x11, c + 101, s + 201);
    S(0x11, s + 201, c + 102);
    if (kind === 7) { C(0x04, c + 102, 0); continue; } // FIN then RST
    C(0x10, c + 102, s + 202);
  }
  const buf = Buffer.alloc(24 + frames.length * (16 + FRAME) + frames.reduce((a, f) => a + f.len, 0));
  buf.writeUInt32LE(0xa1b2c3d4, 0); buf.writeUInt16LE(2, 4); buf.writeUInt16LE(4, 6); buf.writeUInt32LE(65535, 16); buf.writeUInt32LE(1, 20);
  let o = 24;
  for (const f of frames) {
    const caplen = FRAME + f.len;
    buf.writeUInt32LE(Math.floor(f.t / 1e6), o); buf.writeUInt32LE(f.t % 1e6, o + 4); buf.writeUInt32LE(caplen, o + 8); buf.writeUInt32LE(caplen, o + 12);
    o += 16;
    buf.writeUInt16BE(0x0800, o + 12);
    const ip = o + 14;
    buf[ip] = 0x45; buf.writeUInt16BE(20 + 20 + f.len, ip + 2); buf[ip + 8] = 64; buf[ip + 9] = 6;
    buf.writeUInt32BE(f.src >>> 0, ip + 12); buf.writeUInt32BE(f.dst >>> 0, ip + 16);
    const tcp = ip + 20;
    buf.writeUInt16BE(f.sp, tcp); buf.writeUInt16BE(f.dp, tcp + 2); buf.writeUInt32BE(f.seq >>> 0, tcp + 4); buf.writeUInt32BE(f.ack >>> 0, tcp + 8);
    buf[tcp + 12] = 0x50; buf[tcp + 13] = f.flags; buf.writeUInt16BE(f.flags & 0x04 ? 0 : 65535, tcp + 14);
    o += caplen;
  }
  writeFileSync(path, buf);
  return { connections: n, packets: frames.length };
}
