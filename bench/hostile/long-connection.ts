/**
 * One TCP connection with a huge number of packets (issue 15, item 2: a 17 MB .pcap.gz holding 76.7 M packets of one
 * connection crashed the tab when its ladder was opened). Handshake, `dataPackets` identical client segments
 * (a retransmission storm: the same bytes over and over, which is why gzip shrinks it ~300 times), then a FIN from each
 * side and the last ACK. Classic pcap, little-endian, µs, Ethernet/IPv4. Written in chunks: memory stays flat.
 */
const FRAME = 14 + 20 + 20;
const PAYLOAD = 20;

function record(out: Buffer, o: number, t: number, flags: number, seq: number, ack: number, fromClient: boolean, len: number): number {
  const caplen = FRAME + len;
  out.writeUInt32LE(Math.floor(t / 1e6), o);
  out.writeUInt32LE(t % 1e6, o + 4);
  out.writeUInt32LE(caplen, o + 8);
  out.writeUInt32LE(caplen, o + 12);
  o += 16;
  out.fill(0, o, o + caplen);
  out.writeUInt16BE(0x0800, o + 12);
  const ip = o + 14;
  out[ip] = 0x45;
  out.writeUInt16BE(40 + len, ip + 2);
  out[ip + 8] = 64;
  out[ip + 9] = 6;
  const c = 0xc0a80002, s = 0x0a000001;
  out.writeUInt32BE(fromClient ? c : s, ip + 12);
  out.writeUInt32BE(fromClient ? s : c, ip + 16);
  const tcp = ip + 20;
  out.writeUInt16BE(fromClient ? 40000 : 443, tcp);
  out.writeUInt16BE(fromClient ? 443 : 40000, tcp + 2);
  out.writeUInt32BE(seq >>> 0, tcp + 4);
  out.writeUInt32BE(ack >>> 0, tcp + 8);
  out[tcp + 12] = 0x50;
  out[tcp + 13] = flags;
  out.writeUInt16BE(65535, tcp + 14);
  return o + caplen;
}

/** Calls `write` with the file's bytes in chunks of at most ~1 MiB; returns the packet count. */
export function longConnectionPcap(dataPackets: number, write: (chunk: Buffer) => void): number {
  const t0 = 1_700_000_000_000_000 / 1000; // 2023-11-14, µs
  const C = 1000, S = 5000;
  const head = Buffer.alloc(24 + 3 * (16 + FRAME));
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  let o = 24;
  o = record(head, o, t0, 0x02, C, 0, true, 0);
  o = record(head, o, t0 + 100, 0x12, S, C + 1, false, 0);
  o = record(head, o, t0 + 200, 0x10, C + 1, S + 1, true, 0);
  write(head.subarray(0, o));
  // The same data segment (one timestamp, one seq) repeated: a block of them is built once and written again.
  const per = 16 + FRAME + PAYLOAD;
  const blockPackets = Math.floor((1 << 20) / per);
  const block = Buffer.alloc(blockPackets * per);
  for (let k = 0, b = 0; k < blockPackets; k++) b = record(block, b, t0 + 300, 0x18, C + 1, S + 1, true, PAYLOAD);
  let left = dataPackets;
  while (left > 0) {
    const n = Math.min(left, blockPackets);
    write(block.subarray(0, n * per));
    left -= n;
  }
  const tail = Buffer.alloc(3 * (16 + FRAME));
  o = 0;
  o = record(tail, o, t0 + 400, 0x11, C + 1 + PAYLOAD, S + 1, true, 0);
  o = record(tail, o, t0 + 500, 0x11, S + 1, C + 2 + PAYLOAD, false, 0);
  o = record(tail, o, t0 + 600, 0x10, C + 2 + PAYLOAD, S + 2, true, 0);
  write(tail.subarray(0, o));
  return dataPackets + 6;
}

/** The whole file in memory (tests: keep `dataPackets` small). */
export function longConnectionPcapBytes(dataPackets: number): Uint8Array {
  const parts: Buffer[] = [];
  longConnectionPcap(dataPackets, (b) => parts.push(Buffer.from(b)));
  return new Uint8Array(Buffer.concat(parts));
}
