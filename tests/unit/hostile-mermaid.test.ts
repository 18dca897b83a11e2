// Issue 15 item 9: the Mermaid .md export put raw HTML from a crafted share link or a syslog object name in its
// headings. Everything outside the code fence is escaped; inside it, the diagram keeps only Mermaid-safe characters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { laddersToMarkdown, markdownText } from '../../src/export/mermaid';
import type { SharedLadder } from '../../src/share/share-state';

const HOSTILE = ['<img src=x onerror=alert(1)>', '</code><script>alert(1)</script>', '```\n<b>x</b>\n```', '[x](javascript:alert(1))', '&lt;b&gt;', '\u202eevil'];
const ladder = (name: string): SharedLadder => ({
  connection: {
    id: 'x', files: [], client: { ip: name, port: 1 }, server: { ip: '10.0.0.2', port: 443 }, start: '', end: '',
    packets: { client: 1, server: 0 }, payloadBytes: { client: 0, server: 0 }, handshake: 'none',
  } as SharedLadder['connection'],
  t0Us: 0, totalPackets: 1, packets: [{ t: 0, c: 1, f: 0x02, s: 0, a: 0, l: 0, w: 0, v: 0, i: 0, x: [name] }],
});

/** The text outside ```mermaid fences. */
const outside = (md: string) => md.replace(/```mermaid\n[\s\S]*?```\n/g, '');

describe('Mermaid Markdown export', () => {
  it('escapes hostile names in headings; the fence cannot be closed early', () => {
    const md = laddersToMarkdown(HOSTILE.map((h) => ({ caption: `${h} → 10.0.0.2:443`, ladder: ladder(h) })));
    const rest = outside(md);
    expect(rest).not.toMatch(/[<>]/);
    expect(rest).not.toMatch(/(^|[^\\])\[x\]\(/);
    expect(rest).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    // Exactly one fence pair per ladder: nothing in a name opened or closed one.
    expect(md.match(/^```/gm)).toHaveLength(2 * HOSTILE.length);
    for (const block of md.match(/```mermaid\n[\s\S]*?```\n/g)!) expect(block.slice(10, -4).replace(/->>/g, "")).not.toMatch(/[<>`]/);
  });
  it('markdownText never leaves a raw < > or line break, for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const t = markdownText(s);
      expect(t).not.toMatch(/[<>\n\r\u2028\u2029]/);
    }), { numRuns: 2000 });
  });
});
