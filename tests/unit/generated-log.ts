// A generated ASA log (bench/log-gen.ts) written under tests/out and read back as bytes, for tests that load it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLog } from '../../bench/log-gen';

export function generatedLogBytes(fileName: string, lines: number, seed: number): Uint8Array {
  const out = join(__dirname, '..', 'out');
  mkdirSync(out, { recursive: true });
  const path = join(out, fileName);
  generateLog(path, { lines, seed });
  return new Uint8Array(readFileSync(path));
}
