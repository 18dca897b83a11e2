// analysis/tls.ts: a connection's TLS facts are made from tlsKey, the packed inputs the writer of many reports keeps
// their text by (analysis/connection-members.ts). Every input that changes the facts must change the key.
import { describe, expect, it } from 'vitest';
import { SideFacts } from '../../src/analysis/conn-state';
import { tlsFacts, tlsFactsOfKey, tlsKey } from '../../src/analysis/tls';

type Case = { seen: boolean; version: number; alert: [boolean, boolean]; inferred: [boolean, boolean]; fin: [boolean, boolean]; hole: boolean; plain: boolean };

function sides(c: Case): [SideFacts, SideFacts] {
  const s = [new SideFacts(), new SideFacts()] as [SideFacts, SideFacts];
  s.forEach((e, k) => {
    e.tlsAlertBeforeFin = c.alert[k];
    e.inferredAlert = c.inferred[k];
    e.finIndex = c.fin[k] ? 3 : -1;
  });
  return s;
}

function* cases(): Generator<Case> {
  const b = [false, true];
  for (const seen of b) for (const version of [0, 0x0301, 0x0303, 0x0304, 0x7f17])
    for (const a0 of b) for (const a1 of b) for (const i0 of b) for (const i1 of b) for (const f0 of b) for (const f1 of b)
      for (const hole of b) for (const plain of b) yield { seen, version, alert: [a0, a1], inferred: [i0, i1], fin: [f0, f1], hole, plain };
}

describe('tlsKey', () => {
  it('the facts are those of the key, and rows with the same key have the same facts', () => {
    const byKey = new Map<number, string>();
    const keyOf = new Map<string, number>();
    for (const c of cases()) {
      const [client, server] = sides(c);
      const key = tlsKey(c.seen, c.version, client, server, c.hole, c.plain);
      const facts = JSON.stringify(tlsFacts(c.seen, c.version, client, server, c.hole, c.plain));
      expect(JSON.stringify(tlsFactsOfKey(key))).toBe(facts);
      if (byKey.has(key)) expect(byKey.get(key)).toBe(facts);
      byKey.set(key, facts);
      keyOf.set(facts, key);
    }
    // Distinct facts among these inputs (so the test sees the inputs matter at all).
    expect(keyOf.size).toBeGreaterThan(30);
  });

  it('the facts of typical connections', () => {
    const c: Case = { seen: true, version: 0x0303, alert: [false, false], inferred: [false, false], fin: [true, true], hole: false, plain: false };
    const [client, server] = sides(c);
    expect(tlsFacts(true, 0x0303, client, server)).toEqual({
      version: 'TLS 1.2', alertBeforeFin: { client: false, server: false }, inferred: false,
      note: 'No alert record before the FIN: the TLS session was not closed with close_notify (the application closed the socket without a TLS shutdown).',
    });
    client.tlsAlertBeforeFin = true;
    expect(tlsFacts(true, 0x0303, client, server, true, true)).toMatchObject({ alertBeforeFin: { client: true, server: false }, holes: 1, plaintextBefore: true });
    expect(tlsFacts(true, 0x0304, client, server)).toMatchObject({ version: 'TLS 1.3', alertBeforeFin: null });
    expect(tlsFacts(false, 0, client, server)).toBeNull();
    server.inferredAlert = true;
    expect(tlsFacts(false, 0, client, server)).toMatchObject({ version: null, alertBeforeFin: { client: false, server: true }, inferred: true });
  });
});
