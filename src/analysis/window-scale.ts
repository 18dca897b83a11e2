/**
 * The window as Wireshark shows it (tcp.window_size): the raw 16-bit field shifted left by the sender's
 * window-scale option (RFC 7323 2.3), as Wireshark decides it: a side whose SYN carried the option shifts its
 * windows by it; once a captured SYN lacked the option nobody's windows are scaled (shift 0); a side whose SYN was
 * not captured has an unknown shift, and only the raw field can be shown (Wireshark's "scaling factor: -1"). A
 * SYN's own window is never scaled.
 */
import { P_SYN, R_FLAGS, R_WSCALE, STRIDE } from './pass-record';

/**
 * Per connection (of the pass records `rec`, before they are dropped), the shift of the windows sent by side a
 * then side b: two entries per connection, -1 when unknown.
 */
export function windowShiftColumn(rec: Uint32Array, count: number): Int8Array {
  const out = new Int8Array(2 * count);
  for (let i = 0; i < count; i++) windowShifts(rec, i, out);
  return out;
}

/** Shift of the windows sent by side a and side b of connection i, -1 where unknown: into out[2i], out[2i + 1]. */
function windowShifts(rec: Uint32Array, i: number, out: Int8Array): void {
  const k = i * STRIDE;
  const bits = rec[k + R_FLAGS];
  const synA = ((bits >>> 8) & P_SYN) !== 0;
  const synB = ((bits >>> 16) & P_SYN) !== 0;
  // The option of each side's first SYN, -1 for none (connections.ts records it as an int16).
  const a = synA ? (rec[k + R_WSCALE] << 16) >> 16 : -1;
  const b = synB ? (rec[k + R_WSCALE + 1] << 16) >> 16 : -1;
  if ((synA && a < 0) || (synB && b < 0)) {
    out[2 * i] = 0;
    out[2 * i + 1] = 0;
    return;
  }
  // RFC 7323: a shift over 14 is used as 14.
  out[2 * i] = synA ? Math.min(a, 14) : -1;
  out[2 * i + 1] = synB ? Math.min(b, 14) : -1;
}
