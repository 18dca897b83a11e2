/** Hand-built frames and capture files for the decoder/dissector unit tests. */

export const cat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
export const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
export const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
export const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
export const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const u32 = (v: number, le: boolean) => (le ? le32(v) : be32(v));
const u16 = (v: number, le: boolean) => (le ? le16(v) : be16(v));

export interface TcpSpec {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: number[];
  payload?: number;
}

export function tcpHeader(t: TcpSpec = {}): Uint8Array {
  const opts = t.options ?? [];
  const padded = [...opts, ...new Array((4 - (opts.length % 4)) % 4).fill(0)];
  const hlen = 20 + padded.length;
  const flags = t.flags ?? 0x18;
  return cat(
    be16(t.sport ?? 40000), be16(t.dport ?? 443), be32(t.seq ?? 1000), be32(t.ack ?? 2000),
    [((hlen / 4) << 4) | ((flags >> 8) & 0x0f), flags & 0xff], be16(t.window ?? 512), [0, 0, 0, 0], padded,
    new Array(t.payload ?? 0).fill(0x61),
  );
}

export function ipv4(l4: Uint8Array, o: { proto?: number; src?: number[]; dst?: number[]; frag?: number; options?: number[]; total?: number } = {}): Uint8Array {
  const opts = o.options ?? [];
  const ihl = 20 + opts.length;
  return cat(
    [0x40 | (ihl / 4), 0], be16(o.total ?? ihl + l4.length), be16(1), be16(o.frag ?? 0x4000), [64, o.proto ?? 6, 0, 0],
    o.src ?? [10, 0, 0, 1], o.dst ?? [10, 0, 0, 2], opts, l4,
  );
}

export const V6_SRC = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
export const V6_DST = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

/** IPv6 with extension headers given as [type, bytes] (bytes exclude next-header, which is filled in). */
export function ipv6(l4: Uint8Array, o: { next?: number; ext?: [number, number[]][]; plen?: number } = {}): Uint8Array {
  const ext = o.ext ?? [];
  const parts: number[][] = [];
  for (let i = 0; i < ext.length; i++) {
    const next = i + 1 < ext.length ? ext[i + 1][0] : (o.next ?? 6);
    parts.push([next, ...ext[i][1]]);
  }
  const extBytes = cat(...parts);
  const first = ext.length ? ext[0][0] : (o.next ?? 6);
  return cat([0x60, 0, 0, 0], be16(o.plen ?? extBytes.length + l4.length), [first, 64], V6_SRC, V6_DST, extBytes, l4);
}

export const ethernet = (type: number, payload: Uint8Array) =>
  cat([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], be16(type), payload);

/** A classic pcap file. */
export function pcapFile(
  frames: { data: Uint8Array; sec?: number; frac?: number; orig?: number }[],
  o: { le?: boolean; nano?: boolean; kuznetzov?: boolean; linkType?: number } = {},
): Uint8Array {
  const le = o.le ?? true;
  const magic = o.kuznetzov ? 0xa1b2cd34 : o.nano ? 0xa1b23c4d : 0xa1b2c3d4;
  const head = cat(u32(magic, le), u16(2, le), u16(4, le), u32(0, le), u32(0, le), u32(65535, le), u32(o.linkType ?? 1, le));
  const recs = frames.map((f, i) =>
    cat(u32(f.sec ?? 1700000000 + i, le), u32(f.frac ?? 0, le), u32(f.data.length, le), u32(f.orig ?? f.data.length, le), o.kuznetzov ? new Array(8).fill(0) : [], f.data),
  );
  return cat(head, ...recs);
}

/** pcapng building blocks. */
export function block(type: number, body: Uint8Array, le = true): Uint8Array {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  return cat(u32(type, le), u32(len, le), body, new Array(pad).fill(0), u32(len, le));
}
export const shb = (le = true) => block(0x0a0d0d0a, cat(u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), le);
export function option(code: number, value: number[], le = true): Uint8Array {
  const pad = (4 - (value.length % 4)) % 4;
  return cat(u16(code, le), u16(value.length, le), value, new Array(pad).fill(0));
}
export const idb = (linkType: number, le = true, options: Uint8Array[] = []) =>
  block(1, cat(u16(linkType, le), u16(0, le), u32(0, le), ...options, options.length ? u32(0, le) : []), le);
export function epb(iface: number, ts: bigint, data: Uint8Array, le = true, orig = data.length): Uint8Array {
  const hi = Number(ts >> 32n);
  const lo = Number(ts & 0xffffffffn);
  const pad = (4 - (data.length % 4)) % 4;
  return block(6, cat(u32(iface, le), u32(hi, le), u32(lo, le), u32(data.length, le), u32(orig, le), data, new Array(pad).fill(0)), le);
}
export function pb(iface: number, ts: bigint, data: Uint8Array, le = true): Uint8Array {
  const pad = (4 - (data.length % 4)) % 4;
  return block(2, cat(u16(iface, le), u16(0, le), u32(Number(ts >> 32n), le), u32(Number(ts & 0xffffffffn), le), u32(data.length, le), u32(data.length, le), data, new Array(pad).fill(0)), le);
}
export const spb = (data: Uint8Array, le = true) => block(3, cat(u32(data.length, le), data), le);
