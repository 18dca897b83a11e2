/**
 * The contract between a line source (plain lines, or a container such as a CSV/JSON export unwrapped by
 * containers/) and the syslog line decoder: one message text per call, with what its container says.
 */

/** What a container (CSV/JSON export, Kiwi) says about a line, for messages whose own header lacks it. */
export interface OuterFields {
  /** Epoch µs of the container's time column; NaN when it has none. */
  timeUs: number;
  /** The container's host column; '' when it has none. */
  host: string;
}

export interface MessageLineSink {
  /** One message line; `outer` is what its container (export row) gives when it has one. */
  line(s: string, lineNo: number, outer?: OuterFields | null): void;
}
