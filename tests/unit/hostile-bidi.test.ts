// Issue 15 item 15: bidi controls in names from share links and lessons no longer reach the page; names from files
// drawn in SVG (which has no <bdi>) are stripped of them and isolated when they hold right-to-left letters.
import { describe, expect, it } from 'vitest';
import { isolateName, stripBidiControls } from '../../src/lib/bidi';
import { layoutLadders } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS } from '../../src/render/ladder-types';
import { validateConnection } from '../../src/share/validate';
import { validateLesson } from '../../src/lessons/validate';

describe('bidi controls', () => {
  it('are stripped from share-link strings and lesson texts', () => {
    expect(stripBidiControls('file\u202egpj.exe\u2066x\u2069')).toBe('filegpj.exex');
    const c = validateConnection({ client: { ip: '192.0.2.1', port: 1 }, server: { ip: '192.0.2.2', port: 2 }, firewall: { device: 'fw\u202e1', denies: [] } })!;
    expect(c.firewall!.device).toBe('fw1');
    const l = validateLesson({ format: 'teardown-lesson', version: 1, id: 'x', title: 'T\u202eitle', captures: [], steps: [] });
    expect(JSON.stringify(l)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('are stripped from names drawn in a ladder, and right-to-left names are isolated', () => {
    expect(isolateName('outside')).toBe('outside');
    expect(isolateName('fw\u202e1')).toBe('fw1');
    expect(isolateName('\u05e1\u05e4\u05e7')).toBe('\u2068\u05e1\u05e4\u05e7\u2069');
    const hebrew = '\u05d7\u05d9\u05e6\u05d5\u05e0\u05d9';
    const c = validateConnection({
      client: { ip: '192.0.2.1', port: 1000 }, server: { ip: `srv\u202e${hebrew}`, port: 443 },
      firewall: {
        device: `asa\u202egpj`, denies: [], built: '2020-01-01T00:00:00Z', interfaces: { client: hebrew, server: 'outside' },
        teardown: { time: '2020-01-01T00:00:01Z', reason: `TCP FINs\u202e`, from: hebrew },
      },
    })!;
    // validateConnection already strips controls; a report made from a file keeps them until drawn.
    c.firewall!.device = 'asa\u202egpj';
    c.server.ip = `srv\u202e${hebrew}`;
    const packet = { index: 0, timeUs: Date.UTC(2020, 0, 1) * 1000, fromClient: true, flags: 0x02, relSeq: 0, relAck: 0, payloadLength: 0, window: 100, anomalies: [] };
    const [g] = layoutLadders([{ connection: c, packets: [packet], totalPackets: 1, origin: '' }], { width: 500, timeMode: 'even', focus: 'whole', labels: DEFAULT_LABELS, zoom: 1 });
    const texts = [...g.lanes.flatMap((l) => [l.label, l.sublabel, l.title ?? '']), ...g.events.flatMap((e) => [e.text, e.detail])];
    expect(texts.join(' ')).not.toMatch(/[\u202a-\u202e]/);
    expect(g.lanes.find((l) => l.role === 'server')!.sublabel + g.lanes.find((l) => l.role === 'server')!.title).toContain(`\u2068srv${hebrew}\u2069:443`);
    expect(g.lanes.find((l) => l.role === 'firewall')!.sublabel).toBe(`\u2068${hebrew}\u2069 | outside`);
    expect(g.events.find((e) => e.kind === 'teardown')!.text).toBe(`Teardown · TCP FINs from \u2068${hebrew}\u2069`);
  });
});
