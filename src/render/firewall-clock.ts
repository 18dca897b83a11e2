/**
 * The firewall log's clock against a ladder's time axis (issue #19).
 *
 * A log event (Built, Teardown, Deny) concerns a packet the firewall handled between the capture point on the
 * packet's sender's side and the one on its receiver's side. Syslog stamps are whole seconds: an event stamped
 * 12:00:50 happened in [12:00:50, 12:00:51) on the firewall's clock, which need not agree with the captures'.
 * Like the clock offset between two captures (analysis/vantage/match.ts), the firewall's offset is bounded by
 * causality: every event matched to a packet happened after that packet reached the firewall (its sender's side
 * saw it), and a Built before the SYN left the firewall (its receiver's side saw it). The estimate is the
 * analysis's (analysis/firewall/facts.ts) moved into those bounds. Events that match a packet are drawn right
 * after it whatever the offset; the others at their stamp moved by the estimate.
 */

/** When each packet (index in the ladder's packets) reached and left the firewall, µs on the ladder's axis. */
export interface MarkClock {
  /** When the packet reached the firewall: its sender's side saw it (one point: the capture's time); null: not seen there. */
  near(i: number): number | null;
  /** When it left towards its receiver (one point: the capture's time); null: not seen there. */
  far(i: number): number | null;
}

/** A log event as the estimate uses it: its stamp and resolution, the packet it matched (-1: none). */
export interface StampedEvent {
  stampUs: number;
  resUs: number;
  at: number;
  /** The event happened before the packet left the firewall (a Built, on the SYN). */
  beforeLeaving: boolean;
}

export interface FirewallClock {
  /** Every event drawn has a whole-second stamp. */
  wholeSecond: boolean;
  /** Firewall clock minus the axis clock (µs), as used to place events that match no packet. */
  offsetUs: number;
  /** The offsets the matched events allow [lo, hi) (µs); null when none matched, or they disagree. */
  rangeUs: [number, number] | null;
  /** Events drawn after the packet they match, and events drawn at their stamp. */
  matched: number;
  unmatched: number;
}

/** The packet's time on the axis where the firewall handled it: reached it, else left it. */
export function atFirewall(clock: MarkClock, i: number): number | null {
  return clock.near(i) ?? clock.far(i);
}

/** Bounds on the firewall's offset from the events matched to packets, and the estimate within them. */
export function estimateFirewallClock(events: readonly StampedEvent[], clock: MarkClock, priorUs: number): Pick<FirewallClock, 'offsetUs' | 'rangeUs'> {
  let lo = -Infinity;
  let hi = Infinity;
  let any = false;
  for (const e of events) {
    if (e.at < 0) continue;
    const near = clock.near(e.at);
    const far = clock.far(e.at);
    // Firewall time F in [stamp, stamp + res); F - offset >= near, and (before leaving) F - offset <= far.
    if (near !== null) {
      hi = Math.min(hi, e.stampUs + e.resUs - near);
      any = true;
    }
    if (e.beforeLeaving && far !== null) {
      lo = Math.max(lo, e.stampUs - far);
      any = true;
    }
  }
  if (!any || lo >= hi) return { offsetUs: priorUs, rangeUs: null };
  // The analysis's estimate where the bounds allow it, else the nearest end (hi is open: just under it).
  const offsetUs = Math.min(Math.max(priorUs, lo), hi - 1);
  return { offsetUs, rangeUs: [lo, hi] };
}

const seconds = (us: number) => `${us < 0 ? '−' : '+'}${Math.abs(us / 1e6).toFixed(3)} s`;

/**
 * What the ladder says of its firewall events' placement: whole-second stamps, drawn after the packet each matches,
 * and the log's clock against each capture point's (`points`: name, and that point's clock minus the axis clock).
 */
export function firewallClockText(fc: FirewallClock, points: readonly { name: string; shiftUs: number }[]): string {
  const out: string[] = [];
  const placed = fc.matched ? `${fc.matched === 1 && !fc.unmatched ? 'its event is' : 'its events are'} drawn right after the packet ${fc.matched === 1 ? 'it matches' : 'each matches'}${fc.unmatched ? `, ${fc.unmatched === 1 ? 'the other' : `the other ${fc.unmatched}`} at ${fc.unmatched === 1 ? 'its stamp' : 'their stamps'}` : ''}`
    : 'no event matches a packet, so they are drawn at their stamps';
  out.push(fc.wholeSecond ? `Firewall log stamps are whole seconds: ${placed}.` : `Firewall log: ${placed}.`);
  const views = points.length ? points : [{ name: 'the capture', shiftUs: 0 }];
  const against = views.map((p) => `${seconds(fc.offsetUs - p.shiftUs)} against ${p.name}`).join(', ');
  const range = fc.rangeUs && Number.isFinite(fc.rangeUs[0]) && Number.isFinite(fc.rangeUs[1])
    ? `; the matched events allow ${seconds(fc.rangeUs[0] - views[0].shiftUs)} to ${seconds(fc.rangeUs[1] - views[0].shiftUs)} against ${views[0].name}`
    : '';
  out.push(`Its clock (estimated): ${against}${range}.`);
  return out.join(' ');
}
