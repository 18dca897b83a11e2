/**
 * A date for text captures that print only the time of day (ASA `show capture`, plain tcpdump), taken from
 * firewall syslog loaded beside them: the UTC date (YYYY-MM-DD) most of the dated events fall on.
 */
import type { FirewallEvent } from '../../model/firewall';

export function dateFromFirewallEvents(events: Iterable<FirewallEvent>): string | undefined {
  const days = new Map<number, number>();
  for (const e of events) {
    if (!Number.isFinite(e.timeUs)) continue;
    const d = Math.floor(e.timeUs / 86400e6);
    days.set(d, (days.get(d) ?? 0) + 1);
  }
  let best = -1;
  let bestN = 0;
  for (const [d, n] of days) {
    if (n > bestN || (n === bestN && d < best)) {
      best = d;
      bestN = n;
    }
  }
  return bestN ? new Date(best * 86400e3).toISOString().slice(0, 10) : undefined;
}
