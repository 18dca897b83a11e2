/**
 * ui/live-table.ts ReportGate: a progress report with rows goes to the page at once while no table listens, and to
 * the table while one does (it shows the report with its answer); a table that stops listening lets them by again.
 */
import { describe, expect, it } from 'vitest';
import { ReportGate } from '../../src/ui/live-table';

describe('the gate of the progress reports of a log being read', () => {
  it('shows a report at once with no table, hands it to the table that listens, and lets go', () => {
    const gate = new ReportGate();
    const shown: number[] = [];
    const show = (n: number) => () => (shown.push(n), true);
    gate.offer(10, show(10));
    expect(shown).toEqual([10]);
    const held: [number, () => boolean][] = [];
    const stop = gate.listen((rows, s) => held.push([rows, s]));
    gate.offer(20, show(20));
    expect(shown).toEqual([10]);
    expect(held.map(([rows]) => rows)).toEqual([20]);
    expect(held[0][1]()).toBe(true); // the table shows it with its answer
    expect(shown).toEqual([10, 20]);
    // Another table listening since: the first one's stop leaves it be.
    const other: number[] = [];
    const stopOther = gate.listen((rows) => other.push(rows));
    stop();
    gate.offer(30, show(30));
    expect(other).toEqual([30]);
    stopOther();
    gate.offer(40, show(40));
    expect(shown).toEqual([10, 20, 40]);
  });
});
