/**
 * IP fragment reassembly (IPv4 RFC 791, IPv6 RFC 8200 §4.5), as Wireshark does by default: a fragmented datagram's
 * TCP segment is dissected once every byte of it has arrived, at the fragment that completes it (tshark reports the
 * TCP packet at that frame, with the whole datagram's length). Fragments are keyed by source, destination,
 * identification and protocol; their bytes are copied (the read slices are reused). A datagram that never completes
 * (a fragment missing or cut short by the snap length) yields no segment, as in tshark. Overlapping fragments: the
 * later one's bytes win. Bounded: at most MAX_PENDING incomplete datagrams (the oldest is dropped), none past
 * MAX_DATAGRAM bytes.
 */
const MAX_PENDING = 256;
const MAX_DATAGRAM = 1 << 20;

interface Pending {
  parts: { off: number; bytes: Uint8Array }[];
  /** Datagram payload length, known once the last fragment (no "more fragments") has arrived; -1 before. */
  total: number;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();

  /**
   * Adds the fragment whose payload is b[from, to) at byte `offset` of its datagram (`claimed` bytes per its
   * header; fewer when the capture cut it); returns the whole payload when this completes the datagram, else null.
   */
  add(key: string, offset: number, more: boolean, b: Uint8Array, from: number, to: number, claimed: number): Uint8Array | null {
    if (offset + claimed > MAX_DATAGRAM || claimed < 0) return null;
    let p = this.pending.get(key);
    if (!p) {
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      p = { parts: [], total: -1 };
      this.pending.set(key, p);
    }
    p.parts.push({ off: offset, bytes: b.slice(from, Math.min(to, from + claimed)) });
    if (!more) p.total = offset + claimed;
    if (p.total < 0) return null;
    // Complete when the parts, by offset, leave no hole before the end.
    const byOffset = [...p.parts].sort((x, y) => x.off - y.off);
    let covered = 0;
    for (const part of byOffset) {
      if (part.off > covered) return null;
      covered = Math.max(covered, part.off + part.bytes.length);
    }
    if (covered < p.total) return null;
    const whole = new Uint8Array(p.total);
    for (const part of p.parts) whole.set(part.bytes.subarray(0, Math.max(0, Math.min(part.bytes.length, p.total - part.off))), part.off);
    this.pending.delete(key);
    return whole;
  }
}
