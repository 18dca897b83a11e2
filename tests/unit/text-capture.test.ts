// Text captures -> TcpSegments: ASA `show capture` (plain, 802.1Q, detail) and tcpdump -n text (old and new
// styles, relative and absolute seq, -tt/-tttt/time-of-day stamps, IPv6, options, -v two-line records).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffTextFormat } from '../../src/decode/formats';
import { decodeText } from './text-helpers';

const FIX = new URL('../fixtures/', import.meta.url);
const seed = (f: string) => readFileSync(new URL(`seed/${f}`, FIX), 'utf8');
const enc = (s: string) => new TextEncoder().encode(s);

describe('ASA show capture: the seed captures', () => {
  it('inside capture: five packets, absolute seq, pure ACK seq taken from the peer, date from options', async () => {
    const { segs, problems, report } = await decodeText(seed('inside-capture.txt'), 'asa-show-capture', { date: '2018-06-20', name: 'inside-capture.txt' });
    expect(problems.warnings).toEqual([]);
    expect(report).toMatchObject({ packets: 5, tcpPackets: 5, skipped: {} });
    expect(segs.map((s) => [s.frame, s.time, s.src, s.dst, s.flags, s.seq, s.ack, s.win, s.len])).toEqual([
      [33437, '2018-06-20T12:00:47.907301', '10.20.30.15:443', '198.51.100.77:55132', 'FIN ACK', 2320205170, 991843171, 65535, 0],
      [33438, '2018-06-20T12:00:47.952480', '198.51.100.77:55132', '10.20.30.15:443', 'ACK', 991843171, 2320205171, 65535, 0],
      [33748, '2018-06-20T12:00:50.443687', '198.51.100.77:55132', '10.20.30.15:443', 'FIN ACK', 991843171, 2320205171, 65535, 0],
      [33749, '2018-06-20T12:00:50.443687', '198.51.100.77:55132', '10.20.30.15:443', 'RST ACK', 991843172, 2320205171, 0, 0],
      [33750, '2018-06-20T12:00:50.443748', '10.20.30.15:443', '198.51.100.77:55132', 'RST', 2320205171, 0, 0, 0],
    ]);
    // recordOffset = byte offset of the packet's line
    expect(segs[1].offset).toBe(seed('inside-capture.txt').indexOf('33438:'));
  });

  it('outside capture: NAT-mapped server, randomised seq numbers, no server RST', async () => {
    const { segs } = await decodeText(seed('outside-capture.txt'), 'asa-show-capture', { date: '2018-06-20' });
    expect(segs.map((s) => [s.frame, s.src, s.flags, s.seq, s.ack])).toEqual([
      [32158, '203.0.113.15:443', 'FIN ACK', 3349673389, 965033113],
      [32159, '198.51.100.77:55132', 'ACK', 965033113, 3349673390],
      [32468, '198.51.100.77:55132', 'FIN ACK', 965033113, 3349673390],
      [32469, '198.51.100.77:55132', 'RST ACK', 965033114, 3349673390],
    ]);
  });

  it('clean capture: options <nop,nop,timestamp a b>, PSH data length', async () => {
    const { segs } = await decodeText(seed('clean-capture.txt'), 'asa-show-capture', { date: '2018-06-20' });
    expect(segs[1]).toMatchObject({ frame: 545, flags: 'PSH ACK', seq: 2290377569, ack: 221753879, len: 31, ts: [1798678251, 1618672784] });
    expect(segs.map((s) => s.flags)).toEqual(['FIN ACK', 'PSH ACK', 'FIN ACK', 'ACK', 'ACK']);
  });

  it('sniffs all seed captures as ASA show capture, the log as syslog', () => {
    for (const f of ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt']) expect(sniffTextFormat(enc(seed(f)))).toBe('asa-show-capture');
    expect(sniffTextFormat(enc(seed('asa-syslog.log')))).toBe('asa-syslog');
  });
});

describe('ASA show capture variants', () => {
  it('listing with header, 802.1Q tags, ICMP (skipped) and trailer; right-aligned numbers', async () => {
    const text = [
      'asa# show capture CAPIN',
      '',
      '4 packets captured',
      '',
      '   1: 09:41:12.535281       802.1Q vlan#2 P0 192.0.2.1.51234 > 198.51.100.1.443: S 3624439037:3624439037(0) win 8192 <mss 1460,nop,wscale 8,nop,nop,sackOK>',
      '   2: 09:41:12.535418       802.1Q vlan#2 P0 198.51.100.1.443 > 192.0.2.1.51234: S 285283040:285283040(0) ack 3624439038 win 8192 <mss 1380,nop,nop,sackOK>',
      '   3: 09:41:12.536562       802.1Q vlan#2 P0 192.0.2.1 > 198.51.100.1: icmp: echo request',
      '   4: 09:41:12.537188       802.1Q vlan#2 P0 192.0.2.1.51234 > 198.51.100.1.443: . ack 285283041 win 64240',
      '4 packets shown',
      'asa# ',
    ].join('\r\n');
    expect(sniffTextFormat(enc(text))).toBe('asa-show-capture');
    const { segs, problems, report } = await decodeText(text, 'asa-show-capture', { date: '2024-01-02' });
    expect(problems.warnings).toEqual([]);
    expect(report.skipped).toEqual({ 'non-tcp': 1 });
    expect(segs.map((s) => [s.frame, s.flags, s.seq, s.ack, s.mss, s.wscale, s.sackOK])).toEqual([
      [1, 'SYN', 3624439037, 0, 1460, 8, true],
      [2, 'SYN ACK', 285283040, 3624439038, 1380, -1, true],
      [4, 'ACK', 3624439038, 285283041, -1, -1, false],
    ]);
    expect(segs[0].time).toBe('2024-01-02T09:41:12.535281');
  });

  it('detail output: one-line MAC form with [tcp sum ok] and (ttl, id); two-line form with Length', async () => {
    const text = [
      '   1: 13:22:17.100000 0050.56b3.9d03 0050.56b3.50d1 0x0800 62: 192.168.1.1.50863 > 192.168.1.2.80: S [tcp sum ok] 2755830644:2755830644(0) win 8192 <mss 1260,nop,nop,sackOK> (DF) (ttl 126, id 6888)',
      '   2: 13:22:17.200000 0050.56b3.50d1 0050.56b3.9d03 0x0800 Length: 62',
      '      192.168.1.2.80 > 192.168.1.1.50863: S [tcp sum ok] 2416274753:2416274753(0) ack 2755830645 win 65535 <mss 1350,sackOK,eol> (ttl 60, id 37726)',
      '   3: 13:22:18.300000 0050.56b3.9d03 0050.56b3.50d1 0x0800 66: 192.168.1.1.50863 > 192.168.1.2.80: P [tcp sum ok] 2755830956:2755830956(0) ack 2416274754 win 65520 <nop,nop,sack sack 1 {2416276014:2416276352} > (ttl 255, id 46285)',
    ].join('\n');
    const { segs, problems } = await decodeText(text, 'asa-show-capture', { date: '2024-01-02' });
    expect(problems.warnings).toEqual([]);
    expect(segs.map((s) => [s.frame, s.time.slice(11), s.flags, s.seq, s.ack, s.ttl, s.mss])).toEqual([
      [1, '13:22:17.100000', 'SYN', 2755830644, 0, 126, 1260],
      [2, '13:22:17.200000', 'SYN ACK', 2416274753, 2755830645, 60, 1350],
      [3, '13:22:18.300000', 'PSH ACK', 2755830956, 2416274754, 255, -1],
    ]);
    expect(segs[2].sack).toEqual([2416276014, 2416276352]);
  });

  it('rolls the date over at midnight; warns once (with a line) when no date is known', async () => {
    const text = [
      '1: 23:59:59.900000 192.0.2.1.1000 > 192.0.2.2.80: S 1:1(0) win 100',
      '2: 00:00:00.100000 192.0.2.2.80 > 192.0.2.1.1000: S 5:5(0) ack 2 win 100',
    ].join('\n');
    const dated = await decodeText(text, 'asa-show-capture', { date: '2018-12-31' });
    expect(dated.segs.map((s) => s.time)).toEqual(['2018-12-31T23:59:59.900000', '2019-01-01T00:00:00.100000']);
    const undated = await decodeText(text, 'asa-show-capture', { name: 'cap.txt' });
    expect(undated.segs[0].time).toBe('1970-01-01T23:59:59.900000');
    expect(undated.problems.warnings).toHaveLength(1);
    expect(undated.problems.warnings[0]).toMatchObject({ file: 'cap.txt', line: 1 });
  });
});

describe('tcpdump -n text', () => {
  const newStyle = [
    '    1  2020-06-10 09:21:03.720289 IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [S], seq 603899916, win 64240, options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7], length 0',
    '    2  2020-06-10 09:21:03.846908 IP 209.87.249.18.53 > 192.168.1.11.33779: Flags [S.], seq 2043824403, ack 603899917, win 64240, options [mss 1460], length 0',
    '    3  2020-06-10 09:21:03.847060 IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [.], ack 1, win 64240, length 0',
    '    4  2020-06-10 09:21:03.847323 IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [P.], seq 1:59, ack 1, win 64240, length 58 17177+ [1au] A? www.example.org. (56)',
    '    5  2020-06-10 09:21:03.974844 IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [F.], seq 59, ack 227, win 64014, length 0',
    '    6  2020-06-10 09:21:04.101184 IP 209.87.249.18.53 > 192.168.1.11.33779: Flags [FP.], seq 227, ack 60, win 64239, length 0',
  ];

  it('new style, -# -tttt, relative seq turned back into raw numbers; pure ACK seq inferred', async () => {
    const text = newStyle.join('\n');
    expect(sniffTextFormat(enc(text))).toBe('tcpdump-text');
    const { segs, problems } = await decodeText(text, 'tcpdump-text');
    expect(problems.warnings).toEqual([]);
    expect(segs.map((s) => [s.frame, s.flags, s.seq, s.ack, s.len, s.win])).toEqual([
      [1, 'SYN', 603899916, 0, 0, 64240],
      [2, 'SYN ACK', 2043824403, 603899917, 0, 64240],
      [3, 'ACK', 603899917, 2043824404, 0, 64240],
      [4, 'PSH ACK', 603899917, 2043824404, 58, 64240],
      [5, 'FIN ACK', 603899975, 2043824630, 0, 64014],
      [6, 'FIN PSH ACK', 2043824630, 603899976, 0, 64239],
    ]);
    expect(segs[0]).toMatchObject({ time: '2020-06-10T09:21:03.720289', mss: 1460, wscale: 7, sackOK: true, ts: [2044906138, 0] });
  });

  it('-S (absolute) output is kept as printed', async () => {
    const abs = newStyle.map((l) => l
      .replace('ack 1, win 64240, length 0', 'ack 2043824404, win 64240, length 0')
      .replace('seq 1:59, ack 1,', 'seq 603899917:603899975, ack 2043824404,')
      .replace('seq 59, ack 227', 'seq 603899975, ack 2043824630')
      .replace('seq 227, ack 60', 'seq 2043824630, ack 603899976'));
    const { segs } = await decodeText(abs.join('\n'), 'tcpdump-text');
    expect(segs.map((s) => [s.seq, s.ack])).toEqual([
      [603899916, 0], [2043824403, 603899917], [603899917, 2043824404], [603899917, 2043824404], [603899975, 2043824630], [2043824630, 603899976],
    ]);
  });

  it('-tt epoch stamps and plain time-of-day stamps without -#; IPv6', async () => {
    const tt = await decodeText('1591780863.720289 IP6 2001:db8::1.33779 > 2001:db8:0:1::53.443: Flags [S], seq 7, win 100, length 0\n', 'tcpdump-text');
    expect(tt.segs[0]).toMatchObject({ frame: 1, time: '2020-06-10T09:21:03.720289', src: '[2001:db8::1]:33779', dst: '[2001:db8:0:1::53]:443', seq: 7 });
    const tod = await decodeText('09:21:03.720289 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [R], seq 9, win 0, length 0\n', 'tcpdump-text', { date: '2020-06-10' });
    expect(tod.segs[0]).toMatchObject({ time: '2020-06-10T09:21:03.720289', flags: 'RST', seq: 9 });
  });

  it('-v two-line records take the stamp, number and TTL from the IP line; cksum fields are skipped', async () => {
    const text = [
      '    1  2020-06-10 09:21:03.720289 IP (tos 0x0, ttl 64, id 39720, offset 0, flags [DF], proto TCP (6), length 60)',
      '    192.168.1.11.33779 > 209.87.249.18.53: Flags [S], cksum 0x0c41 (correct), seq 603899916, win 64240, options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7], length 0',
      '    2  2020-06-10 09:21:03.846908 IP (tos 0x0, ttl 128, id 46, offset 0, flags [none], proto TCP (6), length 44)',
      '    209.87.249.18.53 > 192.168.1.11.33779: Flags [S.], cksum 0xdded (correct), seq 2043824403, ack 603899917, win 64240, options [mss 1460], length 0',
      '\t0x0000:  4500 002c 002e 0000 8006 0000 d157 f912',
    ].join('\n');
    const { segs, problems } = await decodeText(text, 'tcpdump-text');
    expect(problems.warnings).toEqual([]);
    expect(segs.map((s) => [s.frame, s.time, s.ttl, s.flags, s.seq, s.ack])).toEqual([
      [1, '2020-06-10T09:21:03.720289', 64, 'SYN', 603899916, 0],
      [2, '2020-06-10T09:21:03.846908', 128, 'SYN ACK', 2043824403, 603899917],
    ]);
  });

  it('old (3.x) style with relative numbers after the handshake, -e link headers, (DF)', async () => {
    const text = [
      '15:01:45.052762 00:11:22:33:44:55 > 66:77:88:99:aa:bb, ethertype IPv4 (0x0800), length 74: 10.1.1.1.1023 > 10.2.2.2.513: S 768512:768512(0) win 4096 <mss 1024>',
      '15:01:45.053403 10.2.2.2.513 > 10.1.1.1.1023: S 947648:947648(0) ack 768513 win 4096 <mss 1024> (DF)',
      '15:01:45.053500 10.1.1.1.1023 > 10.2.2.2.513: . ack 1 win 4096',
      '15:01:45.053600 10.1.1.1.1023 > 10.2.2.2.513: P 1:2(1) ack 1 win 4096',
      '15:01:45.053700 10.2.2.2.513 > 10.1.1.1.1023: P 1:20(19) ack 2 win 4077 urg 1',
    ].join('\n');
    expect(sniffTextFormat(enc(text))).toBe('tcpdump-text');
    const { segs } = await decodeText(text, 'tcpdump-text', { date: '2000-01-01' });
    expect(segs.map((s) => [s.flags, s.seq, s.ack, s.len])).toEqual([
      ['SYN', 768512, 0, 0],
      ['SYN ACK', 947648, 768513, 0],
      ['ACK', 768513, 947649, 0],
      ['PSH ACK', 768513, 947649, 1],
      ['PSH ACK', 947649, 768514, 19],
    ]);
  });

  it('skips non-TCP lines, counts truncated headers, warns (with line) about lines it cannot read', async () => {
    const text = [
      '09:00:00.000001 IP 10.0.0.1.53 > 10.0.0.2.1234: 17177+ A? example.org. (30)',
      '09:00:00.000002 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64',
      '09:00:00.000003 IP 48.48.48.48.12336 > 48.48.48.48.12336:  [|tcp]',
      'some words that are no packet',
      '09:00:00.000004 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0',
    ].join('\n');
    const { segs, problems, report } = await decodeText(text, 'tcpdump-text', { date: '2000-01-01', name: 'p.txt' });
    expect(segs).toHaveLength(1);
    expect(report.skipped).toEqual({ 'non-tcp': 2, truncated: 1, 'unrecognised line': 1 });
    expect(problems.warnings).toEqual([{ file: 'p.txt', line: 4, message: expect.stringMatching(/not understood/) }]);
  });
});

describe('sniffing', () => {
  it('returns null for binary data and text that is none of the formats', () => {
    expect(sniffTextFormat(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0]))).toBeNull();
    expect(sniffTextFormat(enc('hello\nworld\n'))).toBeNull();
    expect(sniffTextFormat(new Uint8Array(0))).toBeNull();
  });
  it('prefers syslog when a log quotes capture-like text', () => {
    const log = seed('asa-syslog.log') + seed('inside-capture.txt').split('\n')[0] + '\n';
    expect(sniffTextFormat(enc(log))).toBe('asa-syslog');
  });
});
