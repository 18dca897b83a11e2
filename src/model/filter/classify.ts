/**
 * What the flow table's search box holds: a filter expression, free text, or an expression with a mistake. The rule
 * (README, "Filter expressions"): text that parses as an expression is one; text that does not parse is free text
 * (a substring over endpoints, close kind and reason, as before expressions existed) unless it looks like an
 * expression (it holds one of = ! < > & | ( ) { } " or starts with a field name such as tcp.port or a protocol
 * prefix such as tcp. or teardown.; a bare protocol name such as tcp does not count): then it is a mistake, shown with its column, and filters nothing.
 */
import { FIELDS } from './fields';
import { FilterError } from './lex';
import { parseFilter, type Expr } from './parse';

export type SearchText =
  | { mode: 'none' }
  | { mode: 'expression'; expr: Expr }
  | { mode: 'text'; text: string }
  | { mode: 'error'; message: string; col: number };

const PREFIXES = ['tcp.', 'udp.', 'ip.', 'ipv6.', 'icmp.', 'icmpv6.', 'teardown.', 'frame.', 'eth.'];

export function looksLikeExpression(text: string): boolean {
  if (/[=!<>&|(){}"]/.test(text)) return true;
  const first = text.trim().split(/\s+/)[0].toLowerCase();
  // A protocol name alone (tcp, ip) does not count: "TCP Reset-O" is a firewall reason to search for.
  return (first.includes('.') && first in FIELDS) || PREFIXES.some((p) => first.startsWith(p));
}

export function classifySearch(raw: string): SearchText {
  const text = raw.trim();
  if (!text) return { mode: 'none' };
  try {
    return { mode: 'expression', expr: parseFilter(raw) };
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    if (!looksLikeExpression(text)) return { mode: 'text', text: text.toLowerCase() };
    return { mode: 'error', message: e.message, col: e.col };
  }
}
