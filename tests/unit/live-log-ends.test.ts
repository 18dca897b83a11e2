/**
 * LiveLogRows.logEnds, the ends of a log's rows while it loads, counted anew only for the rows still open and the new
 * ones: at every report it must equal a count of every row (a Teardown comes later for some earlier rows, as
 * FirewallLog stores it: only to a row without one), over more open rows than its first list holds.
 */
import { describe, expect, it } from 'vitest';
import { LiveLogRows } from '../../src/engine/live-rows';
import { FirewallLog } from '../../src/analysis/firewall/log';
import { NO_REASON_KIND } from '../../src/model/flow-table';

/** Every row counted: a row without a Teardown under NO_REASON_KIND, else under its reason code. */
function countAll(log: FirewallLog): number[] {
  const ends = new Array<number>(256).fill(0);
  const { seen, tdReasonCode, count } = log.conns;
  for (let i = 0; i < count; i++) ends[seen[i] & 2 ? tdReasonCode[i] : NO_REASON_KIND]++;
  return ends;
}

describe('the ends of a log while it loads', () => {
  it('equal a count of every row at each report, while Teardowns close earlier rows', () => {
    const log = new FirewallLog();
    const live = new LiveLogRows(log);
    const c = log.conns;
    let x = 1;
    const rand = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let report = 0; report < 40; report++) {
      for (let k = 0; k < 200; k++) {
        const i = c.add();
        c.seen[i] = 1;
        // Some rows come with their Teardown at once (a Teardown without a Built: a row of its own).
        if (rand(3) === 0) {
          c.seen[i] |= 2;
          c.tdReasonCode[i] = 1 + rand(5);
        }
      }
      // Teardowns of earlier rows still open.
      for (let k = 0; k < 60; k++) {
        const i = rand(c.count);
        if (!(c.seen[i] & 2)) {
          c.seen[i] |= 2;
          c.tdReasonCode[i] = 1 + rand(5);
        }
      }
      expect(Array.from(live.logEnds())).toEqual(countAll(log));
    }
    // More rows stayed open than the list of open rows first holds.
    expect(countAll(log)[NO_REASON_KIND]).toBeGreaterThan(1024);
    // Released (the loaded table takes over), a count asked again starts over and still agrees.
    live.release(0);
    expect(Array.from(live.logEnds())).toEqual(countAll(log));
  });
});
