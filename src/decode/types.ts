/** Contracts between input decoders and the rest of the core. */
import type { SegmentSink } from '../model/segment';
import type { ProblemLog } from '../model/problems';
import type { FirewallRecordSink } from '../model/firewall-record';

/** A link-layer frame from a binary capture. `data` is valid only during the call. */
export interface FrameSink {
  frame(linkType: number, timeUs: number, data: Uint8Array, recordOffset: number, frameNumber: number, originalLength: number): void;
}

/**
 * Firewall log events (ASA/FTD syslog) go here; defined in model/firewall.ts. `e` is the decoder's scratch event,
 * valid only during the call (copy what you keep); `text` is the line and `at` where its message starts (for
 * folding duplicate lines).
 */
export interface FirewallEventSink<E = unknown> {
  event(e: E, text?: string, at?: number): void;
  /**
   * The store's own form, when the sink has one: a decoder may give the lines it reads fast as records (numbers
   * and ids interned in its names, model/firewall-record.ts) instead of events; both must say the same.
   */
  records?: FirewallRecordSink;
}

/** TLS secrets (key log text in NSS SSLKEYLOGFILE format, from a key log file or a pcapng DSB); returns what it took. */
export type SecretsSink = (keyLogText: string) => { secrets: number; badLine: number };

export interface InputSinks {
  segments: SegmentSink;
  firewall?: FirewallEventSink;
  secrets?: SecretsSink;
  /** After a binary capture's walk: what its framer noted for re-reading one record (decode/formats.ts RecordPrelude). */
  rereadNotes?: (notes: readonly number[]) => void;
}

export interface DecodeOptions {
  /** Called now and then with bytes read so far (for progress bars). */
  onProgress?: (bytesRead: number) => void;
  /** Checked between slices; when it returns true decoding stops early and keeps what it has. */
  isCancelled?: () => boolean;
  /** Year for syslog/text stamps without one, when the input itself cannot tell. */
  year?: number;
  /** Date (YYYY-MM-DD) for text captures whose stamps have only a time of day. */
  date?: string;
  /**
   * Time zone of syslog stamps that name none (or an unknown or ambiguous abbreviation): `+03:00`, `MSK`,
   * `Europe/Moscow`. Without it such stamps are read as UTC.
   */
  tz?: string;
  problems: ProblemLog;
}

/**
 * A text format's vote on a sample of an input (decode/formats.ts offers it each non-blank line, at most 2,000, in
 * registry order; the highest score wins, ties go to the earlier entry). Made fresh per sample, so it may count.
 */
export interface TextSniff {
  /** Votes for one line (`n`: its number among the non-blank lines, from 1); a line with votes is not offered to
   *  the entries after this one. */
  line(line: string, n: number): number;
  /** The score from this format's votes; `seen` lines were offered, `others` is every other format's votes (a
   *  format may claim weaker evidence when no other format voted). Without it, the votes. */
  score?(votes: number, seen: number, others: number): number;
}
