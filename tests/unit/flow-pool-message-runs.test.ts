// Two look-ups made cheaper for a big log's table and summary: the flow table's string pool filled without a Map
// (model/flow-table.ts createFlowColumns internNew) and message ids counted or read by runs of one id
// (analysis/firewall/message-numbers.ts). Each must answer as the plain Map did.
import { describe, expect, it } from 'vitest';
import { createFlowColumns } from '../../src/model/flow-table';
import { FirewallDenyColumns, Names, PROTO_TCP } from '../../src/model/firewall-store';
import { DENY_CAUSE } from '../../src/model/deny-causes';
import { DENY_ROW_KIND } from '../../src/model/firewall';
import { MessageNumbers, noConnectionMessageIds } from '../../src/analysis/firewall/message-numbers';

describe('flow table string pool', () => {
  it('intern() after internNew() finds the strings appended, and adds only new ones', () => {
    const { c, intern, internNew } = createFlowColumns(0, true);
    expect(internNew('10.0.0.1')).toBe(1);
    expect(internNew('TCP FINs')).toBe(2);
    expect(intern('10.0.0.1')).toBe(1);
    expect(intern('')).toBe(0);
    expect(intern('10.0.0.2')).toBe(3);
    expect(internNew('10.0.0.3')).toBe(4);
    expect(intern('10.0.0.3')).toBe(4);
    expect(intern('TCP FINs')).toBe(2);
    expect(c.strings).toEqual(['', '10.0.0.1', 'TCP FINs', '10.0.0.2', '10.0.0.3']);
  });
});

describe('message ids by runs', () => {
  const names = new Names();
  const ids = ['106015', '106023', 'word', '4294967296', '0000000013'].map((t) => names.id(t));

  it('MessageNumbers reads each id as its number whatever the order asked', () => {
    const m = new MessageNumbers(names);
    const want = [106015, 106023, 0, 0, 13];
    const order = [0, 0, 1, 0, 2, 2, 3, 1, 4, 4, 0];
    for (const k of order) expect(m.of(ids[k])).toBe(want[k]);
    expect(m.of(0xffffffff)).toBe(0);
    expect(m.of(ids[0])).toBe(106015);
  });

  it('noConnectionMessageIds counts runs of ids apart and together, most first, ties by id', () => {
    const d = new FirewallDenyColumns();
    const add = (id: number, repeat: number, noConnection = true) => {
      const j = d.add();
      d.kind[j] = DENY_ROW_KIND.deny;
      d.cause[j] = noConnection ? DENY_CAUSE['no-connection'] : DENY_CAUSE['no-connection'] + 1;
      d.proto[j] = PROTO_TCP;
      d.messageId[j] = id;
      d.repeat[j] = repeat;
    };
    // 106023: 2 + 3 = 5 in two runs, more than 106015's 4 in one; a row of another cause does not count.
    add(ids[1], 2);
    add(ids[0], 4);
    add(ids[0], 9, false);
    add(ids[4], 1);
    add(ids[1], 3);
    expect(noConnectionMessageIds(d, names)).toEqual(['106023', '106015', '0000000013']);
    // The last run counts too (0000000013: 4, as many as 106015, which was interned first and stays before it).
    add(ids[4], 3);
    expect(noConnectionMessageIds(d, names)).toEqual(['106023', '106015', '0000000013']);
    add(ids[4], 2);
    expect(noConnectionMessageIds(d, names)).toEqual(['0000000013', '106023', '106015']);
  });
});
