/**
 * Tokens of a display-filter expression (model/filter/parse.ts). Columns are 1-based character positions, for
 * messages such as "expected a value after '==' at column 14".
 */

export type TokenKind = 'word' | 'string' | 'cmp' | 'and' | 'or' | 'not' | 'in' | 'contains' | '(' | ')' | '{' | '}' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as typed (a string token: its value, unquoted). */
  text: string;
  /** 1-based column of its first character. */
  col: number;
  /** For `cmp`: the canonical operator. */
  op?: CmpOp;
}

export type CmpOp = '==' | '!=' | '>' | '<' | '>=' | '<=';

export class FilterError extends Error {
  constructor(message: string, readonly col: number) {
    super(message);
  }
}

/** Words: field names and unquoted values (numbers, addresses, CIDR, ranges `1..9`, close kind names). */
const WORD = /[A-Za-z0-9_.:/\-]/;

const KEYWORDS: Record<string, { kind: TokenKind; op?: CmpOp }> = {
  and: { kind: 'and' }, or: { kind: 'or' }, not: { kind: 'not' }, in: { kind: 'in' }, contains: { kind: 'contains' },
  eq: { kind: 'cmp', op: '==' }, ne: { kind: 'cmp', op: '!=' }, gt: { kind: 'cmp', op: '>' }, lt: { kind: 'cmp', op: '<' },
  ge: { kind: 'cmp', op: '>=' }, le: { kind: 'cmp', op: '<=' },
};

const SYMBOLS: readonly [string, TokenKind, CmpOp?][] = [
  ['===', 'cmp', '=='], ['==', 'cmp', '=='], ['!=', 'cmp', '!='], ['>=', 'cmp', '>='], ['<=', 'cmp', '<='],
  ['&&', 'and'], ['||', 'or'], ['>', 'cmp', '>'], ['<', 'cmp', '<'], ['!', 'not'],
  ['(', '('], [')', ')'], ['{', '{'], ['}', '}'], [',', ','],
];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (ch === '"') {
      let s = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        s += text[j];
      }
      if (j >= text.length) throw new FilterError(`unterminated string (no closing '"') at column ${col}`, col);
      out.push({ kind: 'string', text: s, col });
      i = j + 1;
      continue;
    }
    if (WORD.test(ch)) {
      let j = i;
      while (j < text.length && WORD.test(text[j])) j++;
      const w = text.slice(i, j);
      const kw = KEYWORDS[w.toLowerCase()];
      out.push(kw ? { kind: kw.kind, text: w, col, op: kw.op } : { kind: 'word', text: w, col });
      i = j;
      continue;
    }
    const sym = SYMBOLS.find(([s]) => text.startsWith(s, i));
    if (!sym && ch === '=') throw new FilterError(`a single '=' at column ${col}: compare with '=='`, col);
    if (!sym) throw new FilterError(`unexpected '${ch}' at column ${col}`, col);
    out.push({ kind: sym[1], text: sym[0], col, op: sym[2] });
    i += sym[0].length;
  }
  out.push({ kind: 'end', text: '', col: text.length + 1 });
  return out;
}
