/**
 * pcapng files (draft-ietf-opsawg-pcapng). Grammar: blocks of type(4) total length(4) body
 * total length(4), length a multiple of 4 and >= 12; byte order per section, told by the Section
 * Header Block (0x0a0d0d0a, byte-order magic 1a2b3c4d at offset 8). Read: SHB (new section: byte
 * order may change, interface ids restart), IDB (1: link type, snaplen; options if_name 2, if_tsresol 9 incl.
 * the power-of-2 form, if_fcslen 13, if_tsoffset 14), EPB (6), SPB (3, interface 0, no timestamp),
 * obsolete PB (2). Skipped: NRB (4), ISB (5), DSB (10) and unknown blocks; custom blocks (0xbad,
 * 0x40000bad) and systemd journal blocks (9) are skipped but counted as frames, as tshark 4.0 numbers them.
 * Sample (hex, little-endian): 0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff.. 1c 00 00 00 |
 *   01 00 00 00 14 00 00 00 01 00 00 00 00 00 04 00 14 00 00 00 | 06 00 00 00 ... (EPB)
 * Damage: a bad block length (not a multiple of 4, < 12, > 16 MiB) or a trailer that differs from
 * the header stops reading there with a Problem naming the byte offset; a packet block whose
 * captured length does not fit in its block is skipped with a warning. Not handled: epb_flags FCS
 * length (if_fcslen is), compressed/encrypted blocks.
 */
import { u16, u32 } from '../lib/bytes';
import type { RecordFramer } from '../lib/record-stream';
import type { ProblemLog } from '../model/problems';
import type { FrameTarget } from './frame-target';
import { origBelowCaplenMessage, wireLength, withoutFcs } from './pcap';

const SHB = 0x0a0d0d0a;
const MAX_BLOCK = 16 * 1024 * 1024;
/** Section header and interface blocks noted for re-reading; past this many a re-read walks the file. */
const MAX_NOTED = 4096;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  units: number;
  /** Seconds added to every timestamp. */
  offsetSec: number;
  fcsBytes: number;
  /** Index in its section, and if_name ('' when none): the capture point of an export of two (export/pcap-writer.ts). */
  id: number;
  name: string;
}

/** True when the bytes start with an SHB whose byte-order magic is valid. */
export function isPcapng(h: Uint8Array): boolean {
  if (h.length < 12 || h[0] !== 0x0a || h[1] !== 0x0d || h[2] !== 0x0d || h[3] !== 0x0a) return false;
  const bom = ((h[8] << 24) | (h[9] << 16) | (h[10] << 8) | h[11]) >>> 0;
  return bom === 0x1a2b3c4d || bom === 0x4d3c2b1a;
}

/** 64-bit count of `units` per second (hi:lo) to µs since the epoch, exact for units <= 2^32. */
export function unitsToUs(hi: number, lo: number, units: number, offsetSec: number): number {
  if (units === 1e6) return (hi * 4294967296 + lo) + offsetSec * 1e6;
  if (units > 4294967296) return ((hi * 4294967296 + lo) / units + offsetSec) * 1e6;
  // Long division of hi:lo by units in 16-bit steps keeps every intermediate below 2^53.
  const q0 = Math.floor(hi / units);
  const r0 = hi - q0 * units;
  const t1 = r0 * 65536 + (lo >>> 16);
  const q1 = Math.floor(t1 / units);
  const r1 = t1 - q1 * units;
  const t2 = r1 * 65536 + (lo & 0xffff);
  const q2 = Math.floor(t2 / units);
  const r2 = t2 - q2 * units;
  const sec = q0 * 4294967296 + q1 * 65536 + q2;
  return (sec + offsetSec) * 1e6 + (r2 * 1e6) / units;
}

/**
 * The blocks the framer must read before the block at `offset` (decode/formats.ts RecordPrelude): its section's
 * header block and that section's interface blocks before it, from a walk's rereadNotes(); null without them.
 */
export function pcapngPrelude(offset: number, notes: readonly number[] | undefined): number[] | null {
  if (!notes) return null;
  let end = 0; // the noted blocks before `offset`
  while (end < notes.length && notes[end] < offset) end += 3;
  let shb = end - 3;
  while (shb >= 0 && notes[shb + 2] !== 1) shb -= 3;
  if (shb < 0) return null;
  const ranges: number[] = [];
  for (let k = shb; k < end; k += 3) ranges.push(notes[k], notes[k + 1]);
  return ranges;
}

/** Decryption Secrets Block, and its TLS key log secrets type. */
const DSB = 0x0000000a;
const TLS_KEY_LOG = 0x544c534b;

export class PcapngFramer implements RecordFramer {
  readonly headerLength = 12;
  frames = 0;
  private le = true;
  private ifaces: Iface[] = [];
  private origWarned = false;
  private sections = 0;
  private last: Iface | null = null;
  /** Each SHB and IDB read: offset, length, 1 for an SHB (0 for an IDB); null once past MAX_NOTED blocks. */
  private noted: number[] | null = [];

  constructor(
    private readonly dissector: FrameTarget,
    private readonly problems: ProblemLog,
    private readonly onLinkType: (lt: number) => void,
    /** Decryption Secrets Blocks of TLS key log type go here (pcapng spec 4.7: secrets type 0x544c534b "TLSK"). */
    private readonly onSecrets?: (keyLogText: string) => unknown,
  ) {}

  recordLength(b: Uint8Array, off: number, abs: number): number {
    if (b[off] === 0x0a && b[off + 1] === 0x0d && b[off + 2] === 0x0d && b[off + 3] === 0x0a) {
      const bom = u32(b, off + 8, false);
      if (bom === 0x1a2b3c4d) this.le = false;
      else if (bom === 0x4d3c2b1a) this.le = true;
      else {
        this.problems.error(`section header block has a bad byte-order magic ${bom.toString(16)}; stopped reading`, { offset: abs });
        return -1;
      }
    }
    const len = u32(b, off + 4, this.le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
      this.problems.error(
        `block of type 0x${u32(b, off, this.le).toString(16)} has a bad length ${len} (must be a multiple of 4, 12 to ${MAX_BLOCK}); the file is damaged from here, kept the ${this.frames} packets before it`,
        { offset: abs },
      );
      return -1;
    }
    return len;
  }

  record(b: Uint8Array, off: number, len: number, abs: number): boolean {
    const le = this.le;
    const trailer = u32(b, off + len - 4, le);
    if (trailer !== len) {
      this.problems.error(
        `block length ${len} does not match its trailer ${trailer}: the file is damaged from here, kept the ${this.frames} packets before it`,
        { offset: abs },
      );
      return false;
    }
    const type = u32(b, off, le);
    switch (type) {
      case 6: return this.packetBlock(b, off, len, abs, false);
      case 3: return this.spb(b, off, len, abs);
      case 2: return this.packetBlock(b, off, len, abs, true);
      case 1:
        this.note(abs, len, 0);
        return this.idb(b, off, len, abs);
      case SHB:
        this.note(abs, len, 1);
        this.sections++;
        this.ifaces = [];
        if (len < 28) this.problems.warn(`section header block is only ${len} bytes`, { offset: abs });
        return true;
      case 0xbad:
      case 0x40000bad:
      case 9:
        // Custom and systemd-journal blocks: tshark 4.0 numbers them as frames, so count them to
        // keep frame numbers equal to tshark's; nothing in them is dissected.
        this.frames++;
        return true;
      case DSB:
        if (this.onSecrets && len >= 20 && u32(b, off + 8, le) === TLS_KEY_LOG) {
          const n = Math.min(u32(b, off + 12, le), len - 20);
          this.onSecrets(new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(off + 16, off + 16 + n)));
        }
        return true;
      default:
        return true; // NRB, ISB and unknown blocks
    }
  }

  private note(abs: number, len: number, shb: number): void {
    if (!this.noted) return;
    if (this.noted.length < 3 * MAX_NOTED) this.noted.push(abs, len, shb);
    else this.noted = null;
  }

  /** What a record needs read before it (pcapngPrelude), as noted in the walk; undefined past MAX_NOTED blocks. */
  rereadNotes(): readonly number[] | undefined {
    return this.noted ?? undefined;
  }

  /** The interface of the packet being handed to the target (its id in the section and its if_name), null before any. */
  get currentInterface(): { id: number; name: string; linkType: number } | null {
    return this.last;
  }

  private iface(id: number, abs: number): Iface | null {
    const f = this.ifaces[id];
    if (f) return f;
    this.problems.warn(`packet block names interface ${id}, but this section has ${this.ifaces.length}; packet skipped`, { offset: abs });
    return null;
  }

  private packet(f: Iface, hi: number, lo: number, b: Uint8Array, start: number, caplen: number, orig: number, abs: number): void {
    this.frames++;
    if (orig < caplen) {
      if (!this.origWarned) this.problems.warn(origBelowCaplenMessage(this.frames, caplen, orig), { offset: abs });
      this.origWarned = true;
      orig = wireLength(caplen, orig);
    }
    const end = start + withoutFcs(caplen, orig, f.fcsBytes);
    const wire = Math.max(0, orig - f.fcsBytes);
    this.last = f;
    this.dissector.timeUs = unitsToUs(hi, lo, f.units, f.offsetSec);
    this.dissector.recordOffset = abs;
    this.dissector.dissect(f.linkType, b, start, end, wire, this.frames);
  }

  /** EPB (6) and the obsolete PB (2): the same layout but for the interface id, u32 in an EPB, u16 in a PB. */
  private packetBlock(b: Uint8Array, off: number, len: number, abs: number, obsolete: boolean): boolean {
    const le = this.le;
    const what = obsolete ? 'packet block' : 'enhanced packet block';
    if (len < 32) return this.badPacket(what, len, abs);
    const caplen = u32(b, off + 20, le);
    if (caplen > len - 32) return this.badPacket(what, len, abs, caplen);
    const f = this.iface(obsolete ? u16(b, off + 8, le) : u32(b, off + 8, le), abs);
    if (f) this.packet(f, u32(b, off + 12, le), u32(b, off + 16, le), b, off + 28, caplen, u32(b, off + 24, le), abs);
    return true;
  }

  private spb(b: Uint8Array, off: number, len: number, abs: number): boolean {
    if (len < 16) return this.badPacket('simple packet block', len, abs);
    const f = this.iface(0, abs);
    if (!f) return true;
    const orig = u32(b, off + 8, this.le);
    let caplen = Math.min(orig, len - 16);
    if (f.snaplen > 0) caplen = Math.min(caplen, f.snaplen);
    // No timestamp in an SPB: time 0, as tshark shows it.
    this.packet(f, 0, 0, b, off + 12, caplen, orig, abs);
    return true;
  }

  private badPacket(what: string, len: number, abs: number, caplen?: number): boolean {
    this.frames++;
    const detail = caplen === undefined ? `is too short (${len} bytes)` : `says ${caplen} captured bytes, more than its ${len}-byte block holds`;
    this.problems.warn(`${what} ${detail}; packet ${this.frames} skipped`, { offset: abs });
    return true;
  }

  private idb(b: Uint8Array, off: number, len: number, abs: number): boolean {
    const le = this.le;
    if (len < 20) {
      this.problems.warn(`interface description block is too short (${len} bytes); ignored`, { offset: abs });
      return true;
    }
    const f: Iface = { linkType: u16(b, off + 8, le), snaplen: u32(b, off + 12, le), units: 1e6, offsetSec: 0, fcsBytes: 0, id: this.ifaces.length, name: '' };
    // Options: code(2) length(2) value padded to 4, up to the trailer.
    let p = off + 16;
    const end = off + len - 4;
    while (p + 4 <= end) {
      const code = u16(b, p, le);
      const olen = u16(b, p + 2, le);
      if (code === 0 || p + 4 + olen > end) break;
      const v = p + 4;
      if (code === 2) {
        f.name = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(v, v + olen)).replace(/\0+$/, '');
      } else if (code === 9 && olen >= 1) {
        const r = b[v];
        const exp = r & 0x7f;
        f.units = r & 0x80 ? 2 ** exp : 10 ** exp;
      } else if (code === 13 && olen >= 1) {
        // FCS lengths are 0, 2 or 4 bytes; tshark reads any other value (255 from some writers) as "not known" and
        // keeps the frame whole, and so do we, saying so.
        if (b[v] === 0 || b[v] === 2 || b[v] === 4) f.fcsBytes = b[v];
        else this.problems.warn(`interface ${this.ifaces.length}: if_fcslen ${b[v]} is not an FCS length (0, 2 or 4); its frames are read whole`, { offset: abs + (v - off) });
      }
      else if (code === 14 && olen >= 8) {
        const hi = u32(b, le ? v + 4 : v, le);
        const lo = u32(b, le ? v : v + 4, le);
        f.offsetSec = (hi | 0) * 4294967296 + lo;
      }
      p = v + ((olen + 3) & ~3);
    }
    this.ifaces.push(f);
    this.onLinkType(f.linkType);
    return true;
  }

  truncated(abs: number, have: number, need: number): void {
    this.problems.warn(`file ends inside a block (${have} of ${need} bytes); the partial block is ignored`, { offset: abs });
  }
}
