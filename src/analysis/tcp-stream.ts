/**
 * tshark's tcp.stream for each connection. tshark numbers a 4-tuple when its TCP dissector first meets it, and it
 * also meets TCP headers that are no packet of any connection here: one quoted inside an ICMP/ICMPv6 error, or one
 * whose data offset is below 5 (SegmentSink.streamOnly). Such a header of a 4-tuple with no connection yet takes the
 * next number; a connection that later starts on that 4-tuple gets that number (tshark files its packets under the
 * stream the quote opened), unless its first packet is a SYN tshark would split off as a new stream (the rule of
 * connections.ts: from the quote's sender, with another ISN, or after that sender's non-SYN). Other connections take
 * the next number in the order they start, as tshark does. Several inputs are numbered as one capture, in order.
 * Checked against tshark on tests/fixtures/streams (ICMP, ICMPv6, data offset < 5) and the corpus.
 */
import { ACK, SYN, type TcpSegment } from '../model/segment';
import { grown } from './typed-grown';

interface Reserved {
  stream: number;
  /** The quoted/bad header's sender, as endpointText gives it. */
  sender: string;
  /** It was a SYN without ACK, with this sequence number. */
  plainSyn: boolean;
  seq: number;
}

function endpointText(addr: Uint8Array, ipVersion: number, port: number): string {
  let s = `${port}`;
  for (let i = 0, n = ipVersion === 6 ? 16 : 4; i < n; i++) s += `.${addr[i]}`;
  return s;
}

export class StreamNumbers {
  private next = 0;
  /** tcp.stream per connection index. */
  streams = new Uint32Array(1024);
  /** 4-tuples numbered by a streamOnly header before any connection had them (rare: a Map is fine). */
  private readonly reserved = new Map<string, Reserved>();

  /** Room for n connections (ConnKeys.reserve). */
  room(n: number): void {
    if (n > this.streams.length) this.streams = grown(this.streams, n);
  }

  private static key(s: TcpSegment): { key: string; sender: string } {
    const a = endpointText(s.srcAddr, s.ipVersion, s.srcPort);
    const b = endpointText(s.dstAddr, s.ipVersion, s.dstPort);
    return { key: a < b ? `${a}-${b}` : `${b}-${a}`, sender: a };
  }

  /** A streamOnly header whose 4-tuple has no connection: it takes a number, once per 4-tuple. */
  reserve(s: TcpSegment): void {
    const { key, sender } = StreamNumbers.key(s);
    if (this.reserved.has(key)) return;
    this.reserved.set(key, { stream: this.next++, sender, plainSyn: (s.flags & (SYN | ACK)) === SYN, seq: s.seq >>> 0 });
  }

  /** Connection c starts with segment s; `firstOfTuple`: no earlier connection has its 4-tuple. */
  assign(c: number, s: TcpSegment, firstOfTuple: boolean): void {
    if (c >= this.streams.length) this.streams = grown(this.streams, c + 1);
    if (firstOfTuple && this.reserved.size > 0) {
      const { key, sender } = StreamNumbers.key(s);
      const r = this.reserved.get(key);
      if (r) {
        this.reserved.delete(key);
        const split = (s.flags & (SYN | ACK)) === SYN && sender === r.sender && (!r.plainSyn || r.seq !== s.seq >>> 0);
        if (!split) {
          this.streams[c] = r.stream;
          return;
        }
      }
    }
    this.streams[c] = this.next++;
  }
}
