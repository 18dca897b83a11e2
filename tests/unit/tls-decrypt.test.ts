import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngineSession } from '../../src/engine/session';
import { encodeShareFragment } from '../../src/share/link-codec';
import { makeShareState } from '../../src/share/make-share';
import { alertName } from '../../src/tls/names';

// Captures and key logs made by scripts/make-tls-captures.sh (real OpenSSL stacks over Linux TCP, see
// tests/fixtures/tls/PROVENANCE.md); NAME.tshark.tsv is tshark's decrypted view of each (tshark -o tls.keylog_file).
const DIR = 'tests/fixtures/tls/';

interface Alert { frame: number; side: 'client' | 'server'; name: string | null }

/** tshark's alerts: frames whose (decrypted) record types include 21, with the description code. */
function tsharkAlerts(name: string, serverPort: number): Alert[] {
  const out: Alert[] = [];
  for (const line of readFileSync(`${DIR}${name}.tshark.tsv`, 'utf8').split('\n')) {
    const [frame, , port, types, , desc] = line.split('\t');
    if (!types?.split(',').includes('21')) continue;
    out.push({ frame: Number(frame), side: Number(port) === serverPort ? 'server' : 'client', name: desc ? alertName(Number(desc)) : null });
  }
  return out;
}

async function load(name: string, keys: boolean, file = `${name}.pcap`) {
  const s = createEngineSession();
  const inputs = [{ kind: 'bytes' as const, name: file, bytes: new Uint8Array(readFileSync(DIR + file)) }];
  if (keys) inputs.push({ kind: 'bytes' as const, name: `${name}.keys`, bytes: new Uint8Array(readFileSync(`${DIR}${name}.keys`)) });
  const r = await s.load(inputs, {});
  const ladder = (await s.ladder({ row: 0 }))!;
  return { s, r, ladder };
}

const CASES: { name: string; version: string; extra?: Alert[] }[] = [
  { name: 'tls12-aes128gcm-close', version: 'TLS 1.2' },
  { name: 'tls12-aes256gcm-noclose', version: 'TLS 1.2' },
  { name: 'tls12-cbc-sha-etm-close', version: 'TLS 1.2' },
  { name: 'tls12-cbc-sha384-mte-noclose', version: 'TLS 1.2' },
  { name: 'tls12-chacha-noclose', version: 'TLS 1.2' },
  { name: 'tls13-aes128-close', version: 'TLS 1.3' },
  { name: 'tls13-aes256-noclose', version: 'TLS 1.3' },
  { name: 'tls13-chacha-close', version: 'TLS 1.3' },
  { name: 'starttls-smtp', version: 'TLS 1.3' },
  { name: 'tls13-reorder', version: 'TLS 1.3' },
  { name: 'tls12-reorder', version: 'TLS 1.2' },
  // tshark waits for the lost segment and never shows the server's alert after the hole; Teardown picks the
  // stream up again at the next record header and decrypts it (the same record is frame 25 of the capture the
  // hole was cut from, tls12-aes128gcm-close, where tshark reads it as close_notify).
  { name: 'tls12-hole', version: 'TLS 1.2', extra: [{ frame: 24, side: 'server', name: 'close_notify' }] },
];

describe('TLS alerts decrypted with the key log, as tshark reads them', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { ladder } = await load(c.name, true);
      const tls = ladder.connection.close!.tls!;
      expect(tls.version).toBe(c.version);
      expect(tls.decryption).toBe('decrypted');
      const port = ladder.connection.server.port;
      const want = [...tsharkAlerts(c.name, port), ...(c.extra ?? [])].sort((a, b) => a.frame - b.frame);
      expect(want.length).toBeGreaterThan(0);
      const got = tls.alerts!.map((a) => ({ frame: a.frame, side: a.side, name: a.name })).sort((a, b) => a.frame - b.frame);
      expect(got).toEqual(want);
      // The arrow carrying each alert says so.
      for (const a of want) expect(ladder.packets.find((p) => p.frame === a.frame)?.tls).toContain(`Alert ${a.name}`);
      // The explanation states it as a fact, side by side.
      const expl = ladder.connection.close!.explanation;
      for (const side of ['client', 'server'] as const) {
        const mine = want.filter((a) => a.side === side);
        if (mine.length) expect(expl).toContain(`the ${side} sent ${mine[0].name === 'close_notify' ? 'close_notify' : `a fatal ${mine[0].name} alert`} (frame ${mine[0].frame}, decrypted with the key log)`.replace(/^the c/, 'c'));
        else if (ladder.connection.close!.fin[side]) expect(expl.toLowerCase()).toContain(`the ${side} closed the tcp connection without sending close_notify`);
      }
    });
  }

  it('names the handshake records on the arrows as tshark does', async () => {
    const { ladder } = await load('tls12-aes128gcm-close', true);
    const info = new Map(readFileSync(`${DIR}tls12-aes128gcm-close.tshark.tsv`, 'utf8').trim().split('\n').map((l) => [Number(l.split('\t')[0]), l.split('\t')[6]]));
    for (const f of [4, 6, 8, 9]) expect(ladder.packets.find((p) => p.frame === f)?.tls).toBe(info.get(f));
  });

  it('connectionTls: the worker call for the connection looked at gives the same facts and labels', async () => {
    const { s } = await load('tls13-chacha-close', true);
    const t = (await s.connectionTls(0))!;
    expect(t.tls.decryption).toBe('decrypted');
    expect(t.tls.alerts!.map((a) => [a.side, a.frame, a.name])).toEqual([['client', 20, 'close_notify']]);
    expect(t.labels.find((l) => l.label === 'Alert close_notify')?.packet).toBe(19);
    expect(t.explanation).toContain('the server closed the TCP connection without sending close_notify');
    expect(await s.connectionTls(5)).toBeNull();
  });

  it('reads the secrets from a pcapng Decryption Secrets Block', async () => {
    const { ladder, r } = await load('tls13-dsb', false, 'tls13-dsb.pcapng');
    expect(r.inputs[0].format).toBe('pcapng');
    const tls = ladder.connection.close!.tls!;
    expect(tls.decryption).toBe('decrypted');
    expect(tls.alerts!.map((a) => [a.frame, a.side, a.name])).toEqual(tsharkAlerts('tls13-dsb', ladder.connection.server.port).map((a) => [a.frame, a.side, a.name]));
  });

  it('without keys: TLS 1.2 alerts stay encrypted, TLS 1.3 says nothing, and the page says which key log decrypts it', async () => {
    const a = (await load('tls12-aes128gcm-close', false)).ladder.connection.close!.tls!;
    expect(a.decryption).toBe('no-key-log');
    expect(a.alerts!.map((x) => [x.frame, x.name])).toEqual([[23, null], [25, null]]);
    expect(a.keyLogHint).toContain(`CLIENT_RANDOM ${a.clientRandom}`);
    const b = await load('tls13-aes128-close', false);
    const t = b.ladder.connection.close!.tls!;
    expect(t.alerts).toEqual([]);
    expect(t.keyLogHint).toContain('CLIENT_TRAFFIC_SECRET_0');
    expect(b.ladder.connection.close!.explanation).toContain('TLS 1.3 encrypts alerts');
    expect(b.ladder.packets.find((p) => p.frame === 22)?.tls).toBe('Application Data');
  });

  it('keeps the secrets out of reports, exports and share links', async () => {
    const { s, r, ladder } = await load('tls13-aes128-close', true);
    expect(r.inputs[1].format).toBe('tls-keylog');
    const secrets = readFileSync(`${DIR}tls13-aes128-close.keys`, 'utf8').trim().split('\n').map((l) => l.split(' ')[2].toLowerCase());
    const report = JSON.stringify(await s.report());
    const exported = await s.exportCapture([0]);
    const bytesHex = Buffer.from(exported!.bytes).toString('hex');
    const link = encodeShareFragment(makeShareState([ladder], { kind: 'single' } as never, { anonymise: false, ports: false, whole: true }));
    const shared = JSON.stringify(makeShareState([ladder], { kind: 'single' } as never, { anonymise: false, ports: false, whole: true }));
    for (const secret of secrets) {
      for (const text of [report, JSON.stringify(ladder), bytesHex, shared, link]) {
        expect(text.toLowerCase()).not.toContain(secret);
        expect(text.toLowerCase()).not.toContain(secret.slice(0, 32));
      }
    }
  });
});
