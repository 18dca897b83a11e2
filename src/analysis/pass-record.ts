/**
 * Layout of a connection's record during the packet pass: STRIDE 32-bit words per connection in one
 * Uint32Array (ConnKeys.rec), so that a packet touches one place (two cache lines) for everything the pass
 * keeps: the 4-tuple the hash lookup compares, the tracker's reuse-rule state, and the TLS walk state.
 * Fresh records are all zero, which is every field's initial state.
 */
export const STRIDE = 32;

// conn-keys.ts: the 4-tuple.
/** Side a's port << 16 | side b's port. */
export const R_PORTS = 1;
export const R_IP_VERSION = 2;
/** Side a's address (4 big-endian words; IPv4 uses the first), then side b's. */
export const R_ADDR = 4;

// connections.ts: the tracker's own state.
export const R_PACKETS = 0;
/** Bit 0 (F_REUSED_BIT): split off a reused 4-tuple; bits 8..15: side a's pass bits; bits 16..23: side b's. */
export const R_FLAGS = 3;
export const F_REUSED_BIT = 1;
/** Per side (+ side): raw seq of its SYN, or of its first packet minus 1. */
export const R_BASE = 12;
/** Per side (+ side): window-scale option of its first SYN, as an int16 in the low 16 bits. */
export const R_WSCALE = 14;

// tls-walk.ts.
/** Per side (+ 4 * side): [walk state | flags << 8 | header bytes held << 16, next seq, body bytes to skip, held header bytes]. */
export const R_TLS = 16;
/** ServerHello version | record seen << 16. */
export const R_TLS_VERSION = 24;
/** Text captures: the previous packet when it was a data segment without payload bytes: length, and side + 1 (0 = none). */
export const R_PREV_NULL_LEN = 25;
export const R_PREV_NULL_SIDE = 26;
