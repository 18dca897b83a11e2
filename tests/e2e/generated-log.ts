/**
 * A generated ASA log (bench/log-gen.ts) for the browser tests that need a big one, written once per checkout under
 * tests/out and checked to be at least `minBytes` (the size the behaviour under test starts at).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateLog } from '../../bench/log-gen';
import { OUT } from './site';

export function generatedLog(name: string, lines: number, seed: number, minBytes: number): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  if (!existsSync(file)) generateLog(file, { lines, seed });
  expect(statSync(file).size).toBeGreaterThan(minBytes);
  return file;
}
