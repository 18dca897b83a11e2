// Builds the production site once for all browser tests of a run.
import { rmSync } from 'node:fs';
import { buildInto, E2E_DIST } from './site';

export default function setup(): void {
  rmSync(E2E_DIST, { recursive: true, force: true });
  buildInto(E2E_DIST);
}
