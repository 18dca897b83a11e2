/** `tshark -r FILE -q -z conv,tcp`: wall time and the number of TCP conversations it lists. */
import { existsSync } from 'node:fs';
import { runWhole, type WholeResult } from './whole';

export const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p)) ?? null;

export interface TsharkResult extends WholeResult {
  conversations: number;
}

export async function runTshark(file: string, timeoutMs: number): Promise<TsharkResult> {
  if (!TSHARK) throw new Error('tshark not installed');
  const p = await runWhole(TSHARK, ['-r', file, '-q', '-z', 'conv,tcp'], timeoutMs, true);
  const conversations = (p.out ?? '').split('\n').filter((l) => l.includes('<->')).length;
  delete p.out;
  return { ...p, conversations };
}
