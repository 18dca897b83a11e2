/** Small reproducers of issue 15 (hostile or damaged inputs), shared by the unit and browser tests. */
import { cat, epb, ethernet, idb, ipv4, shb, tcpHeader } from './decode-builders';

/** A pcapng of one connection (SYN, SYN+ACK, ACK, FIN, RST) stamped ~5.8e11 years after 1970: past Date's range. */
export function farFuturePcapng(): Uint8Array {
  const ts = 0xfffffffffff00000n; // µs
  const f = (flags: number, seq: number, ack: number, fromClient: boolean) =>
    ethernet(0x0800, ipv4(tcpHeader({ sport: fromClient ? 40000 : 443, dport: fromClient ? 443 : 40000, flags, seq, ack }), fromClient ? {} : { src: [10, 0, 0, 2], dst: [10, 0, 0, 1] }));
  return cat(shb(), idb(1), epb(0, ts, f(0x02, 100, 0, true)), epb(0, ts + 10n, f(0x12, 500, 101, false)), epb(0, ts + 20n, f(0x10, 101, 501, true)),
    epb(0, ts + 30n, f(0x11, 101, 501, true)), epb(0, ts + 40n, f(0x04, 501, 0, false)));
}
