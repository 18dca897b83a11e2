/**
 * Dated firewall events per UTC day (for dating captures that printed only times of day). A log's lines come a day
 * at a time, so a run of one day is counted in a plain number and goes into the map when the day changes: no map
 * lookup per line.
 */
export class DayCounts {
  private readonly map = new Map<number, number>();
  /** The day of the run being counted, and its count so far. */
  private day = NaN;
  private count = 0;

  /** One event stamped at timeUs (NaN: undated, not counted). */
  add(timeUs: number): void {
    if (!Number.isFinite(timeUs)) return;
    const d = Math.floor(timeUs / 86400e6);
    if (d !== this.day) this.flush(d);
    this.count++;
  }

  /** Events per day (day number since the epoch). */
  get byDay(): Map<number, number> {
    this.flush(NaN);
    return this.map;
  }

  /** The UTC date (YYYY-MM-DD) most dated events fall on (model/firewall.ts dateFromFirewallEvents, from counts). */
  mostCommonDate(): string | undefined {
    let best = -1;
    let bestN = 0;
    for (const [d, n] of this.byDay) {
      if (n > bestN || (n === bestN && d < best)) {
        best = d;
        bestN = n;
      }
    }
    return bestN ? new Date(best * 86400e3).toISOString().slice(0, 10) : undefined;
  }

  private flush(d: number): void {
    if (this.count) this.map.set(this.day, (this.map.get(this.day) ?? 0) + this.count);
    this.day = d;
    this.count = 0;
  }
}
