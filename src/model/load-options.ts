/**
 * The user's Year and Date options (the page's fields, `analyze --year/--date`), checked once for every entry point:
 * a year outside MIN_YEAR..MAX_YEAR or a date that is not on the calendar (2018-13-45, which Date.UTC would roll over
 * to 2019-02-14) is refused with a message instead of silently moving every stamp.
 */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;

/** Why `year` cannot be used, or null. */
export function yearProblem(year: number): string | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return `year ${String(year).slice(0, 12)} is not between ${MIN_YEAR} and ${MAX_YEAR}`;
  return null;
}

/** Why `date` (YYYY-MM-DD) cannot be used, or null. */
export function dateProblem(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const shown = `"${date.slice(0, 20)}"`;
  if (!m) return `date ${shown} is not YYYY-MM-DD`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (yearProblem(y)) return `date ${shown}: ${yearProblem(y)}`;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return `date ${shown} is not a day of the calendar`;
  return null;
}

/** The first problem with these options, or null. */
export function loadOptionsProblem(o: { year?: number; date?: string }): string | null {
  if (o.year !== undefined) {
    const p = yearProblem(o.year);
    if (p) return `Year: ${p}`;
  }
  if (o.date !== undefined) {
    const p = dateProblem(o.date);
    if (p) return `Date: ${p}`;
  }
  return null;
}
