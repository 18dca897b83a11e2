/**
 * Zeek's connection history string (formats.md §4.1; zeek Conn.cc CheckHistory/AddHistory): letters as small
 * codes, each side's "seen" bits, and the strings themselves shared through a bounded trie, so that appending a
 * letter costs an array read instead of a new string per letter for the common histories. Used by zeek.ts.
 */
import type { Conn } from './conn-state';

// History letters as codes: the originator's (upper case) 0..11, the responder's (lower case) code + RESP.
export const L_S = 0;
export const L_H = 1;
export const L_A = 2;
export const L_D = 3;
export const L_F = 4;
export const L_R = 5;
export const L_T = 6;
export const L_W = 7;
export const L_G = 8;
export const L_I = 9;
export const L_Q = 10;
export const L_FLIP = 11;
const RESP = 12;
const CODES = 2 * RESP;
const LETTER = [...'SHADFRTWGIQ^', ...'shadfrtwgiq^'];

/**
 * The history strings made so far, as a trie over letter codes: node n stands for the string histText[n], its
 * child for code L is histNext[n * CODES + L] (0 = not made yet). Most connections share a few dozen histories,
 * so appending a letter is an array read instead of a new string per letter (and the store interns the same
 * string objects). Bounded: a history that leaves the trie (node -1) is concatenated as a plain string.
 */
const MAX_HIST_NODES = 4096;
let histNext = new Uint16Array(64 * CODES);
const histText: string[] = [''];

function newHistNode(n: number, code: number): number {
  const next = histText.length;
  if (next >= MAX_HIST_NODES) return -1;
  if ((next + 1) * CODES > histNext.length) {
    const grown = new Uint16Array(histNext.length * 2);
    grown.set(histNext);
    histNext = grown;
  }
  histText.push(histText[n] + LETTER[code]);
  histNext[n * CODES + code] = next;
  return next;
}

/** Append letter `code` to the history (c.zHistory always holds the history so far). */
export function appendHistory(c: Conn, code: number): void {
  const n = c.zHistNode;
  if (n >= 0) {
    const next = histNext[n * CODES + code] || newHistNode(n, code);
    if (next > 0) {
      c.zHistNode = next;
      c.zHistory = histText[next];
      return;
    }
    c.zHistNode = -1;
  }
  c.zHistory += LETTER[code];
}

/** Zeek's CheckHistory: record `code` the first time `mask` is seen for this side. True when already seen. */
export function checkHistory(c: Conn, orig: boolean, mask: number, code: number): boolean {
  const m = orig ? mask : mask << 16;
  if ((c.zHistSeen & m) === 0) {
    c.zHistSeen |= m;
    appendHistory(c, orig ? code : code + RESP);
    return false;
  }
  return true;
}

export function addHistory(c: Conn, orig: boolean, code: number): void {
  appendHistory(c, orig ? code : code + RESP);
}
