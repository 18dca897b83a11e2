/**
 * Per-packet anomaly bits, stored in PacketTable.anomalies (one Uint16 per packet: at most 16 of them).
 * The TCP ones follow Wireshark's TCP analysis (formats.md §4.2); the close ones are ours.
 * Names are the strings used in reports (PacketAnomaly.kind) and in the UI.
 */
export const A_RETRANSMISSION = 1 << 0;
export const A_FAST_RETRANSMISSION = 1 << 1;
export const A_SPURIOUS_RETRANSMISSION = 1 << 2;
export const A_OUT_OF_ORDER = 1 << 3;
export const A_DUPLICATE_ACK = 1 << 4;
export const A_ZERO_WINDOW = 1 << 5;
export const A_KEEP_ALIVE = 1 << 6;
export const A_PREVIOUS_SEGMENT_NOT_CAPTURED = 1 << 7;
export const A_ACKED_UNSEEN_SEGMENT = 1 << 8;
export const A_PORTS_REUSED = 1 << 9;
/** A RST sent after both sides' FINs were seen. */
export const A_RST_AFTER_CLOSE = 1 << 10;
/** A RST within 1 ms after the same side's FIN, or FIN and RST in one segment. */
export const A_FIN_RST_TOGETHER = 1 << 11;
/** Payload sent after the sender's own FIN. */
export const A_DATA_AFTER_FIN = 1 << 12;
/** A RST whose sequence number is outside what the receiver would accept (RFC 9293 §3.5.3). */
export const A_RST_OUT_OF_WINDOW = 1 << 13;

export const ANOMALY_NAMES: readonly (readonly [number, string])[] = [
  [A_RETRANSMISSION, 'retransmission'],
  [A_FAST_RETRANSMISSION, 'fast-retransmission'],
  [A_SPURIOUS_RETRANSMISSION, 'spurious-retransmission'],
  [A_OUT_OF_ORDER, 'out-of-order'],
  [A_DUPLICATE_ACK, 'duplicate-ack'],
  [A_ZERO_WINDOW, 'zero-window'],
  [A_KEEP_ALIVE, 'keep-alive'],
  [A_PREVIOUS_SEGMENT_NOT_CAPTURED, 'previous-segment-not-captured'],
  [A_ACKED_UNSEEN_SEGMENT, 'acked-unseen-segment'],
  [A_PORTS_REUSED, 'ports-reused'],
  [A_RST_AFTER_CLOSE, 'rst-after-close'],
  [A_FIN_RST_TOGETHER, 'fin-rst-together'],
  [A_DATA_AFTER_FIN, 'data-after-fin'],
  [A_RST_OUT_OF_WINDOW, 'rst-out-of-window'],
];

/** Names of the bits set in `bits`, in the order above. */
export function anomalyNames(bits: number): string[] {
  const out: string[] = [];
  if (bits === 0) return out;
  for (const [bit, name] of ANOMALY_NAMES) if (bits & bit) out.push(name);
  return out;
}
