// Shared by the firewall tests: a firewall log (and a capture beside it) through the engine's own analysis
// (analyzeSources), so the log's columns, joins, correlation and each connection's firewall facts are the ones the
// page and the command line get.
import { decodeInput } from '../../src/decode';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createTextSource } from '../../src/lib/byte-source';
import type { FirewallEvent } from '../../src/model/firewall';

export interface LogAnalysisOptions {
  /** Capture packets read beside the log: ASA `show capture` lines without their numbers (finConnection), put in
   *  time order and numbered here. */
  capture?: string[];
  year?: number;
  /** Changes each decoded event before the store takes it: an event no decoder writes yet (another vendor's id or
   *  cause). The log is then read through the decoder's event path (no fast records). */
  edit?: (e: FirewallEvent, index: number) => void;
}

export async function analyzeLog(lines: string[], options: LogAnalysisOptions = {}): Promise<AnalysisSession> {
  const sources = [createTextSource('fw.log', `${lines.join('\n')}\n`)];
  if (options.capture) {
    const byTime = [...options.capture].sort((a, b) => (a.slice(0, 15) < b.slice(0, 15) ? -1 : a.slice(0, 15) > b.slice(0, 15) ? 1 : 0));
    sources.push(createTextSource('cap.txt', byTime.map((l, i) => `${i + 1}: ${l}\n`).join('')));
  }
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

const hms = (sec: number) => {
  const h = Math.floor(sec / 3600) % 24;
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(6).padStart(9, '0')}`;
};

/**
 * Capture lines of one TCP connection closed by FINs from both sides: handshake at `startSec`, FINs at `endSec`
 * (seconds of the day, as the log's stamps). Undated: the engine gives them the log's date.
 */
export function finConnection(client: string, server: string, startSec: number, endSec: number): string[] {
  const c2s = `${client} > ${server}:`;
  const s2c = `${server} > ${client}:`;
  // Initial sequence numbers of its own, so a later connection of the same 4-tuple is a new one.
  const c = Math.round(startSec * 1000) % 1e9;
  const v = c + 1e9;
  return [
    `${hms(startSec)} ${c2s} S ${c}:${c}(0) win 65535`,
    `${hms(startSec)} ${s2c} S ${v}:${v}(0) ack ${c + 1} win 65535`,
    `${hms(startSec)} ${c2s} . ack ${v + 1} win 65535`,
    `${hms(endSec)} ${c2s} F ${c + 1}:${c + 1}(0) ack ${v + 1} win 65535`,
    `${hms(endSec)} ${s2c} F ${v + 1}:${v + 1}(0) ack ${c + 2} win 65535`,
    `${hms(endSec)} ${c2s} . ack ${v + 2} win 65535`,
  ];
}
