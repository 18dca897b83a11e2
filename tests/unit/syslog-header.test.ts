// Syslog wrappers in front of %ASA-/%FTD- tags (formats.md §1.1): stamps, years, zones, devices, relays.
import { describe, expect, it } from 'vitest';
import { decodeLines, iso, one } from './syslog-helpers';

const BODY = 'Deny TCP (no connection) from 192.0.2.1/443 to 198.51.100.2/50000 flags RST  on interface outside';

describe('syslog header shapes', () => {
  const cases: [name: string, header: string, time: string, device: string, precisionUs: number][] = [
    ['PRI + date with year + host', '<166>Jun 20 2018 11:58:45 fw-a : ', '2018-06-20T11:58:45.000Z', 'fw-a', 1e6],
    ['no PRI, year, host and process[pid]', 'Oct 10 2018 12:34:56 localhost CiscoASA[999]: ', '2018-10-10T12:34:56.000Z', 'localhost', 1e6],
    ['single-digit day padded with a space, no year', 'May  5 17:51:17 dev01: ', '2018-05-05T17:51:17.000Z', 'dev01', 1e6],
    ['PRI glued to the stamp, colon', '<188>May  5 17:51:17: ', '2018-05-05T17:51:17.000Z', '', 1e6],
    ['milliseconds', 'Apr 29 12:59:50.138: ', '2018-04-29T12:59:50.138Z', '', 1000],
    ['microseconds', 'Apr 30 09:22:38.340591: ', '2018-04-30T09:22:38.340Z', '', 1],
    ['time zone abbreviation (EDT = UTC-4)', 'Apr 15 2014 09:34:34 EDT: ', '2014-04-15T13:34:34.000Z', '', 1e6],
    ['UTC zone, no year', 'Nov 01 16:42:22 UTC: ', '2018-11-01T16:42:22.000Z', '', 1e6],
    ['ISO 8601 Z', '<166>2024-06-26T01:35:42Z: ', '2024-06-26T01:35:42.000Z', '', 1e6],
    ['ISO 8601 with offset and fraction', '2021-04-01T12:06:26.250+02:00 10.126.11.254 : ', '2021-04-01T10:06:26.250Z', '10.126.11.254', 1000],
    ['ISO relay header with IP host', '2021-04-01T10:06:26Z 10.126.11.254 : ', '2021-04-01T10:06:26.000Z', '10.126.11.254', 1e6],
    ['IP host without colon', 'Jun 26 18:04:40 198.51.100.10 ', '2018-06-26T18:04:40.000Z', '198.51.100.10', 1e6],
    ['relay stamp then the device stamp: the device one wins', 'Wed Jun 20 11:58:46 2018;; <167>Jun 20 2018 11:58:45 : ', '2018-06-20T11:58:45.000Z', '', 1e6],
    ['relay host then a second stamp with zone', 'Sep 25 01:08:29 host1.example.com : Sep 25 05:08:29 UTC: ', '2018-09-25T05:08:29.000Z', 'host1.example.com', 1e6],
    ['placeholder host', 'Dec 11 2018 08:01:24 <IP>: ', '2018-12-11T08:01:24.000Z', '<IP>', 1e6],
    ['pipe-separated collector', '6|Nov 28 2014 12:59:03|', '2014-11-28T12:59:03.000Z', '', 1e6],
    ['PRI with colon and stamp with zone', '<166>:Feb 26 11:26:52 UTC: ', '2018-02-26T11:26:52.000Z', '', 1e6],
  ];
  for (const [name, header, time, device, precision] of cases) {
    it(name, () => {
      const e = one(`${header}%ASA-6-106015: ${BODY}`);
      expect(iso(e)).toBe(time);
      expect(e.device).toBe(device);
      expect(e.precisionUs).toBe(precision);
      expect(e.messageId).toBe('106015');
    });
  }

  it('no stamp at all: time NaN, device from the PRI-glued host', () => {
    const e = one(`<166>ACA1a-FW-FTDV01 %FTD-6-106015: ${BODY}`);
    expect(Number.isNaN(e.timeUs)).toBe(true);
    expect(e.device).toBe('ACA1a-FW-FTDV01');
    expect(one(`<166>%FTD-6-106015: ${BODY}`).device).toBe('');
    expect(one(`<166>:: %ASA-6-106015: ${BODY}`).device).toBe('');
  });

  it('tag variants: FTD, class infix, doubled dash, junk after facility, missing colon, no percent sign, re-levelled', () => {
    for (const tag of ['%FTD-6-106015:', '%ASA-session-6-106015:', '%FTD--6-106015:', '%FTD<Up>-6-106015:', '%ASA-6-106015', 'ASA-6-106015:', '%ASA-2-106015:', '%PIX-6-106015:']) {
      const e = one(`Jun 20 2018 11:58:45 : ${tag} ${BODY}`);
      expect(e.messageId, tag).toBe('106015');
      expect(e.src?.addr, tag).toBe('192.0.2.1');
    }
    expect(one(`Jun 20 2018 11:58:45 : %ASA-2-106015: ${BODY}`).severity).toBe(2);
  });
});

describe('years for stamps without one', () => {
  const line = (stamp: string) => `${stamp} fw : %ASA-6-106015: ${BODY}`;

  it('takes the year from another line of the file, before or after', () => {
    const d = decodeLines([line('Jun 20 11:00:00'), line('Jun 20 2016 11:00:01'), line('Jun 20 11:00:02')]);
    expect(d.events.map(iso)).toEqual(['2016-06-20T11:00:00.000Z', '2016-06-20T11:00:01.000Z', '2016-06-20T11:00:02.000Z']);
    expect(d.problems.warnings).toEqual([]);
  });

  it('rolls over at December -> January', () => {
    const d = decodeLines([line('Dec 31 2016 23:59:59'), line('Jan  1 00:00:01'), line('Jan  1 00:00:02')]);
    expect(d.events.map(iso)).toEqual(['2016-12-31T23:59:59.000Z', '2017-01-01T00:00:01.000Z', '2017-01-01T00:00:02.000Z']);
    const back = decodeLines([line('Dec 31 23:59:59'), line('Jan  1 2017 00:00:01')]);
    expect(back.events.map(iso)).toEqual(['2016-12-31T23:59:59.000Z', '2017-01-01T00:00:01.000Z']);
  });

  it('uses options.year when the file has none, silently', () => {
    const d = decodeLines([line('Mar  3 10:00:00')], { year: 2011 });
    expect(iso(d.events[0])).toBe('2011-03-03T10:00:00.000Z');
    expect(d.problems.warnings).toEqual([]);
  });

  it('falls back to the current year with a warning naming the line', () => {
    const d = decodeLines(['', line('Mar  3 10:00:00')], { file: 'fw.log' });
    expect(new Date(d.events[0].timeUs / 1000).getUTCFullYear()).toBe(new Date().getUTCFullYear());
    expect(d.problems.warnings).toHaveLength(1);
    expect(d.problems.warnings[0]).toMatchObject({ file: 'fw.log', line: 2 });
    expect(d.problems.warnings[0].message).toMatch(/no year/);
  });

  it('keeps file order when years arrive late', () => {
    const d = decodeLines([line('Jun 20 11:00:00'), `<166>%ASA-6-106015: ${BODY}`, line('Jun 20 2016 11:00:01')]);
    expect(d.events.map((e) => e.line)).toEqual([1, 2, 3]);
  });
});
