// `analyze --ndjson` as the hand-off to engines that are not Teardown: the NDJSON of a few logs (one file per input,
// written by the real CLI process) loaded into DuckDB, and one SQL query (the README's recipe) reproduces every
// summary's 106015 deny counts per class. Also: every line is one JSON record, the summary line comes last.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateLog } from '../../bench/log-gen';

const ROOT = join(import.meta.dirname, '../..');
const OUT = join(import.meta.dirname, '../out/ndjson');

/** The README's recipe: 106015 denies per input file and class (other messages' deny records have no class). */
const DENY_COUNTS_SQL = (glob: string) => `
SELECT filename AS ndjson, class, sum(repeat) AS denies
FROM read_json('${glob}', format = 'newline_delimited', filename = true,
               columns = {record: 'VARCHAR', class: 'VARCHAR', repeat: 'BIGINT'})
WHERE record = 'deny' AND class IS NOT NULL
GROUP BY ALL ORDER BY ALL`;

function analyzeNdjson(input: string, out: string): string[] {
  const text = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', '--ndjson', input], { cwd: ROOT, maxBuffer: 1 << 28 }).toString();
  writeFileSync(out, text);
  return text.trimEnd().split('\n');
}

const hms = (sec: number) => [Math.floor(sec / 3600) % 24, Math.floor(sec / 60) % 60, sec % 60].map((n) => String(n).padStart(2, '0')).join(':');
/** Denies 1-10 minutes after Conn-timeout / Idle Timeout teardowns (the idle-timeout class). */
function idleLog(path: string): void {
  const lines: string[] = [];
  for (let k = 0; k < 20; k++) {
    const t = 3600 + k * 600;
    const head = (s: number) => `<166>Jun 21 2018 ${hms(s)} fw-c : `;
    lines.push(
      `${head(t)}%ASA-6-302013: Built inbound TCP connection ${900 + k} for outside:198.51.100.${k}/5${k}000 (198.51.100.${k}/5${k}000) to inside:10.1.1.1/8080 (203.0.113.1/8080)`,
      `${head(t + 3600)}%ASA-6-302014: Teardown TCP connection ${900 + k} for outside:198.51.100.${k}/5${k}000 to inside:10.1.1.1/8080 duration 1:00:00 bytes 100 ${k % 2 ? 'Conn-timeout' : 'Idle Timeout'}`,
      `${head(t + 3660 + k * 25)}%ASA-6-106015: Deny TCP (no connection) from 198.51.100.${k}/5${k}000 to 203.0.113.1/8080 flags PSH ACK  on interface outside`,
    );
  }
  lines.sort((a, b) => a.slice(17, 25).localeCompare(b.slice(17, 25)));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('--ndjson into DuckDB', () => {
  it('one SQL query over the NDJSON of several logs gives each summary\'s deny counts', async () => {
    mkdirSync(OUT, { recursive: true });
    const gen = join(OUT, 'gen.log');
    generateLog(gen, { lines: 30000, seed: 5 });
    const idle = join(OUT, 'idle.log');
    idleLog(idle);
    const inputs = { seed: join(ROOT, 'tests/fixtures/seed/asa-syslog.log'), gen, idle };
    const expected: Record<string, Record<string, number>> = {};
    for (const [name, input] of Object.entries(inputs)) {
      const lines = analyzeNdjson(input, join(OUT, `${name}.ndjson`));
      const records = lines.map((l) => JSON.parse(l) as { record: string; summary?: { firewall: { deniesByClass: Record<string, number>; denies106015: number } } });
      expect(new Set(records.map((r) => r.record))).toEqual(new Set(['connection', 'summary', ...(records.some((r) => r.record === 'deny') ? ['deny'] : [])]));
      const last = records[records.length - 1];
      expect(last.record).toBe('summary');
      const fw = last.summary!.firewall;
      expect(Object.values(fw.deniesByClass).reduce((a, b) => a + b, 0)).toBe(fw.denies106015);
      expected[`${name}.ndjson`] = fw.deniesByClass;
    }
    expect(expected['idle.ndjson']['idle-timeout']).toBe(20);
    expect(expected['gen.ndjson']['late-close']).toBeGreaterThan(100);

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(DENY_COUNTS_SQL(join(OUT, '*.ndjson')))).getRowObjects();
    const got: Record<string, Record<string, number>> = {};
    for (const r of rows) {
      const file = String(r.ndjson).split('/').pop()!;
      (got[file] ??= {})[String(r.class)] = Number(r.denies);
    }
    const nonzero = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([, n]) => n > 0));
    for (const [file, counts] of Object.entries(expected)) expect(got[file] ?? {}).toEqual(nonzero(counts));
    // The README shows this exact query.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain("columns = {record: 'VARCHAR', class: 'VARCHAR', repeat: 'BIGINT'})\nWHERE record = 'deny' AND class IS NOT NULL");
    conn.closeSync();
  });
});
