// Shared by the syslog tests: decode lines with the real line decoder and collect events + problems.
import { createSyslogLineDecoder } from '../../src/decode/text/syslog';
import { parseZoneOption } from '../../src/decode/text/syslog-zones';
import { copyFirewallEvent, type FirewallEvent } from '../../src/model/firewall';
import { createProblemLog, type ProblemLog } from '../../src/model/problems';

export interface Decoded {
  events: FirewallEvent[];
  problems: ProblemLog;
  skipped: Record<string, number>;
  messages: Record<string, number>;
}

export function decodeLines(lines: string[], options: { year?: number; file?: string; tz?: string } = {}): Decoded {
  const problems = createProblemLog(options.file ?? 'test.log');
  const report: { skipped: Record<string, number>; firewallMessages?: Record<string, number> } = { skipped: {} };
  const events: FirewallEvent[] = [];
  const zone = options.tz === undefined ? null : parseZoneOption(options.tz);
  if (typeof zone === 'string') throw new Error(zone);
  const dec = createSyslogLineDecoder(0, options.file ?? 'test.log', (e) => events.push(copyFirewallEvent(e)), { problems, year: options.year, zone }, report);
  lines.forEach((l, i) => dec.line(l, i + 1));
  dec.finish();
  return { events, problems, skipped: report.skipped, messages: report.firewallMessages ?? {} };
}

/** Decode one line (year 2018 when it has none) and return its only event. */
export function one(line: string): FirewallEvent {
  const d = decodeLines([line], { year: 2018 });
  if (d.events.length !== 1) throw new Error(`expected one event from: ${line}\n${JSON.stringify(d.problems.warnings)}`);
  return d.events[0];
}

export const iso = (e: FirewallEvent) => new Date(e.timeUs / 1000).toISOString();
