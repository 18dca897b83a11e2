/**
 * The explanation of a connection seen at two capture points speaks from what both captures show (issue #19):
 * which packets crossed the firewall and which did not, and whether a late RST was dropped, instead of what
 * firewalls usually do. Added to the close's explanation after the merge (merge.ts).
 */
import type { VantageFacts } from '../../model/report';
import { PacketTable, SEEN_PRIMARY, SEEN_SECONDARY } from '../../model/packet-table';
import { FIN, RST, flagNames } from '../../model/segment';
import { LATE_RST_USUALLY } from '../explain';

const short = (name: string) => name.replace(/^.*[\\/]/, '');

/** Sentences about the merged timeline `rows` (PacketTable.seenAt set) of a connection with vantage facts `v`. */
export function vantageSentences(table: PacketTable, rows: readonly number[], v: VantageFacts): { add: string[]; lateRst: string | null } {
  const names = v.points.map(short);
  const clientSide = v.clientSide ?? 0;
  // Packets seen at one point only, grouped by sender, flags and where they were seen.
  const groups = new Map<string, { side: 'client' | 'server'; flags: string; seenAt: number; n: number; senderSide: boolean }>();
  let finC = -1;
  let finS = -1;
  // RSTs sent after both FINs, per sender: seen at both points (crossed), or at one only.
  const late = { crossed: new Set<string>(), dropped: new Map<string, number>() };
  rows.forEach((row, k) => {
    const fromClient = table.fromClient.get(row) === 1;
    const side = fromClient ? 'client' : 'server';
    const flags = table.flags.get(row);
    const seen = table.seenAt.get(row);
    if (flags & FIN) {
      if (fromClient && finC < 0) finC = k;
      if (!fromClient && finS < 0) finS = k;
    }
    if (flags & RST && finC >= 0 && finS >= 0) {
      if (seen === (SEEN_PRIMARY | SEEN_SECONDARY)) late.crossed.add(side);
      else late.dropped.set(side, seen === SEEN_PRIMARY ? 0 : 1);
    }
    if (seen !== SEEN_PRIMARY && seen !== SEEN_SECONDARY) return;
    const at = seen === SEEN_PRIMARY ? 0 : 1;
    const senderPoint = fromClient ? clientSide : 1 - clientSide;
    const key = `${fromClient} ${flags} ${at}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { side, flags: flagNames(flags), seenAt: at, n: 1, senderSide: at === senderPoint });
  });
  const add: string[] = [];
  for (const g of groups.values()) {
    const what = g.n > 1
      ? `The ${g.side}'s ${g.n} ${g.flags} packets were seen at ${names[g.seenAt]} only, not at ${names[1 - g.seenAt]}`
      : `The ${g.side}'s ${g.flags} was seen at ${names[g.seenAt]} only, not at ${names[1 - g.seenAt]}`;
    const it = g.n > 1 ? 'them' : 'it';
    add.push(g.senderSide
      ? `${what}: ${g.n > 1 ? 'they' : 'it'} did not cross the firewall.`
      : `${what}, on the ${g.side}'s side: the capture there missed ${it}, or the firewall sent ${it}.`);
  }
  const parts: string[] = [];
  for (const side of late.crossed) parts.push(`the ${side}'s RST crossed it (seen at ${names[0]} and at ${names[1]})`);
  for (const [side, at] of late.dropped) if (!late.crossed.has(side)) parts.push(`the ${side}'s RST did not cross it (seen at ${names[at]} only)`);
  const lateRst = parts.length ? `Here both captures show what this firewall did: ${parts.join('; ')}.` : null;
  return { add, lateRst };
}

/** The close's explanation `text` with what the two points show (`vantageSentences`). */
export function explainFromPoints(text: string, { add, lateRst }: { add: string[]; lateRst: string | null }): string {
  // What firewalls usually do with a late RST gives way to what the captures show this one did.
  if (lateRst && text.includes(LATE_RST_USUALLY)) text = text.replace(LATE_RST_USUALLY, `A stateful firewall that saw both FINs usually drops it. ${lateRst}`);
  if (add.length) text = `${text} ${add.join(' ')}`;
  return text;
}
