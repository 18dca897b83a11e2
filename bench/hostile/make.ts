/**
 * Writes the big hostile inputs of issue 15 to bench/out/hostile/ (git-ignored), streamed (flat memory):
 *
 *   npx tsx bench/hostile/make.ts long-connection --packets=76700000     # one connection, .pcap.gz
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import { longConnectionPcap } from './long-connection';
import { OUT_DIR } from '../generate-pcap';

export const HOSTILE_DIR = join(OUT_DIR, 'hostile');

/** Writes the long-connection capture gzipped; resolves to its path. */
export async function makeLongConnection(dataPackets: number): Promise<string> {
  mkdirSync(HOSTILE_DIR, { recursive: true });
  const path = join(HOSTILE_DIR, `long-connection-${dataPackets}.pcap.gz`);
  const gz = createGzip({ level: 9 });
  const out = createWriteStream(path);
  gz.pipe(out);
  // The generator reuses one block for the repeated segment and never changes it: keeping references is enough.
  const chunks: Buffer[] = [];
  longConnectionPcap(dataPackets, (b) => chunks.push(b));
  for (const c of chunks) if (!gz.write(c)) await once(gz, 'drain');
  gz.end();
  await once(out, 'finish');
  return path;
}

if (process.argv[1]?.endsWith('make.ts')) {
  const what = process.argv[2];
  const opt = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
  if (what === 'long-connection') console.log(await makeLongConnection(Number(opt('packets') ?? 76_700_000)));
  else console.error('usage: make.ts long-connection [--packets=N]');
}
