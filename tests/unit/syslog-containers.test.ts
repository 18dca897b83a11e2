// Syslog inside exports and collector files (decode/text/containers): each shape written as its exporter
// documents it (Splunk CSV and JSON results, Graylog CSV, Filebeat/Elastic NDJSON, Kiwi Syslog's tab-separated
// log), with the same story in each: the fields decode clean (no quote, JSON tail or tab left in an interface or
// a device name), Built and Teardown pair, and the 106015 deny joins the connection.
import { describe, expect, it } from 'vitest';
import { analyzeText, expectStory, STORY } from './syslog-story';

const csvQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;
const jsonText = (s: string) => JSON.stringify(s).replace(/\//g, '\\/'); // encoders that write `\/`
const ACL = '%ASA-4-106023: Deny tcp src outside:192.0.2.9/4444 dst inside:10.20.30.15/22 by access-group "OUTSIDE_IN" [0x0, 0x0]';
const mmm = (iso: string) => `Mar  5 ${iso.slice(11, 19)}`;

describe('Splunk CSV export (header row, _raw column, quotes doubled, Excel BOM)', async () => {
  const rows = [...STORY, ['2024-03-05T12:01:00', ACL] as [string, string]].map(
    ([t, m], i) => [String(i), `${t}.000+0000`, 'asa-edge-01', 'udp:514', 'cisco:asa', `${mmm(t)} asa-edge-01 ${m}`].map(csvQuote).join(','),
  );
  const text = `\ufeff"_serial","_time","host","source","sourcetype","_raw"\r\n${rows.join('\r\n')}\r\n`;
  const { input, connections } = await analyzeText('splunk.csv', text);
  it('is read as syslog in a CSV container, without problems', () => {
    expect(input).toMatchObject({ format: 'asa-syslog', container: 'csv', firewallEvents: 4, warnings: [], errors: [] });
  });
  it('pairs Built/Teardown and joins the 106015 (the year comes from _time)', () => expectStory(connections, 'asa-edge-01'));
});

describe('Graylog CSV export (timestamp, source, message without a syslog header)', async () => {
  const rows = STORY.map(([t, m]) => [`${t}.000Z`, 'asa-edge-01', m].map(csvQuote).join(','));
  const { input, connections } = await analyzeText('graylog.csv', `"timestamp","source","message"\n${rows.join('\n')}\n`);
  it('takes time and host from the export columns', () => {
    expect(input).toMatchObject({ container: 'csv', firewallEvents: 3, warnings: [] });
    expectStory(connections, 'asa-edge-01');
  });
  it('a message with a line break inside its quotes stays one record', async () => {
    const multi = `"timestamp","source","message"\n${csvQuote(`${STORY[0][0]}.000Z`)},"asa-edge-01","${STORY[0][1]}\n"\n${rows.slice(1).join('\n')}\n`;
    const r = await analyzeText('graylog-multiline.csv', multi);
    expect(r.input.warnings).toEqual([]);
    expectStory(r.connections, 'asa-edge-01');
  });
});

describe('Splunk JSON results (one {"result":{...}} per line)', async () => {
  const lines = STORY.map(([t, m], i) =>
    `{"preview":false,"offset":${i},"result":{"_bkt":"main~1","_cd":"1:${i}","_raw":${jsonText(`<166>${mmm(t)} asa-edge-01 ${m}`)},"_time":"${t}.000+00:00","host":"asa-edge-01","index":"main","source":"udp:514","sourcetype":"cisco:asa"}}`);
  const { input, connections } = await analyzeText('splunk.json', `${lines.join('\n')}\n`);
  it('decodes the _raw field, with escaped slashes', () => {
    expect(input).toMatchObject({ container: 'json-lines', firewallEvents: 3, warnings: [] });
    expectStory(connections, 'asa-edge-01');
  });
  it('the same objects as one JSON array, one per line', async () => {
    const r = await analyzeText('splunk-array.json', `[\n${lines.join(',\n')}\n]\n`);
    expect(r.input.warnings).toEqual([]);
    expectStory(r.connections, 'asa-edge-01');
  });
});

describe('Filebeat / Elastic NDJSON (message, @timestamp, host.name of the collector)', async () => {
  const lines = STORY.map(([t, m]) =>
    `{"@timestamp":"${t}.000Z","log":{"source":{"address":"192.0.2.10:51413"}},"input":{"type":"udp"},"message":${jsonText(`<166>Mar 05 2024 ${t.slice(11)} asa-edge-01 : ${m}`)},"host":{"name":"collector-01"},"agent":{"type":"filebeat","version":"8.12.0"},"ecs":{"version":"8.0.0"}}`);
  it("the device in the message's own header wins over the collector's host name", async () => {
    const { input, connections } = await analyzeText('filebeat.ndjson', `${lines.join('\n')}\n`);
    expect(input).toMatchObject({ container: 'json-lines', firewallEvents: 3, warnings: [] });
    const f = connections[0].firewall!;
    for (const v of [f.device, f.teardown!.from, f.interfaces!.client, f.interfaces!.server]) expect(v).not.toMatch(/[\\"{}\t,]/);
    expectStory(connections, 'asa-edge-01');
  });
  it('a file cut in the middle of its last object keeps every whole message and warns about the cut one', async () => {
    const cut = `${lines.join('\n')}\n${lines[0].slice(0, 250)}`;
    const { input, connections } = await analyzeText('filebeat-cut.ndjson', cut);
    expectStory(connections, 'asa-edge-01');
    expect(input.warnings).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining('302013 is not in a shape') })]);
  });
});

describe('Kiwi Syslog Server log (Date, Time, Priority, Hostname, Message separated by tabs)', async () => {
  const lines = STORY.map(([t, m], i) =>
    i === 1 ? `${t.slice(0, 10)}\t${t.slice(11)}\tLocal4.Info\t10.0.0.1\t${m}` : `${t.slice(0, 10)} ${t.slice(11)}\tLocal4.Info\t10.0.0.1\tMar 05 2024 ${t.slice(11)}: ${m}`);
  it('the host column names the device (not "14:22:01\\tLocal4.Info...") so Built and Teardown pair', async () => {
    const { input, connections } = await analyzeText('kiwi.txt', `${lines.join('\r\n')}\r\n`);
    expect(input).toMatchObject({ container: 'kiwi', firewallEvents: 3, warnings: [] });
    expectStory(connections, '10.0.0.1');
  });
  it("Kiwi's local stamps follow the zone option (the message's own UTC stamps do not)", async () => {
    const local = STORY.map(([t, m]) => `${t.slice(0, 10)} ${t.slice(11)}\tLocal4.Info\t10.0.0.1\t${m}`);
    const { connections } = await analyzeText('kiwi-msk.txt', `${local.join('\n')}\n`, { tz: '+03:00' });
    expectStory(connections, '10.0.0.1', 3 * 3600);
  });
});
