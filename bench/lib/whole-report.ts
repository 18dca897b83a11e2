/**
 * The whole-process table `npm run bench` prints first: the built command line (`teardown analyze`, with and without
 * --json) beside tcptrace and tshark, all run in the same rounds, with the ratios taken round by round (each round's
 * figures share the machine's load at that moment), and the analysis' own work time beside.
 */
import { fmt, MB, median, table } from './stats';
import type { WholeResult } from './whole';
import type { ChildResult } from './spawn';

export function wholeProcessLines(
  whole: Record<string, WholeResult[]>,
  tshark: WholeResult[],
  analyzeWork: ChildResult[],
  fileBytes: number,
): { lines: string[]; summary: Record<string, unknown> } {
  const all: Record<string, WholeResult[]> = { ...whole };
  if (tshark.length) all['tshark -q -z conv,tcp'] = tshark;
  const tcptrace = all['tcptrace -n'];
  const ratio = (ours: WholeResult[], peer: WholeResult[] | undefined, f: (r: WholeResult) => number) =>
    peer?.length ? median(ours.slice(0, peer.length).map((r, i) => f(peer[i]) / f(r))) : NaN;
  const work = analyzeWork.length ? median(analyzeWork.map((r) => r.seconds)) : NaN;
  const rows: string[][] = [];
  const summary: Record<string, unknown> = {};
  for (const [label, rs] of Object.entries(all)) {
    const ours = label.startsWith('teardown');
    // The header-walk floor gets the same ratios: the best any JavaScript tool could show against the peers.
    const rated = ours || label.startsWith('floor');
    const s = {
      wallSeconds: median(rs.map((r) => r.wallSeconds)),
      bestWallSeconds: Math.min(...rs.map((r) => r.wallSeconds)),
      cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
      maxRssBytes: median(rs.map((r) => r.maxRss)),
      outBytes: rs[0].outBytes,
      vsTcptraceWall: rated ? ratio(rs, tcptrace, (r) => r.wallSeconds) : NaN,
      vsTcptraceCpu: rated ? ratio(rs, tcptrace, (r) => r.cpuSeconds) : NaN,
      vsTsharkWall: rated ? ratio(rs, tshark, (r) => r.wallSeconds) : NaN,
      samples: rs.map((r) => r.wallSeconds),
    };
    summary[label] = s;
    rows.push([
      label,
      fmt(s.wallSeconds, 2),
      fmt(s.bestWallSeconds, 2),
      fmt(s.cpuSeconds, 2),
      `${fmt(s.maxRssBytes / MB, 0)} MB`,
      `${fmt(s.maxRssBytes / fileBytes, 3)}x`,
      `${fmt(s.outBytes / MB, 1)} MB`,
      rated && tcptrace ? `${fmt(s.vsTcptraceWall, 2)}x (CPU ${fmt(s.vsTcptraceCpu, 2)}x)` : '',
      rated && tshark.length ? `${fmt(s.vsTsharkWall, 1)}x` : '',
      ours ? fmt(work, 2) : '',
    ]);
  }
  const lines = [
    'Whole process as a user runs it (start to exit, output drained through a pipe; the file in the page cache):',
    table(['command', 'wall s', 'best wall s', 'CPU s', 'peak RSS', 'RSS/file', 'output', 'tcptrace/ours', 'tshark/ours', 'work s (analyzeSources)'], rows),
    'targets: tcptrace/ours >= 3x, tshark/ours >= 20x, RSS/file <= 0.2x; ratios are medians of per-round ratios (wall; CPU = user+system)',
  ];
  return { lines, summary };
}
