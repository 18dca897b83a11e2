/**
 * Time zones of syslog stamps: the abbreviations devices print after the time (`Apr 15 2014 09:34:34 EDT:`,
 * `Sep 25 05:08:29 UTC:`; an ASA prints whatever name `clock timezone NAME offset` gave it), and the `--tz`
 * option for stamps that name no zone (or a zone this table does not know, or an ambiguous one).
 * Offsets are the standard ones (IANA tz database abbreviations, as date(1) and Cisco's examples print them).
 * Ambiguous abbreviations are read as their first meaning, with a warning that names the others.
 * Not handled: zone names longer than 5 letters (a free `clock timezone` name such as `NewYork`), which are
 * indistinguishable from host names and stay part of the header.
 */

export interface ZoneMeaning {
  /** Minutes east of UTC. */
  offsetMin: number;
  where: string;
}

/** Abbreviation -> its meanings; the first is the one used when nothing else tells. */
const ZONES: Record<string, ZoneMeaning[]> = {};
function add(names: string, offsetMin: number, where: string): void {
  for (const n of names.split(' ')) (ZONES[n] ??= []).push({ offsetMin, where });
}
add('UTC GMT UT Z WET', 0, 'UTC');
add('WEST CET MET WAT', 60, 'Central Europe / West Africa');
add('CEST MEST EET SAST CAT', 120, 'Eastern Europe / Southern Africa');
add('EEST MSK EAT TRT', 180, 'Moscow / Eastern Europe (summer) / Eastern Africa / Turkey');
add('MSD GST', 240, 'Gulf');
add('PKT', 300, 'Pakistan');
add('IST', 330, 'India');
add('IST', 60, 'Ireland');
add('IST', 120, 'Israel');
add('IDT', 180, 'Israel (summer)');
add('NPT', 345, 'Nepal');
add('BST', 60, 'British Summer');
add('BST', 360, 'Bangladesh');
add('ICT WIB', 420, 'Indochina / Western Indonesia');
add('SGT HKT AWST PHT', 480, 'Singapore / Hong Kong / Western Australia');
add('CST', -360, 'US Central');
add('CST', 480, 'China');
add('CST', -300, 'Cuba');
add('JST KST', 540, 'Japan / Korea');
add('ACST', 570, 'Central Australia');
add('AEST', 600, 'Eastern Australia');
add('ACDT', 630, 'Central Australia (summer)');
add('AEDT', 660, 'Eastern Australia (summer)');
add('NZST', 720, 'New Zealand');
add('NZDT', 780, 'New Zealand (summer)');
add('HST', -600, 'Hawaii');
add('AKST', -540, 'Alaska');
add('AKDT PST', -480, 'US Pacific / Alaska (summer)');
add('PDT MST', -420, 'US Mountain / Pacific (summer)');
add('MDT', -360, 'US Mountain (summer)');
add('CDT EST', -300, 'US Eastern / Central (summer)');
add('EDT', -240, 'US Eastern (summer)');
add('AST', -240, 'Atlantic');
add('AST', 180, 'Arabia');
add('ADT BRT ART', -180, 'Atlantic (summer) / Brazil / Argentina');
add('NST', -210, 'Newfoundland');
add('NDT', -150, 'Newfoundland (summer)');

/** The meanings of a zone abbreviation; undefined when the table does not know it. */
export function zoneMeanings(name: string): readonly ZoneMeaning[] | undefined {
  return ZONES[name];
}

/** Is `name` (upper-case letters) shaped like a zone abbreviation the table does not know (`XXT`, `XXST`)? */
export function looksLikeZone(name: string): boolean {
  return name.length >= 3 && name.length <= 5 && name.charCodeAt(name.length - 1) === 84; // ...T
}

/** A zone for stamps that name none: a fixed offset, or an IANA name whose offset follows its rules. */
export interface ZoneSpec {
  /** As given, for messages. */
  text: string;
  /** Minutes east of UTC at a UTC instant (ms). */
  offsetAt(utcMs: number): number;
}

function fixed(text: string, offsetMin: number): ZoneSpec {
  return { text, offsetAt: () => offsetMin };
}

/** Offsets of an IANA zone via Intl, cached per hour (stamps come in time order, so one hour answers most). */
function iana(name: string): ZoneSpec | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
  } catch {
    return null;
  }
  const cache = new Map<number, number>();
  return {
    text: name,
    offsetAt(utcMs: number): number {
      const hour = Math.floor(utcMs / 3_600_000);
      let off = cache.get(hour);
      if (off === undefined) {
        const p: Record<string, number> = {};
        for (const part of fmt.formatToParts(hour * 3_600_000)) if (part.type !== 'literal') p[part.type] = Number(part.value);
        const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
        off = Math.round((local - hour * 3_600_000) / 60_000);
        if (cache.size > 4096) cache.clear();
        cache.set(hour, off);
      }
      return off;
    },
  };
}

/**
 * Parses a `--tz` value: `UTC`, `+05:30`, `-0300`, `UTC+3`, an abbreviation of the table (its first meaning) or
 * an IANA name (`Europe/Moscow`). Returns an error message for anything else.
 */
export function parseZoneOption(text: string): ZoneSpec | string {
  const t = text.trim();
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (m) {
    const h = Number(m[2]);
    const min = m[3] ? Number(m[3]) : 0;
    if (h > 14 || min > 59) return `time zone offset out of range: ${t}`;
    return fixed(t, (m[1] === '-' ? -1 : 1) * (h * 60 + min));
  }
  const upper = t.toUpperCase();
  if (ZONES[upper]) return fixed(upper, ZONES[upper][0].offsetMin);
  const z = t.includes('/') ? iana(t) : null;
  return z ?? `not a time zone: ${t} (give an offset such as +03:00, an abbreviation such as MSK, or a name such as Europe/Moscow)`;
}

/** The `--tz` of a decode, parsed; a value that is not a zone is an error in the input's problems (read as UTC). */
export function zoneOfOptions(options: { tz?: string; problems: { error(message: string): void } }): ZoneSpec | null {
  if (options.tz === undefined) return null;
  const z = parseZoneOption(options.tz);
  if (typeof z !== 'string') return z;
  options.problems.error(`${z}; stamps without a zone are read as UTC`);
  return null;
}

export function formatOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
