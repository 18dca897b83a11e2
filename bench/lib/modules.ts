/**
 * Which of the project's modules the bench needs exist yet and export what it calls. The bench
 * never stands in for a missing one: it skips that figure and says why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './spawn';

export interface ModuleCheck {
  ok: boolean;
  why?: string;
}

async function check(rel: string, name: string): Promise<ModuleCheck> {
  const path = join(REPO, rel);
  if (!existsSync(path)) return { ok: false, why: `${rel} does not exist yet` };
  try {
    const m = (await import(path)) as Record<string, unknown>;
    if (typeof m[name] !== 'function') return { ok: false, why: `${rel} does not export ${name}()` };
    return { ok: true };
  } catch (e) {
    return { ok: false, why: `${rel} failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}

export async function checkModules(): Promise<Record<'source' | 'decode' | 'analyze' | 'syslog', ModuleCheck>> {
  const [source, decode, analyze, syslog] = await Promise.all([
    check('src/cli/node-file-source.ts', 'createNodeFileSource'),
    check('src/decode/index.ts', 'decodeInput'),
    check('src/engine/analyze-sources.ts', 'analyzeSources'),
    check('bench/syslog-bench.ts', 'runSyslogBench'),
  ]);
  // decodeInput / analyzeSources are fed through the Node ByteSource.
  if (!source.ok) {
    if (decode.ok) Object.assign(decode, { ok: false, why: `needs ${source.why}` });
    if (analyze.ok) Object.assign(analyze, { ok: false, why: `needs ${source.why}` });
  }
  return { source, decode, analyze, syslog };
}
