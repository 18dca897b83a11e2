import { it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { cat, epb, ethernet, idb, ipv4, shb, tcpHeader, option } from './decode-builders';
it('probe', async () => {
  const f = ethernet(0x0800, ipv4(tcpHeader({ flags: 2 })));
  const file = cat(shb(), idb(1, true, [option(9, [0])]), epb(0, 0xffffffff00000000n, f));
  try {
    const s = await analyzeSources([createBytesSource('x.pcapng', file)]);
    console.log(JSON.stringify(s.report.connections[0]?.start), s.report.inputs[0].warnings);
  } catch (e) { console.log('THROWS', e); }
});
