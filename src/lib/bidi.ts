/**
 * Bidirectional-text controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM) in a name from a file or a link
 * can reorder the text around it ("file‮gpj.exe" shows as "fileexe.jpg"). Names are shown without them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export function stripBidiControls(s: string): string {
  return s.replace(BIDI_CONTROLS, '');
}

/** Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * A name from a file for text drawn where HTML isolation (`<bdi>`, `unicode-bidi: isolate`) does not reach, such as
 * an SVG label: bidi controls stripped and, when it holds right-to-left letters, wrapped in FSI…PDI so that it cannot
 * reorder the text around it ("ספק:443" stays "ספק:443", not "443:ספק"). Other names come back unchanged.
 */
export function isolateName(s: string): string {
  const t = stripBidiControls(s);
  return RTL.test(t) ? `\u2068${t}\u2069` : t;
}
