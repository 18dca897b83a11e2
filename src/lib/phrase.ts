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

/**
 * An IPv4 address in a phrase as its number (a uint32), its text the dotted one: a writer of many sentences puts its
 * bytes straight from the number (json-bytes.ts JoinedText) instead of reading an address's string for each one (a
 * big log's deny explanations: the string read from the names, a cache miss, and searched for a `:`, took ~35% of
 * writing their sentences).
 */
export class Ipv4Value {
  constructor(readonly code: number) {}

  /** The dotted text, e.g. 192.0.2.1. */
  text(): string {
    const c = this.code;
    return `${c >>> 24}.${(c >>> 16) & 255}.${(c >>> 8) & 255}.${c & 255}`;
  }
}

/** A value in a phrase: text, a number (as a template literal writes it), an IPv4 address or a phrase. */
export type PhraseValue = string | number | Ipv4Value | Phrase;

/** The tag: phrase`A ${flags} from the ${side}.` */
export function phrase(s: TemplateStringsArray, ...v: PhraseValue[]): Phrase {
  return { s, v };
}

/** The text of a value: what the template literal without its tag gives. */
export function phraseText(p: PhraseValue): string {
  if (typeof p === 'string') return p;
  if (typeof p === 'number') return String(p);
  if (p instanceof Ipv4Value) return p.text();
  let out = p.s[0];
  for (let k = 0; k < p.v.length; k++) out += phraseText(p.v[k]) + p.s[k + 1];
  return out;
}
