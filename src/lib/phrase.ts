/**
 * Text with values in it, kept apart until it is written: its fixed pieces are a tagged template's strings (one
 * array per place in the code, the same at every call), so that a writer of many such texts keeps each piece's bytes
 * once (json-bytes.ts JoinedText) and encodes only the values; phraseText is the text itself. For sentences made by
 * the hundred thousand from a few wordings (analysis/firewall/explain.ts).
 */
export interface Phrase {
  readonly s: TemplateStringsArray;
  readonly v: readonly PhraseValue[];
}

/** A value in a phrase: text, a number (as a template literal writes it), or a phrase. */
export type PhraseValue = string | number | Phrase;

/** The tag: phrase`A ${flags} from the ${side}.` */
export function phrase(s: TemplateStringsArray, ...v: PhraseValue[]): Phrase {
  return { s, v };
}

/** The text of a value: what the template literal without its tag gives. */
export function phraseText(p: PhraseValue): string {
  if (typeof p === 'string') return p;
  if (typeof p === 'number') return String(p);
  let out = p.s[0];
  for (let k = 0; k < p.v.length; k++) out += phraseText(p.v[k]) + p.s[k + 1];
  return out;
}
