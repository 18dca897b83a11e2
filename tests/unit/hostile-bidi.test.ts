// Issue 15 item 15: bidi controls in names from share links and lessons no longer reach the page.
import { describe, expect, it } from 'vitest';
import { stripBidiControls } from '../../src/lib/bidi';
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
});
