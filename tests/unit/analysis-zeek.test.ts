// zeekState + history against Zeek's own baselines (tests/fixtures/closes/zeek, copied from
// ../shared/corpus with PROVENANCE.md), and a wider sweep over ../shared/corpus when it exists.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { Z_CLOSED, Z_RESET, Z_SYN_SENT } from '../../src/analysis/conn-state';
import { CONN_LOG_BASELINES, KNOWN_DIFFERENCES, KNOWN_DIFFERENCE_CAPTURES, compareConnLog, type ZeekRow } from './analysis-zeek-helpers';

const FIX = join(__dirname, '..', 'fixtures', 'closes', 'zeek');
const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

async function analyse(path: string) {
  return analyzeSources([await createNodeFileSource(path)]);
}

function check(rows: ZeekRow[]): { matched: number; known: number; knownKeys: Set<string> } {
  let matched = 0;
  let known = 0;
  const knownKeys = new Set<string>();
  const unexpected: string[] = [];
  for (const r of rows) {
    if (r.ours === r.zeek) matched++;
    else if (KNOWN_DIFFERENCES[r.key] || KNOWN_DIFFERENCE_CAPTURES[r.capture]) {
      known++;
      knownKeys.add(r.key);
    } else unexpected.push(`${r.key}: zeek ${r.zeek}, ours ${r.ours}`);
  }
  expect(unexpected).toEqual([]);
  return { matched, known, knownKeys };
}

describe('Zeek conn_state and history', () => {
  it('matches the conn.log baselines copied into fixtures', async () => {
    const rows: ZeekRow[] = [];
    for (const [baseline, capture] of CONN_LOG_BASELINES) {
      const b = join(FIX, `zeek-baseline__${baseline}`);
      const c = join(FIX, capture);
      if (!existsSync(b) || !existsSync(c)) continue;
      rows.push(...(await compareConnLog(b, c, capture)));
    }
    const { matched, known } = check(rows);
    // Includes rows Zeek ends on its timers (an unanswered SYN after 5 s, a one-sided capture, 5 minutes of
    // silence) and on reuse (a SYN retried after a RST): pop3, retransmit-timeout, ssh client-side half-duplex.
    expect(matched).toBe(rows.length);
    expect(known).toBe(0);
  });

  it('matches the RST-behaviour baseline (four captures, in its order)', async () => {
    const expected = readFileSync(join(FIX, 'zeek-baseline__scripts.base.protocols.conn.conn_state-RST-behavior-out'), 'utf8')
      .split('\n')
      .filter((l) => /^\S+, \S+$/.test(l));
    const got: string[] = [];
    for (const f of ['tcp-single-rst', 'tcp-syn-then-rst', 'tcp-syn-then-ack-then-rst', 'tcp-syn-then-stuff-then-rst']) {
      const c = (await analyse(join(FIX, `zeek__${f}.pcap`))).reports.at(0)!.close!;
      got.push(`${c.history}, ${c.zeekState}`);
    }
    expect(expected).toEqual(['R, OTH', 'SR, RSTOS0', 'SaR, RSTOS0', 'SaFR, OTH']);
    expect(got).toEqual(expected);
  });

  it('matches the endpoint states of fin-retransmit (orig CLOSED=5, resp RESET=6) and rst-after-syn (SYN_SENT=1, RESET=6)', async () => {
    const fr = readFileSync(join(FIX, 'zeek-baseline__core.tcp.fin-retransmit-out'), 'utf8');
    expect(fr).toMatch(/state=5[\s\S]*state=6/);
    let s = await analyse(join(FIX, 'zeek__tcp-fin_retransmission.pcap'));
    let st = s.connections.store;
    let [o, r] = st.zOrig[0] === 0 ? [st.loadSide(0, 0), st.loadSide(0, 1)] : [st.loadSide(0, 1), st.loadSide(0, 0)];
    expect([o.zState, r.zState]).toEqual([Z_CLOSED, Z_RESET]);

    const ra = readFileSync(join(FIX, 'zeek-baseline__core.tcp.rst-after-syn-.stdout'), 'utf8');
    expect(ra).toMatch(/orig:.*state=1[\s\S]*resp:.*state=6/);
    s = await analyse(join(FIX, 'zeek__tcp-rst-inject-rae.pcap'));
    st = s.connections.store;
    [o, r] = st.zOrig[0] === 0 ? [st.loadSide(0, 0), st.loadSide(0, 1)] : [st.loadSide(0, 1), st.loadSide(0, 0)];
    expect([o.zState, r.zState]).toEqual([Z_SYN_SENT, Z_RESET]);
  });

  const sweep = existsSync(CORPUS) ? it : it.skip;
  sweep(`sweep over ../shared/corpus baselines (${existsSync(CORPUS) ? 'present' : 'absent: skipped'})`, async () => {
    const rows: ZeekRow[] = [];
    for (const [baseline, capture] of CONN_LOG_BASELINES) {
      rows.push(...(await compareConnLog(join(CORPUS, 'text', `zeek-baseline__${baseline}`), join(CORPUS, 'pcap', capture), capture)));
    }
    const { matched, known, knownKeys } = check(rows);
    console.log(`zeek baselines: ${rows.length} TCP rows, ${matched} matched, ${known} known differences`);
    expect(matched).toBe(rows.length);
    // The list of known differences stays true: each one still differs.
    expect([...knownKeys].sort()).toEqual(Object.keys(KNOWN_DIFFERENCES).sort());
  });
});
