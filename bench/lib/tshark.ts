/** `tshark -r FILE -q -z conv,tcp`: wall time and the number of TCP conversations it lists. */
import { existsSync } from 'node:fs';
import { run } from './spawn';

export const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p)) ?? null;

export interface TsharkResult {
  wallSeconds: number;
  conversations: number;
  timedOut: boolean;
}

export async function runTshark(file: string, timeoutMs: number): Promise<TsharkResult> {
  if (!TSHARK) throw new Error('tshark not installed');
  const p = await run(TSHARK, ['-r', file, '-q', '-z', 'conv,tcp'], timeoutMs);
  if (!p.timedOut && p.code !== 0) throw new Error(`tshark exited ${p.code}: ${p.stderr.slice(-500)}`);
  const conversations = p.stdout.split('\n').filter((l) => l.includes('<->')).length;
  return { wallSeconds: p.wallSeconds, conversations, timedOut: p.timedOut };
}
