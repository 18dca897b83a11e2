// The ladders on screen (src/state/store.ts): a fifth one never drops the first, the one being studied. And counts
// as the explorer writes them ("1 connection", never "1 connections").
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_LADDERS, useView } from '../../src/state/store';
import { countOf } from '../../src/render/format';
import { analysisStem } from '../../src/ui/export/download';

const rows = () => useView.getState().ladders.map((l) => (l.type === 'row' ? l.row : l.key));

describe('ladders side by side', () => {
  beforeEach(() => useView.getState().reset());

  it('adds beside, at most MAX_LADDERS, never the same twice', () => {
    const v = useView.getState();
    v.openOnly({ type: 'row', row: 7 });
    v.addLadder({ type: 'row', row: 1 });
    v.addLadder({ type: 'row', row: 1 });
    v.addLadder({ type: 'example', key: 'seed' });
    expect(rows()).toEqual([7, 1, 'seed']);
    expect(MAX_LADDERS).toBe(4);
  });

  it('past the limit drops the oldest after the first; the first stays', () => {
    const v = useView.getState();
    v.openOnly({ type: 'row', row: 7 });
    for (const r of [1, 2, 3]) v.addLadder({ type: 'row', row: r });
    expect(rows()).toEqual([7, 1, 2, 3]);
    v.addLadder({ type: 'row', row: 4 });
    expect(rows()).toEqual([7, 2, 3, 4]);
    v.addLadder({ type: 'row', row: 5 });
    expect(rows()).toEqual([7, 3, 4, 5]);
  });
});

describe('counts with their noun', () => {
  it('is singular for one only', () => {
    expect(countOf(1, 'connection')).toBe('1 connection');
    expect(countOf(0, 'connection')).toBe('0 connections');
    expect(countOf(12345, 'TCP packet')).toBe('12,345 TCP packets');
    expect(countOf(2, 'more', 'more')).toBe('2 more');
  });
});

describe('names of files saved from the whole analysis', () => {
  it('take the first input, say how many more, and stay file-name safe', () => {
    expect(analysisStem(['web.pcap'])).toBe('web');
    expect(analysisStem(['inside.pcapng.gz', 'outside.pcap', 'asa.log'])).toBe('inside_2');
    expect(analysisStem(['C:\\captures\\dmz fw.cap'])).toBe('dmz_fw');
    expect(analysisStem([])).toBe('teardown');
  });
});
