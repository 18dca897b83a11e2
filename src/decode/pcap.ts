/**
 * Classic libpcap files (pcap-savefile(5); draft-ietf-opsawg-pcap).
 * Grammar: file header(24) = magic(4) version major(2) minor(2) thiszone(4) sigfigs(4) snaplen(4)
 * linktype(4: FCS len(4 bits) R P reserved(10) link type(16)), then records: ts_sec(4)
 * ts_usec-or-nsec(4) caplen(4) len(4) data(caplen). Fields are in the writer's byte order, told by
 * the magic: a1b2c3d4 (µs), a1b23c4d (ns), a1b2cd34 (Kuznetzov µs, 24-byte record headers:
 * + ifindex(4) protocol(2) pkt_type(1) pad(1)); read either way round.
 * Sample (hex, little-endian µs): d4 c3 b2 a1 02 00 04 00 00000000 00000000 ffff0000 01000000 |
 *   5c 3a 2b 5b 10 27 00 00 3c 00 00 00 3c 00 00 00 <60 bytes of Ethernet frame>
 * Sanity rule (as libpcap/tshark): a record with caplen > 262144 is damage; the file is read up to
 * there and a Problem names its byte offset. No resynchronisation is tried (a wrong guess would
 * invent packets). Not handled: the 2.0-2.2 swapped caplen/len variant, Navtel/FMesquita magics.
 * FCS: when the P bit is set, FCS len x 2 bytes are cut from each captured frame's end.
 */
import { u16, u32 } from '../lib/bytes';
import type { RecordFramer } from '../lib/record-stream';
import type { ProblemLog } from '../model/problems';
import type { FrameTarget } from './frame-target';

export const PCAP_MAX_CAPLEN = 262144;

export interface PcapMagic {
  le: boolean;
  nano: boolean;
  kuznetzov: boolean;
}

/** The pcap flavour told by the first 4 bytes, or null. */
export function pcapMagic(h: Uint8Array): PcapMagic | null {
  if (h.length < 4) return null;
  const be = ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
  const le = ((h[3] << 24) | (h[2] << 16) | (h[1] << 8) | h[0]) >>> 0;
  for (const [v, isLe] of [[be, false], [le, true]] as const) {
    if (v === 0xa1b2c3d4) return { le: isLe, nano: false, kuznetzov: false };
    if (v === 0xa1b23c4d) return { le: isLe, nano: true, kuznetzov: false };
    if (v === 0xa1b2cd34) return { le: isLe, nano: false, kuznetzov: true };
  }
  return null;
}

/**
 * The length on the wire: a record whose original length is below its captured length (0 from some writers, or
 * simply wrong) is read with its captured bytes as the wire length, as tshark does, instead of being cut short.
 */
export function wireLength(caplen: number, orig: number): number {
  return orig < caplen ? caplen : orig;
}

/** The warning for the first record whose original length is below its captured length. */
export function origBelowCaplenMessage(frame: number, caplen: number, orig: number): string {
  return `packet ${frame} says ${orig} bytes on the wire but ${caplen} captured; read with its ${caplen} captured bytes, ` +
    'as tshark does (later packets like it are not listed)';
}

/**
 * Captured bytes left once a trailing FCS of fcsBytes is cut: only the part of the FCS that was
 * captured (a snaplen may have cut the frame before or inside it). Shared with pcapng (if_fcslen).
 */
export function withoutFcs(caplen: number, orig: number, fcsBytes: number): number {
  if (orig < caplen) orig = caplen; // see wireLength
  const cut = fcsBytes - (orig - caplen);
  return cut > 0 ? Math.max(0, caplen - cut) : caplen;
}

/** The file header's length: a record is read again with it alone before it (decode/formats.ts RecordPrelude). */
export const PCAP_HEADER = 24;

export class PcapFramer implements RecordFramer {
  headerLength = 24;
  linkType = -1;
  frames = 0;
  private le = true;
  private nano = false;
  private recordHeader = 16;
  private fcsBytes = 0;

  constructor(
    private readonly dissector: FrameTarget,
    private readonly problems: ProblemLog,
    private readonly onLinkType: (lt: number) => void,
  ) {}

  recordLength(b: Uint8Array, off: number, abs: number): number {
    if (abs === 0) return 24;
    const caplen = u32(b, off + 8, this.le);
    if (caplen > PCAP_MAX_CAPLEN) {
      this.problems.error(
        `record ${this.frames + 1} says ${caplen} captured bytes (over ${PCAP_MAX_CAPLEN}): the file is damaged from here; kept the ${this.frames} packets before it`,
        { offset: abs },
      );
      return -1;
    }
    return this.recordHeader + caplen;
  }

  /** The records wholly inside b[off, end), without a call per record (see RecordFramer.records). */
  records(b: Uint8Array, off: number, end: number, abs: number): number {
    if (abs === 0) return off; // the file header goes the single-record way
    const le = this.le;
    const nano = this.nano;
    const rh = this.recordHeader;
    const fcs = this.fcsBytes;
    const lt = this.linkType;
    const dissector = this.dissector;
    const base = abs - off;
    let p = off;
    while (p + rh <= end) {
      const caplen = le
        ? (b[p + 8] | (b[p + 9] << 8) | (b[p + 10] << 16) | (b[p + 11] << 24)) >>> 0
        : ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0;
      if (caplen > PCAP_MAX_CAPLEN) {
        this.recordLength(b, p, base + p); // records the Problem
        return -1 - p;
      }
      const next = p + rh + caplen;
      if (next > end) break;
      const sec = u32(b, p, le);
      const frac = u32(b, p + 4, le);
      let orig = u32(b, p + 12, le);
      const start = p + rh;
      this.frames++;
      if (orig < caplen) orig = this.origBelowCaplen(caplen, orig, base + p);
      dissector.timeUs = sec * 1e6 + (nano ? frac / 1000 : frac);
      dissector.recordOffset = base + p;
      dissector.dissect(lt, b, start, start + withoutFcs(caplen, orig, fcs), Math.max(0, orig - fcs), this.frames);
      p = next;
    }
    return p;
  }

  record(b: Uint8Array, off: number, len: number, abs: number): boolean {
    if (abs === 0) return this.fileHeader(b, off);
    const le = this.le;
    const sec = u32(b, off, le);
    const frac = u32(b, off + 4, le);
    const timeUs = sec * 1e6 + (this.nano ? frac / 1000 : frac);
    const caplen = len - this.recordHeader;
    let orig = u32(b, off + 12, le);
    const start = off + this.recordHeader;
    this.frames++;
    if (orig < caplen) orig = this.origBelowCaplen(caplen, orig, abs);
    const end = start + withoutFcs(caplen, orig, this.fcsBytes);
    const wire = Math.max(0, orig - this.fcsBytes);
    this.dissector.timeUs = timeUs;
    this.dissector.recordOffset = abs;
    this.dissector.dissect(this.linkType, b, start, end, wire, this.frames);
    return true;
  }

  private origWarned = false;

  /** The wire length to use for a record whose original length is below its captured length (warned once). */
  private origBelowCaplen(caplen: number, orig: number, abs: number): number {
    if (!this.origWarned) {
      this.origWarned = true;
      this.problems.warn(origBelowCaplenMessage(this.frames, caplen, orig), { offset: abs });
    }
    return wireLength(caplen, orig);
  }

  private fileHeader(b: Uint8Array, off: number): boolean {
    const m = pcapMagic(b.subarray(off, off + 4))!;
    this.le = m.le;
    this.nano = m.nano;
    this.recordHeader = m.kuznetzov ? 24 : 16;
    this.headerLength = this.recordHeader;
    const major = u16(b, off + 4, m.le);
    if (major !== 2) this.problems.warn(`pcap version ${major}.${u16(b, off + 6, m.le)} is unusual; reading it as 2.4`, { offset: 4 });
    const lt = u32(b, off + 20, m.le);
    this.linkType = lt & 0xffff;
    if (lt & 0x04000000) this.fcsBytes = ((lt >>> 28) & 0xf) * 2;
    this.onLinkType(this.linkType);
    return true;
  }

  truncated(abs: number, have: number, need: number): void {
    if (abs === 0) {
      this.problems.error(`file ends inside the 24-byte pcap file header (${have} bytes)`, { offset: 0 });
      return;
    }
    this.problems.warn(`file ends inside record ${this.frames + 1} (${have} of ${need} bytes); the partial record is ignored`, {
      offset: abs,
    });
  }
}
