/**
 * What one text-capture line says besides its TCP header (capture-line.ts fills it, capture-body.ts adds the IP notes
 * of the body), in one object reused for every line.
 */
export type LineKind = 'tcp' | 'non-tcp' | 'stamp-only' | 'other';
export type StampKind = 'none' | 'tod' | 'date' | 'epoch';

export interface LineFacts {
  kind: LineKind;
  /** Capture's own packet number; -1 when not printed. */
  frame: number;
  stamp: StampKind;
  /** Microseconds since midnight ('tod', 'date'). */
  todUs: number;
  /** Days since 1970-01-01 ('date'). */
  dateDays: number;
  /** Microseconds since the epoch ('epoch'). */
  epochUs: number;
  /** 'old' = tcpdump 3.x / ASA body, 'new' = tcpdump ≥ 4 `Flags [...]`. */
  style: 'old' | 'new';
  hasSeq: boolean;
  hasAck: boolean;
  /** The line said the TCP header was cut (`[|tcp]`). */
  truncated: boolean;
  /** TTL/hop limit seen on this line (-1 when none). */
  ttl: number;
}

export function createLineFacts(): LineFacts {
  return {
    kind: 'other', frame: -1, stamp: 'none', todUs: 0, dateDays: 0, epochUs: 0, style: 'old',
    hasSeq: false, hasAck: false, truncated: false, ttl: -1,
  };
}
