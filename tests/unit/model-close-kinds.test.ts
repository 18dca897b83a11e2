import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { CLOSE_KINDS, KIND_STYLE, REFERENCE_KIND, isCloseKind, kindCode, kindFromCode } from '../../src/model/close-kinds';
import { lessonForConnection } from '../../src/ui/lessons/lesson-links';
import type { ConnectionReport } from '../../src/model/report';
import { explainClose, type ExplainInput } from '../../src/analysis/explain';
import { validateConnection } from '../../src/share/validate';

const css = readFileSync('src/ui/styles.css', 'utf8');

describe('the close-kind table', () => {
  it('codes round-trip and unknown kinds get 255', () => {
    CLOSE_KINDS.forEach((k, i) => {
      expect(kindCode(k)).toBe(i);
      expect(kindFromCode(i)).toBe(k);
    });
    expect(kindCode(undefined)).toBe(255);
    expect(kindCode('nonsense' as never)).toBe(255);
    expect(kindFromCode(255)).toBeNull();
  });

  it('every kind has a colour in both themes and a lesson that exists', () => {
    for (const k of CLOSE_KINDS) {
      const v = KIND_STYLE[k].colorVar;
      expect(css.split(`${v}:`).length - 1, `${v} in styles.css`).toBe(2);
      expect(existsSync(`public/lessons/${KIND_STYLE[k].lesson}.json`), KIND_STYLE[k].lesson).toBe(true);
    }
  });

  it('every kind words who closed for the ladder head; one kind is the clean reference', () => {
    const said = CLOSE_KINDS.map((k) => [k, KIND_STYLE[k].closedBy('client'), KIND_STYLE[k].closedBy('server'), KIND_STYLE[k].closedBy(null)]);
    expect(said).toEqual([
      ['clean', 'client closed first', 'server closed first', null],
      ['fin-then-rst', 'client closed first', 'server closed first', null],
      ['reset', 'client closed first', 'server closed first', null],
      ['refused', 'refused by the client', 'refused by the server', 'refused by the server'],
      ['half-closed', 'client closed first', 'server closed first', null],
      ['unanswered', 'never answered', 'never answered', 'never answered'],
      ['open', 'client closed first', 'server closed first', null],
    ]);
    expect(CLOSE_KINDS.filter((k) => (KIND_STYLE[k] as { reference?: true }).reference)).toEqual([REFERENCE_KIND]);
    expect(REFERENCE_KIND).toBe('clean');
  });

  it("a connection's textbook lesson: its kind's, the server-first one when the kind has it", () => {
    const lesson = (kind: (typeof CLOSE_KINDS)[number], initiator: 'client' | 'server') =>
      lessonForConnection({ id: '1', close: { kind, initiator, simultaneous: false, lateRst: false } } as unknown as ConnectionReport);
    expect(CLOSE_KINDS.map((k) => [lesson(k, 'client'), lesson(k, 'server')])).toEqual([
      ['clean-close', 'clean-close-server-first'], ['fin-then-rst', 'fin-then-rst'], ['abortive-close', 'abortive-close'],
      ['refused', 'refused'], ['half-close', 'half-close'], ['unanswered-syn', 'unanswered-syn'], ['clean-close', 'clean-close'],
    ]);
    for (const k of CLOSE_KINDS) if (KIND_STYLE[k].serverFirstLesson) expect(existsSync(`public/lessons/${KIND_STYLE[k].serverFirstLesson}.json`)).toBe(true);
  });

  it('every kind has an explanation, and share links accept exactly the declared kinds', () => {
    const x: ExplainInput = {
      kind: 'clean', initiator: 'client', fin: { client: true, server: true }, rst: { client: false, server: false },
      simultaneous: false, finRstTogether: false, lateRst: false, dataAfterFin: false,
      finUs: { client: 0, server: 10 }, rstUs: { client: null, server: null }, finRstOneSegment: { client: false, server: false },
      synCount: 1, serverPort: 443, packets: { client: 3, server: 3 }, payloadBytes: { client: 0, server: 0 },
      dataRightBeforeRst: false, afterPeerFin: { client: 0, server: 0 }, tls: null,
    };
    for (const kind of CLOSE_KINDS) {
      expect(explainClose({ ...x, kind }).length, kind).toBeGreaterThan(40);
      expect(isCloseKind(kind)).toBe(true);
      const c = validateConnection({ client: { ip: '192.0.2.1', port: 1 }, server: { ip: '192.0.2.2', port: 2 }, close: { kind } });
      expect(c?.close?.kind).toBe(kind);
    }
    const bad = validateConnection({ client: { ip: '192.0.2.1', port: 1 }, server: { ip: '192.0.2.2', port: 2 }, close: { kind: 'eighth' } });
    expect(bad?.close).toBeUndefined();
  });
});
