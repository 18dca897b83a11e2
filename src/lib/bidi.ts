/**
 * Bidirectional-text controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM) in a name from a file or a link
 * can reorder the text around it ("file‮gpj.exe" shows as "fileexe.jpg"). Names are shown without them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export function stripBidiControls(s: string): string {
  return s.replace(BIDI_CONTROLS, '');
}
