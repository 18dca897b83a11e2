/**
 * Layout of a connection's record during the packet pass: STRIDE 32-bit words per connection in one
 * Uint32Array (ConnKeys.rec), so that a packet touches one place (two cache lines) for everything the pass
 * keeps: the 4-tuple the hash lookup compares, the tracker's reuse-rule state, and the TLS walk state.
 * Fresh records are all zero, which is every field's initial state.
 */
export const STRIDE = 32;

// Words 0..15 (the first 64 bytes) hold what every packet reads; words 16..31 what only some packets read.

// conn-keys.ts: the 4-tuple.
/** Side a's port << 16 | side b's port. */
export const R_PORTS = 1;
export const R_IP_VERSION = 2;
/** Side a's address (4 big-endian words; IPv4 uses the first), then side b's. */
export const R_ADDR = 4;

// connections.ts: the tracker's own state.
export const R_PACKETS = 0;
/**
 * Bit 0 (F_REUSED_BIT): split off a reused 4-tuple; bits 8..15: side a's pass bits; bits 16..23: side b's;
 * bits 24..25: the side (+ 1) of the previous packet when it was a data segment without payload bytes (tls-walk.ts).
 */
export const R_FLAGS = 3;
export const F_REUSED_BIT = 1;
// Per-side bits kept during the pass (for the 4-tuple reuse rule and the window-scale record), at
// R_FLAGS bits 8..15 (side a) and 16..23 (side b).
export const P_SENT = 1;
export const P_PLAIN_SYN = 2;
export const P_SYN = 4;
export const F_PREV_NULL_SHIFT = 24;
/** Per side (+ side): raw seq of its SYN, or of its first packet minus 1. */
export const R_BASE = 16;
/** Per side (+ side): window-scale option of its first SYN, as an int16 in the low 16 bits. */
export const R_WSCALE = 18;

// tls-walk.ts.
/** Per side (+ side): walk state | flags << 8 | header bytes held << 16. */
export const R_TLS_STATE = 12;
/** ServerHello version | record seen << 16. */
export const R_TLS_VERSION = 14;
/** Text captures: length of the previous packet when it was a data segment without payload bytes (side in R_FLAGS). */
export const R_PREV_NULL_LEN = 15;
/** Per side (+ 3 * side): next seq expected, record body bytes still to skip, held bytes of a split header. */
export const R_TLS_WALK = 20;

// connections.ts: pieces of one 4-tuple in several inputs (ring-buffer files vs two capture points).
/** Per side (+ side): highest seq + length (+ SYN/FIN) the side sent so far (compared as int32 differences). */
export const R_NEXT = 26;
/** Per side (+ side): ack field of the side's first packet. */
export const R_FIRST_ACK = 28;
/** Input (file) of the connection's latest packet. */
export const R_INPUT = 30;
/** Connection index + 1 of the next older connection with the same 4-tuple (0 = none): the chain the tracker walks. */
export const R_PREV = 31;
