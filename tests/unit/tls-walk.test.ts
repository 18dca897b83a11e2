import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngineSession } from '../../src/engine/session';

// The packet pass alone (no key log, no ladder opened): where TLS starts, holes and reordering. Captures from
// scripts/make-tls-captures.sh (tests/fixtures/tls/PROVENANCE.md); the alerts each side sent are in NAME.tshark.tsv.
const DIR = 'tests/fixtures/tls/';

async function passTls(name: string) {
  const s = createEngineSession();
  await s.load([{ kind: 'bytes', name: `${name}.pcap`, bytes: new Uint8Array(readFileSync(`${DIR}${name}.pcap`)) }], {});
  const report = (await s.report())!;
  expect(report.connections).toHaveLength(1);
  return report.connections[0].close!.tls!;
}

describe('the TLS record walk in the packet pass', () => {
  it('finds TLS after an SMTP STARTTLS dialogue', async () => {
    const t = await passTls('starttls-smtp');
    expect(t.version).toBe('TLS 1.3');
    expect(t.plaintextBefore).toBe(true);
    expect(t.holes).toBeUndefined();
  });

  it('sees each side\'s alert before its FIN on a clean TLS 1.2 close, and none where the client closed without', async () => {
    expect((await passTls('tls12-aes128gcm-close')).alertBeforeFin).toEqual({ client: true, server: true });
    // The client sent FIN without close_notify; the server's alert (decode_error) came after it, and the server sent no FIN.
    expect((await passTls('tls12-aes256gcm-noclose')).alertBeforeFin).toEqual({ client: false, server: false });
  });

  it('walks reordered segments once the gap is filled (no hole reported)', async () => {
    const t = await passTls('tls12-reorder');
    expect(t.alertBeforeFin).toEqual({ client: true, server: true });
    expect(t.holes).toBeUndefined();
    expect((await passTls('tls13-reorder')).version).toBe('TLS 1.3');
  });

  it('picks up after a hole the capture never filled, and says records were lost', async () => {
    const t = await passTls('tls12-hole');
    expect(t.alertBeforeFin).toEqual({ client: true, server: true });
    expect(t.holes).toBe(1);
    expect(t.note).toContain('lost to a hole');
  });
});
