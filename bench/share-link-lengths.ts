/**
 * Share-link lengths for real closes: every pair of connections in the close fixtures and the seed
 * case, as the explorer shares them (trimmed to the close, pseudonymised). Also prints the
 * explanations, the raw material for the link dictionary (src/share/dictionary.ts).
 *   npx tsx bench/share-link-lengths.ts [--texts]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources, connectionPackets } from '../src/engine/analyze-sources';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { encodeShareFragment } from '../src/share/link-codec';
import { makeShareState } from '../src/share/make-share';
import { DEFAULT_VIEW } from '../src/share/share-state';

const groups = [
  ['tests/fixtures/seed/asa-syslog.log', 'tests/fixtures/seed/inside-capture.txt', 'tests/fixtures/seed/outside-capture.txt', 'tests/fixtures/seed/clean-capture.txt'],
  ...readdirSync('tests/fixtures/closes').filter((f) => f.endsWith('.pcap')).map((f) => [join('tests/fixtures/closes', f)]),
];
const ladders = [];
for (const files of groups) {
  const session = await analyzeSources(await Promise.all(files.map((f) => createNodeFileSource(f))), {});
  for (const c of session.reports.toArray()) {
    if (c.source === 'syslog') continue;
    ladders.push({ name: `${files[0].split('/').pop()}#${c.id}`, connection: c, packets: connectionPackets(session, c.id) });
  }
}
if (process.argv.includes('--texts')) {
  for (const l of ladders) console.log(`${l.connection.close?.explanation ?? ''}\n${l.connection.firewall?.explanation ?? ''}`);
} else {
  const lengths: number[] = [];
  for (let i = 0; i < ladders.length; i++) {
    const j = (i + 1) % ladders.length;
    const state = makeShareState([ladders[i], ladders[j]], DEFAULT_VIEW, { anonymise: true, ports: false, whole: false });
    lengths.push(encodeShareFragment(state).length);
    console.log(`${lengths.at(-1)}\t${ladders[i].name} + ${ladders[j].name}`);
  }
  lengths.sort((a, b) => a - b);
  console.log(`pairs ${lengths.length}: median ${lengths[lengths.length >> 1]}, max ${lengths.at(-1)}`);
}
