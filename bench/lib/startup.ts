/**
 * Start-up as a user meets it: the built command on a tiny capture (one refused connection, 3 packets), whole
 * process, beside bare `node -e 0` (the floor any Node command pays), tshark and tcptrace on the same file, run
 * interleaved RUNS times. Wall time moves with the machine's load; CPU seconds (user + system) much less.
 */
import { join } from 'node:path';
import { runWhole, TCPTRACE, type WholeResult } from './whole';
import { TSHARK } from './tshark';
import { REPO } from './spawn';
import { fmt, median, table } from './stats';

const TINY = join(REPO, 'tests', 'fixtures', 'closes', 'refused.pcap');
const RUNS = 30;
/** The target for the command on a tiny capture, median wall time (issue #17). */
const TARGET_S = 0.15;

export async function startupLines(cli: string): Promise<{ lines: string[]; summary: Record<string, unknown> }> {
  const runs: [string, string, string[], Record<string, string>?][] = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['teardown analyze', process.execPath, [cli, 'analyze', TINY]],
    // What V8's code cache (dist/cli/analyze.cache, scripts/cli-launcher.cjs) saves: the same command compiling the bundle.
    ['teardown analyze, no code cache', process.execPath, [cli, 'analyze', TINY], { TEARDOWN_CODE_CACHE: 'off' }],
  ];
  if (TSHARK) runs.push(['tshark -q -z conv,tcp', TSHARK, ['-r', TINY, '-q', '-z', 'conv,tcp']]);
  if (TCPTRACE) runs.push(['tcptrace -n', TCPTRACE, ['-n', TINY]]);
  const got: Record<string, WholeResult[]> = {};
  for (let i = 0; i < RUNS; i++) for (const [label, cmd, args, env] of runs) (got[label] ??= []).push(await runWhole(cmd, args, 0, false, env));
  const summary: Record<string, unknown> = {};
  const rows = Object.entries(got).map(([label, rs]) => {
    const s = {
      wallSeconds: median(rs.map((r) => r.wallSeconds)),
      bestWallSeconds: Math.min(...rs.map((r) => r.wallSeconds)),
      cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
    };
    summary[label] = s;
    return [label, fmt(s.wallSeconds, 3), fmt(s.bestWallSeconds, 3), fmt(s.cpuSeconds, 3)];
  });
  const ours = summary['teardown analyze'] as { wallSeconds: number; cpuSeconds: number };
  const floor = summary['node -e 0'] as { cpuSeconds: number };
  return {
    lines: [
      `Start-up on a tiny capture (${TINY.replace(REPO + '/', '')}, ${RUNS} interleaved runs each, whole process):`,
      table(['command', 'wall s', 'best wall s', 'CPU s'], rows),
      `target: teardown analyze <= ${TARGET_S} s (median wall ${fmt(ours.wallSeconds, 3)} s: ${ours.wallSeconds <= TARGET_S ? 'OK' : 'OVER'}); ` +
        `over bare node: ${fmt(ours.cpuSeconds - floor.cpuSeconds, 3)} CPU s`,
    ],
    summary,
  };
}
