// Stamps and their zones (decode/text/syslog-header.ts, syslog-zones.ts): abbreviations with their offsets and
// ambiguity, unknown zones warned about by line, the zone option (--tz), FTD's year-first stamp and RFC 5424
// headers whose APP-NAME is the tag. The story must still pair and join in each shape.
import { describe, expect, it } from 'vitest';
import { parseZoneOption } from '../../src/decode/text/syslog-zones';
import { decodeLines, iso, one } from './syslog-helpers';
import { analyzeText, expectStory, STORY } from './syslog-story';

const BODY = 'Deny TCP (no connection) from 192.0.2.1/443 to 198.51.100.2/50000 flags RST  on interface outside';
const at = (stamp: string, tz?: string) => {
  const d = decodeLines([`${stamp}: %ASA-6-106015: ${BODY}`], { year: 2024, ...(tz ? { tz } : {}) });
  return { time: iso(d.events[0]), warnings: d.problems.warnings.map((w) => `${w.line}: ${w.message}`) };
};

describe('zone abbreviations', () => {
  const known: [zone: string, utc: string][] = [
    ['MSK', '2024-03-05T11:22:01.000Z'], // the case: was read as UTC, 3 hours off
    ['UTC', '2024-03-05T14:22:01.000Z'],
    ['CEST', '2024-03-05T12:22:01.000Z'],
    ['EET', '2024-03-05T12:22:01.000Z'],
    ['JST', '2024-03-05T05:22:01.000Z'],
    ['AEDT', '2024-03-05T03:22:01.000Z'],
    ['PDT', '2024-03-05T21:22:01.000Z'],
    ['NZDT', '2024-03-05T01:22:01.000Z'],
  ];
  for (const [zone, utc] of known) {
    it(`${zone} has its offset and no warning`, () => expect(at(`Mar 05 2024 14:22:01 ${zone}`)).toEqual({ time: utc, warnings: [] }));
  }

  it('IST and CST are ambiguous: the first meaning is used and the warning names the line and the others', () => {
    const ist = at('Mar 05 2024 14:22:01 IST');
    expect(ist.time).toBe('2024-03-05T08:52:01.000Z');
    expect(ist.warnings).toEqual([expect.stringMatching(/^1: time zone IST is ambiguous \(India UTC\+05:30, Ireland UTC\+01:00, Israel UTC\+02:00\)/)]);
    const cst = at('Mar 05 2024 14:22:01 CST');
    expect(cst.time).toBe('2024-03-05T20:22:01.000Z');
    expect(cst.warnings[0]).toMatch(/CST is ambiguous \(US Central UTC-06:00, China UTC\+08:00, Cuba UTC-05:00\)/);
  });

  it('the zone option chooses the meaning of an ambiguous abbreviation', () => {
    expect(at('Mar 05 2024 14:22:01 CST', '+08:00')).toEqual({
      time: '2024-03-05T06:22:01.000Z',
      warnings: ['1: time zone CST is ambiguous (US Central UTC-06:00, China UTC+08:00, Cuba UTC-05:00): read in the time zone option (+08:00)'],
    });
  });

  it('an unknown zone is read as UTC with a warning naming its first line, once per zone', () => {
    const d = decodeLines([
      `Mar 05 2024 14:22:01 UTC: %ASA-6-106015: ${BODY}`,
      `Mar 05 2024 14:22:02 YEKT: %ASA-6-106015: ${BODY}`,
      `Mar 05 2024 14:22:03 YEKT: %ASA-6-106015: ${BODY}`,
    ]);
    expect(d.events.map(iso)).toEqual(['2024-03-05T14:22:01.000Z', '2024-03-05T14:22:02.000Z', '2024-03-05T14:22:03.000Z']);
    expect(d.problems.warnings).toEqual([
      { file: 'test.log', line: 2, message: "time zone YEKT is not known: read as UTC; set the time zone option (--tz) to the device's zone" },
    ]);
  });

  it('an unknown zone with the zone option is read in it, and still noted', () => {
    expect(at('Mar 05 2024 14:22:01 YEKT', 'Asia/Yekaterinburg')).toEqual({
      time: '2024-03-05T09:22:01.000Z',
      warnings: ['1: time zone YEKT is not known: read in the time zone option (Asia/Yekaterinburg)'],
    });
  });

  it('host names after the stamp are not zones', () => {
    expect(one(`Mar 05 2024 14:22:01 FW01 %ASA-6-106015: ${BODY}`).device).toBe('FW01');
    expect(one(`Mar 05 2024 14:22:01 fw-a : %ASA-6-106015: ${BODY}`).device).toBe('fw-a');
  });
});

describe('the zone option (--tz)', () => {
  it('reads stamps without a zone: offsets, abbreviations, IANA names with their summer time', () => {
    expect(at('Mar 05 2024 14:22:01', '+03:00').time).toBe('2024-03-05T11:22:01.000Z');
    expect(at('Mar 05 2024 14:22:01', '-0530').time).toBe('2024-03-05T19:52:01.000Z');
    expect(at('Mar 05 2024 14:22:01', 'MSK').time).toBe('2024-03-05T11:22:01.000Z');
    expect(at('Jul 05 2024 14:22:01', 'Europe/Berlin').time).toBe('2024-07-05T12:22:01.000Z');
    expect(at('Jan 05 2024 14:22:01', 'Europe/Berlin').time).toBe('2024-01-05T13:22:01.000Z');
  });
  it('never moves stamps that name their zone', () => {
    expect(at('Mar 05 2024 14:22:01 UTC', '+03:00').time).toBe('2024-03-05T14:22:01.000Z');
    expect(at('2024-03-05T14:22:01Z', '+03:00').time).toBe('2024-03-05T14:22:01.000Z');
  });
  it('rejects what is no zone, with a message', () => {
    expect(parseZoneOption('Mars/Olympus')).toMatch(/not a time zone/);
    expect(parseZoneOption('+25:00')).toMatch(/out of range/);
  });
  it('the story in a zone: every time moves, pairing and the 106015 join hold', async () => {
    const text = STORY.map(([t, m]) => `${t.replace('T', ' ')} asa-edge-01 ${m}`).join('\n');
    const { input, connections } = await analyzeText('local.log', `${text}\n`, { tz: 'Europe/Moscow' });
    expect(input.warnings).toEqual([]);
    expectStory(connections, 'asa-edge-01', 3 * 3600);
  });
});

describe("FTD's year-first stamp and RFC 5424", () => {
  it('`<166>: 2024 Mar 05 14:22:01 UTC:` takes its year (no "assumed" warning)', () => {
    const d = decodeLines([`<166>: 2024 Mar 05 14:22:01 UTC: %FTD-6-106015: ${BODY}`]);
    expect(d.events.map(iso)).toEqual(['2024-03-05T14:22:01.000Z']);
    expect(d.problems.warnings).toEqual([]);
  });
  it('RFC 5424 with the tag as APP-NAME: device, time, and the message after PROCID, MSGID and SD', () => {
    const e = one(`<166>1 2024-03-05T14:22:01+01:00 asa-edge-01 %ASA-6-106015 - - - ${BODY}`);
    expect([iso(e), e.device, e.src?.addr, e.dst?.port, e.iface]).toEqual(['2024-03-05T13:22:01.000Z', 'asa-edge-01', '192.0.2.1', 50000, 'outside']);
    const sd = one(`<166>1 2024-03-05T14:22:01.5Z asa-edge-01 %FTD-6-106015 77 DENY [meta sequenceId="9" note="a \\] b"][x@1 y="z"] \ufeff${BODY}`);
    expect([iso(sd), sd.device, sd.tcpFlags, sd.precisionUs]).toEqual(['2024-03-05T14:22:01.500Z', 'asa-edge-01', 4, 100000]);
  });
  it('RFC 5424 story pairs and joins', async () => {
    const text = STORY.map(([t, m]) => {
      const [tag, body] = [m.slice(0, m.indexOf(':')), m.slice(m.indexOf(':') + 2)];
      return `<166>1 ${t}Z asa-edge-01 ${tag} - - - ${body}`;
    }).join('\n');
    const { input, connections } = await analyzeText('rfc5424.log', `${text}\n`);
    expect(input.warnings).toEqual([]);
    expectStory(connections, 'asa-edge-01');
  });
});
