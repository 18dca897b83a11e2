/**
 * The ways a generated connection ends, with their share of connections, and the close kind the
 * analysis is expected to report for each (src/model/report.ts CloseKind). The manifest beside the
 * generated file counts them, so a run can compare what the analyzer found with what was made.
 */
export const KINDS = [
  { name: 'clean-client-first', weight: 30, expect: 'clean', data: true },
  { name: 'clean-server-first', weight: 20, expect: 'clean', data: true },
  { name: 'simultaneous', weight: 2, expect: 'clean', data: true },
  // The seed case: FIN, then a separate RST from the same side right after, then the peer's RST.
  { name: 'fin-then-rst', weight: 6, expect: 'fin-then-rst', data: true },
  // One segment carrying FIN and RST together.
  { name: 'fin-rst-together', weight: 4, expect: 'fin-then-rst', data: true },
  // A clean close, then one side sends an RST seconds later (what an ASA logs as 106015).
  { name: 'late-rst', weight: 5, expect: 'fin-then-rst', data: true },
  { name: 'abort-mid-transfer', weight: 6, expect: 'reset', data: true },
  { name: 'refused', weight: 5, expect: 'refused', data: false },
  { name: 'unanswered', weight: 4, expect: 'unanswered', data: false },
  { name: 'half-closed', weight: 3, expect: 'half-closed', data: true },
  { name: 'open', weight: 8, expect: 'open', data: true },
] as const;

export type KindName = (typeof KINDS)[number]['name'];

export const K = {
  cleanClient: 0,
  cleanServer: 1,
  simultaneous: 2,
  finThenRst: 3,
  finRstTogether: 4,
  lateRst: 5,
  abortMid: 6,
  refused: 7,
  unanswered: 8,
  halfClosed: 9,
  open: 10,
} as const;

export const KIND_WEIGHTS: readonly number[] = KINDS.map((k) => k.weight);
export const KIND_TOTAL = KIND_WEIGHTS.reduce((a, b) => a + b, 0);
