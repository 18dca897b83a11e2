// Issue 15 item 13: packets whose original length is 0 or below the captured length, and interfaces with if_fcslen 255,
// were skipped as truncated without a word; tshark decodes them. They are read like tshark reads them, with a warning.
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { cat, epb, ethernet, idb, ipv4, option, pcapFile, shb, tcpHeader } from './decode-builders';

const frame = (flags: number, seq: number, ack: number, fromClient: boolean) =>
  ethernet(0x0800, ipv4(tcpHeader({ sport: fromClient ? 40000 : 443, dport: fromClient ? 443 : 40000, flags, seq, ack }), fromClient ? {} : { src: [10, 0, 0, 2], dst: [10, 0, 0, 1] }));
const close = [frame(0x02, 100, 0, true), frame(0x12, 500, 101, false), frame(0x10, 101, 501, true), frame(0x11, 101, 501, true), frame(0x11, 501, 102, false), frame(0x10, 102, 502, true)];

async function analyse(name: string, bytes: Uint8Array) {
  const s = await analyzeSources([createBytesSource(name, bytes)]);
  return { input: s.inputs[0], conn: s.reports.length ? s.reports.at(0) : undefined };
}

describe('odd lengths are read as tshark reads them', () => {
  it('pcap records with original length 0 or below the captured length', async () => {
    const { input, conn } = await analyse('orig.pcap', pcapFile(close.map((data, i) => ({ data, orig: i % 2 ? 0 : data.length - 10 }))));
    expect(input.tcpPackets).toBe(6);
    expect(input.skipped).toEqual({});
    expect(conn?.close?.kind).toBe('clean');
    expect(input.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/packet 1 says 44 bytes on the wire but 54 captured; read with its 54 captured bytes/)]);
  });

  it('pcapng enhanced packet blocks with original length 0', async () => {
    const { input, conn } = await analyse('orig.pcapng', cat(shb(), idb(1), ...close.map((d, i) => epb(0, BigInt(1_700_000_000_000_000 + i), d, true, 0))));
    expect(input.tcpPackets).toBe(6);
    expect(conn?.close?.kind).toBe('clean');
    expect(input.warnings).toHaveLength(1);
  });

  it('if_fcslen 255: frames read whole, with a warning', async () => {
    const { input, conn } = await analyse('fcs.pcapng', cat(shb(), idb(1, true, [option(13, [255])]), ...close.map((d, i) => epb(0, BigInt(1_700_000_000_000_000 + i), d))));
    expect(input.tcpPackets).toBe(6);
    expect(conn?.close?.kind).toBe('clean');
    expect(input.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/if_fcslen 255 is not an FCS length \(0, 2 or 4\); its frames are read whole/)]);
    // A real 4-byte FCS is still cut.
    const withFcs = await analyse('fcs4.pcapng', cat(shb(), idb(1, true, [option(13, [4])]), ...close.map((d, i) => epb(0, BigInt(1_700_000_000_000_000 + i), cat(d, [1, 2, 3, 4])))));
    expect(withFcs.input.tcpPackets).toBe(6);
    expect(withFcs.input.warnings).toEqual([]);
  });
});
