/** Lesson file validation (errors name the field), connection choice, base64, and the step engine's walk. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStops, decodeBase64, parseEndpoint, parseLesson, selectConnection, validateLesson } from '../../src/lessons';
import type { ConnectionReport } from '../../src/model/report';

const minimal = () => ({
  format: 'teardown-lesson', version: 1, id: 'mine', title: 'My lesson',
  captures: [{ url: 'captures/x.pcap' }],
  steps: [{ packet: 0 }],
});

describe('validateLesson', () => {
  it('accepts a minimal lesson and fills defaults', () => {
    const r = validateLesson(minimal());
    expect(r.errors).toEqual([]);
    expect(r.lesson).toMatchObject({ id: 'mine', captures: [{ name: 'x.pcap', url: 'captures/x.pcap' }], connection: {}, intro: '' });
  });

  it('names the field of every problem', () => {
    const bad = {
      ...minimal(),
      id: 'Not An Id',
      captures: [{ url: 'javascript:alert(1)' }, { text: 'x' }, { url: 'a.pcap', base64: 'AAAA' }],
      steps: [
        { packet: 2, states: { client: 'FIN_WAIT_3' } },
        { packet: 1, expect: { from: 'middle', flags: 'FIN BOGUS' } },
        { packet: 3, question: { prompt: 'Q?', choices: [{ text: 'a', why: 'b' }, { text: 'c', why: 'd', correct: 'yes' }] } },
        { packet: 4, question: { prompt: 'Q?', choices: [{ text: 'only', correct: true, why: 'x' }] } },
        { packet: 5, text: 42 },
      ],
      references: [{ title: 'x', url: 'ftp://example.org' }],
      options: { date: '20 June 2018' },
    };
    const r = validateLesson(bad);
    expect(r.lesson).toBeNull();
    const text = r.errors.join('\n');
    for (const field of [
      'id:', 'captures[0].url:', 'captures[1].name:', 'captures[2]: give only one', 'steps[0].states.client:',
      'steps[1].packet:', 'steps[1].expect.from:', 'steps[1].expect.flags:', 'steps[2].question.choices[1].correct:',
      'steps[3].question.choices: needs at least 2', 'steps[4].text: must be text', 'references[0].url:', 'options.date:',
    ]) expect(text).toContain(field);
  });

  it('warns about unknown fields instead of failing', () => {
    const r = validateLesson({ ...minimal(), steps: [{ packet: 0, txt: 'typo' }], colour: 'red' });
    expect(r.errors).toEqual([]);
    expect(r.warnings.join('\n')).toContain('steps[0].txt: unknown field');
    expect(r.warnings.join('\n')).toContain('colour: unknown field');
  });

  it('flags a question without a correct choice, and steps out of range', () => {
    const r = validateLesson({
      ...minimal(), range: { from: 2, to: 4 },
      steps: [{ packet: 5, question: { prompt: 'Q', choices: [{ text: 'a', why: 'b' }, { text: 'c', why: 'd' }] } }],
    });
    expect(r.errors.join('\n')).toContain('steps[0].packet: (5) is outside range 2..4');
    expect(r.errors.join('\n')).toContain('no choice is marked "correct": true');
  });

  it('reports JSON syntax errors and non-objects', () => {
    expect(parseLesson('{ "format": ').errors[0]).toMatch(/^\(lesson file\): not valid JSON/);
    expect(validateLesson([1, 2]).errors[0]).toMatch(/^\(lesson file\): must be an object/);
  });

  it('never throws on a capture URL with broken percent-encoding (regression)', () => {
    const r = validateLesson({ ...minimal(), captures: [{ url: 'captures/a%zz.pcap' }, { url: 'captures/b%20c.pcap' }] });
    expect(r.errors).toEqual([]);
    expect(r.lesson!.captures.map((c) => c.name)).toEqual(['a%zz.pcap', 'b c.pcap']);
  });

  it('keeps text as text (markup is not interpreted, only carried)', () => {
    const r = validateLesson({ ...minimal(), title: '<img src=x onerror=alert(1)>' });
    expect(r.lesson!.title).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('helpers', () => {
  it('parses endpoints in every documented form', () => {
    expect(parseEndpoint('10.0.0.1:443')).toEqual({ ip: '10.0.0.1', port: 443 });
    expect(parseEndpoint(':443')).toEqual({ ip: null, port: 443 });
    expect(parseEndpoint('[::1]:8080')).toEqual({ ip: '::1', port: 8080 });
    expect(parseEndpoint('2001:DB8::1')).toEqual({ ip: '2001:db8::1', port: null });
    expect(parseEndpoint('10.0.0.1')).toEqual({ ip: '10.0.0.1', port: null });
  });

  it('decodes standard base64 like Node does', () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../../public/lessons/captures/refused.pcap')));
    expect(decodeBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    expect(decodeBase64('not*base64')).toBeNull();
  });

  it('picks the n-th matching connection and explains when there is none', () => {
    const conn = (cp: number, sp: number) => ({ client: { ip: '10.0.0.1', port: cp }, server: { ip: '10.0.0.2', port: sp } }) as ConnectionReport;
    const list = [conn(1000, 80), conn(1001, 443), conn(1002, 443)];
    expect(selectConnection({ server: ':443', nth: 1 }, list)).toEqual({ index: 2 });
    expect(selectConnection({ client: '10.0.0.1:1000' }, list)).toEqual({ index: 0 });
    expect(selectConnection({ server: ':22' }, list)).toMatchObject({ error: expect.stringContaining('3 connection(s), 0 with server :22') });
  });
});

describe('buildStops', () => {
  it('asks before it shows, and describes packets the lesson leaves without text', () => {
    const lesson = validateLesson({
      ...minimal(), intro: 'hi', conclusion: 'bye',
      steps: [{ packet: 1, question: { prompt: 'What now?', choices: [{ text: 'SYN-ACK', correct: true, why: 'y' }, { text: 'RST', why: 'n' }] } }],
    }).lesson!;
    const packets = [
      { index: 0, timeUs: 0, fromClient: true, flags: 0x02, relSeq: 0, relAck: 0, payloadLength: 0, window: 0, anomalies: [] },
      { index: 1, timeUs: 10, fromClient: false, flags: 0x12, relSeq: 0, relAck: 1, payloadLength: 0, window: 0, anomalies: [] },
    ];
    const conn = { close: { states: { client: [{ state: 'SYN_SENT', packet: 0 }, { state: 'ESTABLISHED', packet: 1 }], server: [{ state: 'LISTEN', packet: 0 }, { state: 'SYN_RECEIVED', packet: 1 }] } } } as unknown as ConnectionReport;
    const stops = buildStops(lesson, conn, packets);
    expect(stops.map((s) => `${s.kind}:${s.packet}:${s.visibleUpTo}`)).toEqual(['intro:-1:-1', 'show:0:0', 'ask:1:0', 'show:1:1', 'end:-1:1']);
    expect(stops[1]).toMatchObject({ authored: false, states: { client: 'SYN_SENT', server: 'LISTEN' }, changed: { client: true, server: true } });
    expect(stops[1].text).toContain('client opens the connection with SYN');
    expect(stops[3].text).toContain('server accepts');
    expect(stops[3].text).toContain('SYN-RECEIVED');
    expect(stops[2].states).toEqual({ client: 'SYN_SENT', server: 'LISTEN' });
  });
});
