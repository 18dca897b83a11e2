/**
 * Ladders with pseudonyms for an export (SVG, PNG, Mermaid, pcap), made as a share link makes them
 * (share/anonymise.ts): the addresses the analysis put in each connection's fields, and wherever those also appear in
 * its texts, get consistent pseudonyms across the ladders; capture file names become "capture N". The pairs used
 * come back too, for the packet bytes (export/pseudonymise-frame.ts) and the pcapng interface names.
 */
import type { LadderData } from '../render/ladder-types';
import { anonymiseJson, collectAddresses, createPseudonymizer, fileNamesOf, withoutFileNames } from './anonymise';

export interface PseudonymousLadders {
  datas: LadderData[];
  /** [original, pseudonym] address texts. */
  addresses: [string, string][];
  /** [file or capture point name, "capture N"]. */
  names: [string, string][];
}

export function pseudonymiseLadders(datas: readonly LadderData[]): PseudonymousLadders {
  const conns = datas.map((d) => d.connection);
  const p = createPseudonymizer(collectAddresses(conns), { ports: false });
  const names = fileNamesOf(conns);
  const named = new Map(names.map((n, i) => [n, `capture ${i + 1}`]));
  const out = datas.map((d) => {
    const c = anonymiseJson(withoutFileNames(d.connection, names), p);
    return {
      ...d,
      // Numbered across the ladders, not per connection.
      connection: { ...c, files: d.connection.files.map((f) => named.get(f) ?? f) },
      packets: d.packets.map((pk) => (pk.file ? { ...pk, file: named.get(pk.file) ?? pk.file } : pk)),
    };
  });
  return { datas: out, addresses: p.addresses(), names: [...named] };
}
