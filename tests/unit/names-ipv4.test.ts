// model/names.ts keeps each interned IPv4 address's value by id (ipv4Of), from which the JSON writers make its text
// (facts.ts ipMember): it must be the value of exactly the text list[id] holds, and -1 for every other name.
import { describe, expect, it } from 'vitest';
import { Names, ipv4Code } from '../../src/model/names';

describe('Names: IPv4 values by id', () => {
  it('gives the value of a dotted IPv4 name, however it was interned, and -1 for any other name', () => {
    const names = new Names();
    const texts = ['10.0.0.1', 'inside', '192.168.100.255', '2001:db8::1', '010.0.0.1', '0.0.0.0', '255.255.255.255', 'TCP FINs', '1.2.3'];
    const ids = texts.map((t) => names.id(t));
    // From a line's bytes, as the decoders intern addresses (the text made only the first time).
    const line = new TextEncoder().encode('from 172.16.5.4/443 to 10.0.0.1/80');
    const fromBytes = names.ipv4Id(ipv4Code('172.16.5.4'), line, 5, 15);
    expect(names.ipv4Id(ipv4Code('10.0.0.1'), line, 23, 31)).toBe(ids[0]);
    // Many more, past the table's first size.
    for (let k = 0; k < 10_000; k++) names.id(`10.${k >> 8}.${k & 255}.7`);
    for (const id of [...ids, fromBytes, names.find('10.39.15.7')]) {
      const text = names.list[id];
      const code = ipv4Code(text);
      // 0.0.0.0 is left to its text (its value, 0, marks "not an address").
      expect(names.ipv4Of(id)).toBe(code > 0 ? code : -1);
      if (code > 0) expect([code >>> 24, (code >>> 16) & 255, (code >>> 8) & 255, code & 255].join('.')).toBe(text);
    }
    expect(names.ipv4Of(names.list.length + 5)).toBe(-1);
  });

  it('interns an address given as its value (ipv4CodeId) as the same name as its text, with the canonical text', () => {
    const names = new Names();
    const parts = [0, 1, 9, 10, 42, 99, 100, 199, 255];
    const texts: string[] = [];
    for (const a of parts) for (const b of parts) texts.push(`${a}.${b}.${255 - b}.${a}`);
    const early = texts.slice(0, 20).map((t) => names.id(t));
    for (const t of texts) {
      const id = names.ipv4CodeId(ipv4Code(t));
      expect(names.list[id]).toBe(t);
      expect(names.id(t)).toBe(id);
      expect(names.isIpv4(id)).toBe(true);
    }
    // Known ones keep their ids; the rest were added once each.
    expect(texts.slice(0, 20).map((t) => names.ipv4CodeId(ipv4Code(t)))).toEqual(early);
    expect(names.list.length).toBe(new Set(texts).size);
  });
});
