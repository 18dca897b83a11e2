/**
 * analysis/explain.ts: an explanation is its parts joined by spaces, fixed sentences and the TLS sentence kept once
 * by their key (explainParts, tlsPart). The text made with a TLS id (kept sentences) is the text made from the facts
 * alone, for every kind of TLS facts a capture gives and each pair of sides that sent a FIN, the first time and from
 * the kept sentence after.
 */
import { describe, expect, it } from 'vitest';
import { explainClose, explainParts, partText, type ExplainInput } from '../../src/analysis/explain';
import { JoinedText, JsonBytes } from '../../src/lib/json-bytes';
import { SideFacts } from '../../src/analysis/conn-state';
import { tlsFactsOfKey, tlsKey } from '../../src/analysis/tls';

function input(
  kind: ExplainInput['kind'],
  fin: { client: boolean; server: boolean },
  tlsId: number | undefined,
  tls = tlsId === undefined ? null : tlsFactsOfKey(tlsId),
): ExplainInput {
  return {
    kind, initiator: 'server', fin, rst: { client: kind === 'fin-then-rst', server: false },
    finRstTogether: false, lateRst: false,
    simultaneous: false, dataAfterFin: false,
    finUs: { client: fin.client ? 1_000_000 : null, server: fin.server ? 1_012_345 : null },
    rstUs: { client: kind === 'fin-then-rst' ? 1_020_000 : null, server: null },
    finRstOneSegment: { client: false, server: false }, synCount: 1, serverPort: 443,
    packets: { client: 9, server: 8 }, payloadBytes: { client: 100, server: 2000 }, dataRightBeforeRst: false,
    afterPeerFin: { client: 0, server: 0 }, tls, tlsId,
  };
}

describe('explainParts', () => {
  it('gives the same text with a TLS id as from the TLS facts alone, first and when kept', () => {
    const ids = new Set<number>();
    for (const seen of [false, true]) {
      for (const version of [0x0301, 0x0303, 0x0304]) {
        for (let bits = 0; bits < 64; bits++) {
          const client = new SideFacts();
          const server = new SideFacts();
          client.inferredAlert = (bits & 1) !== 0;
          server.inferredAlert = (bits & 2) !== 0;
          client.tlsAlertBeforeFin = (bits & 4) !== 0;
          server.tlsAlertBeforeFin = (bits & 8) !== 0;
          client.finIndex = bits & 16 ? 3 : -1;
          ids.add(tlsKey(seen, version, client, server, (bits & 32) !== 0, false));
        }
      }
    }
    let withTls = 0;
    for (const id of ids) {
      const fins = [{ client: true, server: true }, { client: true, server: false }, { client: false, server: true }];
      for (const fin of fins) {
        for (const kind of ['clean', 'fin-then-rst', 'half-closed'] as const) {
          const own = explainClose(input(kind, fin, undefined, tlsFactsOfKey(id)));
          for (let round = 0; round < 2; round++) expect(explainClose(input(kind, fin, id))).toBe(own);
          if (own.includes('TLS') || own.includes('close_notify')) withTls++;
        }
      }
    }
    expect(withTls).toBeGreaterThan(100);
  });

  it('writes each kind of close, with values in its sentences, as JSON.stringify writes its text (JoinedText)', () => {
    const joined = new JoinedText(partText);
    const w = new JsonBytes(new Uint8Array(16));
    const kinds: ExplainInput['kind'][] = ['unanswered', 'refused', 'clean', 'fin-then-rst', 'reset', 'half-closed', 'open'];
    let n = 0;
    for (const kind of kinds) {
      for (let bits = 0; bits < 128; bits++) {
        const x = input(kind, { client: (bits & 1) !== 0 || kind === 'clean', server: (bits & 2) !== 0 || kind === 'clean' }, undefined);
        x.initiator = bits & 4 ? 'client' : 'server';
        x.simultaneous = (bits & 8) !== 0;
        x.afterPeerFin = { client: bits & 16 ? 1234 : 0, server: bits & 16 ? 77 : 0 };
        x.finRstOneSegment = { client: (bits & 32) !== 0, server: (bits & 64) !== 0 };
        x.rst = { client: (bits & 32) !== 0 || kind === 'reset', server: (bits & 64) !== 0 };
        x.rstUs = { client: x.rst.client ? 1_000_500 : null, server: x.rst.server ? 1_012_345 + (bits & 8 ? 0 : 900) : null };
        x.synCount = 1 + (bits & 3);
        x.lateRst = (bits & 16) !== 0;
        const text = explainClose(x);
        // Twice: the second time from the pieces kept the first.
        for (let round = 0; round < 2; round++) {
          w.n = 0;
          joined.write(w, explainParts(x));
          expect(new TextDecoder().decode(w.buf.subarray(0, w.n))).toBe(JSON.stringify(text));
          n++;
        }
      }
    }
    expect(n).toBe(kinds.length * 128 * 2);
  });
});
