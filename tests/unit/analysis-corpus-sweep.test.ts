// Every input of ../shared/corpus (captures, ASA logs, text) analyses without throwing, and every
// connection gets close facts. Skipped (and says so) when ../shared/corpus is absent.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeReport, analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');
const present = existsSync(CORPUS);

describe('corpus sweep', () => {
  (present ? it : it.skip)(`analyses every corpus input (${present ? 'present' : '../shared/corpus absent: skipped'})`, async () => {
    const files = ['pcap', 'asa', 'text'].flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => join(CORPUS, d, f)));
    let connections = 0;
    const failures: string[] = [];
    for (const f of files) {
      try {
        const s = await analyzeSources([await createNodeFileSource(f)]);
        for (const c of s.reports.toArray()) {
          if (c.source !== 'syslog' && (!c.close || !c.close.explanation)) failures.push(`${f}: connection ${c.id} without close facts`);
        }
        connections += s.reports.length;
        JSON.stringify(analyzeReport(s));
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
      }
    }
    console.log(`corpus sweep: ${files.length} inputs, ${connections} connections`);
    expect(failures).toEqual([]);
  }, 180_000);
});
