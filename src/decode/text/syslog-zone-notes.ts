/**
 * Warnings about the zones of syslog stamps, once per zone name at the first line that has it: an ambiguous
 * abbreviation (IST, CST: which meaning was used, and how to choose) or an unknown one (read as UTC or in the
 * zone option). A wrong zone moves every event of the file by hours, so it is never silent.
 */
import type { ProblemLog } from '../../model/problems';
import { ZONE_AMBIGUOUS, type SyslogHeader } from './syslog-header';
import { formatOffset, zoneMeanings, type ZoneSpec } from './syslog-zones';

export function createZoneNotes(problems: ProblemLog, zone: ZoneSpec | null): { note(h: SyslogHeader, lineNo: number): void } {
  const seen = new Set<string>();
  return {
    note(h: SyslogHeader, lineNo: number): void {
      if (seen.has(h.zone)) return;
      seen.add(h.zone);
      if (h.zoneIssue === ZONE_AMBIGUOUS) {
        const m = zoneMeanings(h.zone) ?? [];
        const all = m.map((x) => `${x.where} ${formatOffset(x.offsetMin)}`).join(', ');
        const used = zone ? `read in the time zone option (${zone.text})` : `read as ${m[0].where} (${formatOffset(m[0].offsetMin)}); set the time zone option (--tz) if the device is elsewhere`;
        problems.warn(`time zone ${h.zone} is ambiguous (${all}): ${used}`, { line: lineNo });
      } else {
        const used = zone ? `read in the time zone option (${zone.text})` : 'read as UTC; set the time zone option (--tz) to the device\'s zone';
        problems.warn(`time zone ${h.zone} is not known: ${used}`, { line: lineNo });
      }
    },
  };
}
