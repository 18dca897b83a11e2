/**
 * Parser of the flow table's filter expressions: Wireshark display-filter syntax over the fields of
 * model/filter/fields.ts. Grammar (lowest precedence first):
 *
 *   expr   := and (('or' | '||') and)*
 *   and    := unary (('and' | '&&') unary)*
 *   unary  := ('not' | '!') unary | '(' expr ')' | test
 *   test   := FIELD [cmp value | 'in' '{' item (','? item)* '}' | 'contains' value]
 *   cmp    := '==' | 'eq' | '!=' | 'ne' | '>' | 'gt' | '<' | 'lt' | '>=' | 'ge' | '<=' | 'le'
 *
 * Values are checked against the field's type here, so every mistake is a FilterError naming its column; the result
 * holds typed values (model/filter/compile.ts turns it into a predicate over the flow columns).
 */
import { FIELDS, type FieldInfo } from './fields';
import { FilterError, tokenize, type CmpOp, type Token } from './lex';
import { ipv4Range, ipv6Range, numberRange, type Range } from './values';

export type Value =
  | { kind: 'number'; range: Range<number> }
  | { kind: 'ipv4'; range: Range<number> }
  | { kind: 'ipv6'; range: Range<bigint> }
  | { kind: 'text'; text: string };

export type TestOp = 'exists' | CmpOp | 'in' | 'contains';

export interface Test {
  t: 'test';
  field: string;
  info: FieldInfo;
  op: TestOp;
  values: Value[];
  col: number;
}

export type Expr = { t: 'or' | 'and'; a: Expr; b: Expr } | { t: 'not'; x: Expr } | Test;

const quote = (t: Token) => (t.kind === 'end' ? 'the end' : `'${t.kind === 'string' ? `"${t.text}"` : t.text}'`);

export function parseFilter(text: string): Expr {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];

  const orExpr = (): Expr => {
    let a = andExpr();
    while (peek().kind === 'or') {
      next();
      a = { t: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): Expr => {
    let a = unary();
    while (peek().kind === 'and') {
      next();
      a = { t: 'and', a, b: unary() };
    }
    return a;
  };
  const unary = (): Expr => {
    const t = peek();
    if (t.kind === 'not') {
      next();
      return { t: 'not', x: unary() };
    }
    if (t.kind === '(') {
      next();
      const e = orExpr();
      if (peek().kind !== ')') throw new FilterError(`expected ')' for the '(' at column ${t.col}, found ${quote(peek())} at column ${peek().col}`, peek().col);
      next();
      return e;
    }
    return test(p > 0 ? toks[p - 1] : null);
  };
  const test = (before: Token | null): Expr => {
    const t = next();
    const after = before ? ` after ${quote(before)}` : '';
    if (t.kind === 'end') throw new FilterError(`expected a field${after} at column ${t.col}`, t.col);
    if (t.kind !== 'word') throw new FilterError(`expected a field${after}, found ${quote(t)} at column ${t.col}`, t.col);
    const info = FIELDS[t.text.toLowerCase()];
    if (!info) throw new FilterError(`unknown field '${t.text}' at column ${t.col}`, t.col);
    const field = t.text.toLowerCase();
    const op = peek();
    if (op.kind === 'cmp') {
      next();
      return { t: 'test', field, info, op: op.op!, values: [value(field, info, op, op.op!, false)], col: t.col };
    }
    if (op.kind === 'contains') {
      next();
      if (info.type !== 'text') throw new FilterError(`'contains' applies to text fields, not to ${field} (column ${op.col})`, op.col);
      return { t: 'test', field, info, op: 'contains', values: [value(field, info, op, 'contains', false)], col: t.col };
    }
    if (op.kind === 'in') {
      next();
      const open = next();
      if (open.kind !== '{') throw new FilterError(`expected '{' after 'in' at column ${open.col}`, open.col);
      const values: Value[] = [];
      for (;;) {
        if (peek().kind === '}') break;
        if (values.length && peek().kind === ',') next();
        if (peek().kind === 'end') throw new FilterError(`expected '}' for the '{' at column ${open.col}`, peek().col);
        values.push(value(field, info, values.length ? toks[p - 1] : open, 'in', true));
      }
      if (!values.length) throw new FilterError(`expected a value after '{' at column ${peek().col}`, peek().col);
      next();
      return { t: 'test', field, info, op: 'in', values, col: t.col };
    }
    if (info.type === 'number' || info.type === 'ipv4' || info.type === 'ipv6' || info.type === 'text') {
      // A bare field that always holds a value would match every connection: Wireshark allows it, but here it is
      // nearly always an unfinished comparison.
      if (op.kind === 'word' || op.kind === 'string') {
        throw new FilterError(`expected an operator ('==', '!=', '>', 'in' ...) after ${field}, found ${quote(op)} at column ${op.col}`, op.col);
      }
    }
    return { t: 'test', field, info, op: 'exists', values: [], col: t.col };
  };
  const value = (field: string, info: FieldInfo, after: Token, op: TestOp, inSet: boolean): Value => {
    const v = next();
    if (v.kind !== 'word' && v.kind !== 'string') {
      throw new FilterError(`expected a value after ${quote(after)} at column ${v.col}${v.kind === 'end' ? '' : `, found ${quote(v)}`}`, v.col);
    }
    const bad = (what: string) => new FilterError(`${quote(v)} at column ${v.col} is not ${what} (${field})`, v.col);
    const ordering = op === '>' || op === '<' || op === '>=' || op === '<=';
    switch (info.type) {
      case 'bool':
      case 'flag': {
        if (op !== '==' && op !== '!=') throw new FilterError(`${field} is tested alone, or with == 1 / == 0 (column ${after.col})`, after.col);
        if (v.text !== '0' && v.text !== '1') throw bad('1 or 0');
        return { kind: 'number', range: { lo: +v.text, hi: +v.text } };
      }
      case 'number': {
        const range = v.kind === 'word' ? numberRange(v.text, inSet) : null;
        if (!range) throw bad(inSet ? 'a number or a range like 1024..2048' : 'a number');
        return { kind: 'number', range };
      }
      case 'ipv4': {
        const range = ipv4Range(v.text);
        if (!range) throw bad('an IPv4 address or network (10.0.0.1, 10.0.0.0/8)');
        if (ordering && range.lo !== range.hi) throw bad('a single address, to compare with');
        return { kind: 'ipv4', range };
      }
      case 'ipv6': {
        const range = ipv6Range(v.text);
        if (!range) throw bad('an IPv6 address or network (2001:db8::1, 2001:db8::/32)');
        if (ordering && range.lo !== range.hi) throw bad('a single address, to compare with');
        return { kind: 'ipv6', range };
      }
      case 'text': {
        if (ordering) throw new FilterError(`'${op}' does not apply to the text field ${field} (column ${after.col})`, after.col);
        const text = v.text;
        if (info.values && op !== 'contains' && !info.values.includes(text.toLowerCase())) {
          throw bad(`one of ${info.values.join(', ')}`);
        }
        return { kind: 'text', text };
      }
    }
  };

  const e = orExpr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const hint = rest.kind === ')' ? `a ')' without its '('` : quote(rest);
    throw new FilterError(`unexpected ${hint} at column ${rest.col}: expected 'and', 'or' or the end`, rest.col);
  }
  return e;
}
