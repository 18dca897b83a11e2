// Shared by the firewall tests: a firewall log (and a capture beside it) through the engine's own analysis
// (analyzeSources), so the log's columns, joins, correlation and each connection's firewall facts are the ones the
// page and the command line get.
import { decodeInput } from '../../src/decode';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createTextSource } from '../../src/lib/byte-source';
import type { FirewallEvent } from '../../src/model/firewall';
import { captureText } from './capture-lines';

export interface LogAnalysisOptions {
  /** Capture packets read beside the log: lines from connectionLines (capture-lines.ts). */
  capture?: string[];
  year?: number;
  /** Changes each decoded event before the store takes it: an event no decoder writes yet (another vendor's id or
   *  cause). The log is then read through the decoder's event path (no fast records). */
  edit?: (e: FirewallEvent, index: number) => void;
}

export async function analyzeLog(lines: string[], options: LogAnalysisOptions = {}): Promise<AnalysisSession> {
  const sources = [createTextSource('fw.log', `${lines.join('\n')}\n`)];
  if (options.capture) sources.push(createTextSource('cap.txt', captureText(options.capture)));
  const edit = options.edit;
  let n = 0;
  const decode: typeof decodeInput | undefined = edit
    ? (source, input, sinks, decodeOptions) => {
        const fw = sinks.firewall!;
        const firewall = { event: (e: FirewallEvent, text?: string, at?: number) => (edit(e, n++), fw.event(e, text, at)) };
        return decodeInput(source, input, { ...sinks, firewall }, decodeOptions);
      }
    : undefined;
  const s = await analyzeSources(sources, { year: options.year ?? 2018, decode });
  for (const r of s.inputs) if (r.errors.length) throw new Error(`${r.file}: ${r.errors.map((e) => e.message).join('; ')}`);
  return s;
}

/** The session's firewall log, its joins and correlation (the log must have been read). */
export function firewallOf(s: AnalysisSession) {
  const fw = s.firewall;
  if (!fw?.correlation) throw new Error('no firewall log correlated');
  return { log: fw.log, join: fw.join, correlation: fw.correlation, summary: s.summary.firewall! };
}
