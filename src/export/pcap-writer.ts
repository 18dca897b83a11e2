/**
 * Writes frames back out as a capture Wireshark opens: classic pcap (libpcap 2.4, little-endian,
 * nanosecond magic 0xa1b23c4d) when every frame has the same link type and fits a pcap record, else pcapng with one
 * interface per link type (draft-ietf-opsawg-pcapng: SHB, IDB with if_tsresol=9, EPB).
 */
export interface ExportFrame {
  timeUs: number;
  linkType: number;
  data: Uint8Array;
  originalLength: number;
}

const MAX_PCAP_RECORD = 262144;

export function writeCapture(frames: ExportFrame[]): Uint8Array {
  const linkTypes = [...new Set(frames.map((f) => f.linkType))];
  // Readers (libpcap, tshark, ours) take a classic pcap record over 256 KiB for damage; TSO/GRO
  // captures can hold such frames, and pcapng has no such limit.
  const huge = frames.some((f) => f.data.length > MAX_PCAP_RECORD);
  return linkTypes.length <= 1 && !huge ? writePcap(frames, linkTypes[0] ?? 1) : writePcapng(frames, linkTypes.length ? linkTypes : [1]);
}

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

export function writePcapng(frames: ExportFrame[], linkTypes: number[]): Uint8Array {
  const shbLen = 28;
  const idbLen = 20 + 8 + 4; // header + if_tsresol option (4 + 4 padded) + end of options
  const size = shbLen + idbLen * linkTypes.length + frames.reduce((n, f) => n + 32 + pad4(f.data.length), 0);
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
  for (const lt of linkTypes) {
    v.setUint32(at, 1, true);
    v.setUint32(at + 4, idbLen, true);
    v.setUint16(at + 8, lt, true);
    v.setUint32(at + 12, 0, true);
    v.setUint16(at + 16, 9, true); // if_tsresol
    v.setUint16(at + 18, 1, true);
    out[at + 20] = 9; // nanoseconds
    // at + 24: opt_endofopt (zeros)
    v.setUint32(at + 28, idbLen, true);
    at += idbLen;
  }
  for (const f of frames) {
    const len = 32 + pad4(f.data.length);
    const [sec, frac] = splitNs(f.timeUs);
    const ns = BigInt(sec) * 1000000000n + BigInt(frac);
    v.setUint32(at, 6, true);
    v.setUint32(at + 4, len, true);
    v.setUint32(at + 8, linkTypes.indexOf(f.linkType), true);
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
