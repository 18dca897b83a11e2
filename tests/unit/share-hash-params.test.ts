import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseHashParams } from '../../src/share/hash-params';

describe('hash params', () => {
  it('reads captures, examples, lessons and share links', () => {
    const p = parseHashParams('#capture=https%3A%2F%2Fexample.org%2Fa.pcap&capture=b.pcapng&example=seed&lesson=clean-close&x=1', 'https://host/teardown/');
    expect(p.captureUrls).toEqual(['https://example.org/a.pcap', 'https://host/teardown/b.pcapng']);
    expect(p.example).toBe('seed');
    expect(p.lesson).toBe('clean-close');
    expect(p.problems).toEqual([]);
    expect(parseHashParams('#s=1.abc.def').share).toBe('s=1.abc.def');
  });
  it('refuses scripts and odd schemes, and says why', () => {
    const p = parseHashParams('#capture=javascript:alert(1)&lesson=<img>&capture=%E0%A4%A');
    expect(p.captureUrls).toEqual([]);
    expect(p.lesson).toBeUndefined();
    expect(p.problems).toHaveLength(3);
  });
  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => Array.isArray(parseHashParams(s, 'https://h/').problems)), { numRuns: 500 });
  });
});
