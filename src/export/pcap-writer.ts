/**
 * Writes frames back out as a capture Wireshark opens: classic pcap (libpcap 2.4, little-endian,
 * nanosecond magic 0xa1b23c4d) when every frame has the same link type and fits a pcap record and no frame names a
 * capture point, else pcapng (draft-ietf-opsawg-pcapng: SHB, IDB with if_tsresol=9, EPB) with one interface per
 * capture point and link type, each named (if_name) after its point: two captures of the same traffic (an inside
 * and an outside one) stay apart, each packet at the time and with the bytes its point saw.
 */
export interface ExportFrame {
  timeUs: number;
  linkType: number;
  data: Uint8Array;
  originalLength: number;
  /** The capture point (its file's name) that saw the frame: the pcapng interface's name. */
  point?: string;
}

const MAX_PCAP_RECORD = 262144;

export function writeCapture(frames: ExportFrame[]): Uint8Array {
  const linkTypes = [...new Set(frames.map((f) => f.linkType))];
  // Readers (libpcap, tshark, ours) take a classic pcap record over 256 KiB for damage; TSO/GRO
  // captures can hold such frames, and pcapng has no such limit.
  const huge = frames.some((f) => f.data.length > MAX_PCAP_RECORD);
  const points = frames.some((f) => f.point !== undefined);
  return linkTypes.length <= 1 && !huge && !points ? writePcap(frames, linkTypes[0] ?? 1) : writePcapng(frames);
}

/** pcapng interfaces: one per capture point and link type, in the order frames first use them. */
interface Iface {
  linkType: number;
  name: string | undefined;
}

const ifaceKey = (f: { linkType: number; point?: string }) => `${f.linkType} ${f.point ?? ''}`;

// Seconds and nanoseconds kept apart: today's epoch in ns (~1.7e18) is past 2^53, so timeUs * 1000
// would round away the last microseconds.
function splitNs(timeUs: number): [number, number] {
  let sec = Math.floor(timeUs / 1e6);
  let ns = Math.round((timeUs - sec * 1e6) * 1000);
  if (ns >= 1e9) {
    sec += 1;
    ns -= 1e9;
  }
  return [sec, ns];
}

export function writePcap(frames: ExportFrame[], linkType: number): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b23c4d, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true);
  v.setUint32(20, linkType, true);
  let at = 24;
  for (const f of frames) {
    const [sec, ns] = splitNs(f.timeUs);
    v.setUint32(at, sec >>> 0, true);
    v.setUint32(at + 4, ns, true);
    v.setUint32(at + 8, f.data.length, true);
    v.setUint32(at + 12, Math.max(f.originalLength, f.data.length), true);
    out.set(f.data, at + 16);
    at += 16 + f.data.length;
  }
  return out;
}

const pad4 = (n: number) => (n + 3) & ~3;

const utf8 = new TextEncoder();

export function writePcapng(frames: ExportFrame[]): Uint8Array {
  const ifaces = new Map<string, Iface & { index: number; nameBytes: Uint8Array | null }>();
  for (const f of frames) {
    const k = ifaceKey(f);
    if (!ifaces.has(k)) ifaces.set(k, { linkType: f.linkType, name: f.point, index: ifaces.size, nameBytes: f.point !== undefined ? utf8.encode(f.point) : null });
  }
  if (!ifaces.size) ifaces.set(ifaceKey({ linkType: 1 }), { linkType: 1, name: undefined, index: 0, nameBytes: null });
  const shbLen = 28;
  // header + [if_name option] + if_tsresol option (4 + 4 padded) + end of options; if_name's value is at most
  // 65535 bytes (an option's length field).
  const nameOpt = (b: Uint8Array | null) => (b ? 4 + pad4(Math.min(b.length, 0xffff)) : 0);
  const idbLen = (i: { nameBytes: Uint8Array | null }) => 20 + nameOpt(i.nameBytes) + 8 + 4;
  let size = shbLen + frames.reduce((n, f) => n + 32 + pad4(f.data.length), 0);
  for (const i of ifaces.values()) size += idbLen(i);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let at = 0;
  v.setUint32(at, 0x0a0d0d0a, true);
  v.setUint32(at + 4, shbLen, true);
  v.setUint32(at + 8, 0x1a2b3c4d, true);
  v.setUint16(at + 12, 1, true);
  v.setUint16(at + 14, 0, true);
  v.setInt32(at + 16, -1, true); // section length unspecified (64-bit -1)
  v.setInt32(at + 20, -1, true);
  v.setUint32(at + 24, shbLen, true);
  at += shbLen;
  for (const i of ifaces.values()) {
    const len = idbLen(i);
    v.setUint32(at, 1, true);
    v.setUint32(at + 4, len, true);
    v.setUint16(at + 8, i.linkType, true);
    v.setUint32(at + 12, 0, true);
    let o = at + 16;
    if (i.nameBytes) {
      const n = Math.min(i.nameBytes.length, 0xffff);
      v.setUint16(o, 2, true); // if_name
      v.setUint16(o + 2, n, true);
      out.set(i.nameBytes.subarray(0, n), o + 4);
      o += 4 + pad4(n);
    }
    v.setUint16(o, 9, true); // if_tsresol
    v.setUint16(o + 2, 1, true);
    out[o + 4] = 9; // nanoseconds
    // o + 8: opt_endofopt (zeros)
    v.setUint32(at + len - 4, len, true);
    at += len;
  }
  for (const f of frames) {
    const len = 32 + pad4(f.data.length);
    const [sec, frac] = splitNs(f.timeUs);
    const ns = BigInt(sec) * 1000000000n + BigInt(frac);
    v.setUint32(at, 6, true);
    v.setUint32(at + 4, len, true);
    v.setUint32(at + 8, ifaces.get(ifaceKey(f))!.index, true);
    v.setUint32(at + 12, Number(ns >> 32n), true);
    v.setUint32(at + 16, Number(ns & 0xffffffffn), true);
    v.setUint32(at + 20, f.data.length, true);
    v.setUint32(at + 24, Math.max(f.originalLength, f.data.length), true);
    out.set(f.data, at + 28);
    v.setUint32(at + len - 4, len, true);
    at += len;
  }
  return out;
}
