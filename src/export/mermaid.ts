/**
 * A ladder as a Mermaid sequenceDiagram, for wikis and tickets. Packets dropped between two capture
 * points end in a cross (-x) at the firewall; firewall log events become notes over the firewall.
 * Text from captures is reduced to characters Mermaid cannot read as syntax.
 */
import { flagNames } from '../model/segment';
import type { SharedLadder } from '../share/share-state';

const safe = (s: string) => s.replace(/[;#<>{}\[\]"`|\\]/g, ' ').replace(/\s+/g, ' ').trim();

function ms(us: number): string {
  const v = us / 1000;
  return v < 10 ? v.toFixed(3) : v < 1000 ? v.toFixed(1) : v.toFixed(0);
}

export function ladderToMermaid(ladder: SharedLadder): string {
  const c = ladder.connection;
  const fw = c.firewall;
  const twoPoints = ladder.packets.some((p) => p.v === 1 || p.v === 2);
  const lines = ['sequenceDiagram'];
  lines.push(`  participant C as Client ${safe(`${c.client.ip}:${c.client.port}`)}`);
  if (fw || twoPoints) lines.push(`  participant F as Firewall${fw?.device ? ' ' + safe(fw.device) : ''}`);
  lines.push(`  participant S as Server ${safe(`${c.server.ip}:${c.server.port}`)}`);
  if (c.close) lines.push(`  Note over C,S: ${safe(`${c.close.kind}, closed first by ${c.close.initiator ?? 'nobody'}`)}`);
  let prev = 0;
  for (const p of ladder.packets) {
    const [from, to] = p.c ? ['C', 'S'] : ['S', 'C'];
    const label = `${flagNames(p.f)} seq ${p.s} ack ${p.a}${p.l ? ` len ${p.l}` : ''} (+${ms(p.t - prev)} ms)${p.x.length ? ' ' + p.x.join(' ') : ''}`;
    prev = p.t;
    // v: 1 = seen at the first capture point only, 2 = second only; such a packet stopped at the firewall.
    const dropped = twoPoints && (p.v === 1 || p.v === 2);
    if (dropped) lines.push(`  ${from}-x F: ${safe(label)} (not seen beyond the firewall)`);
    else lines.push(`  ${from}->>${to}: ${safe(label)}`);
  }
  if (fw?.teardown) lines.push(`  Note over F: ${safe(`Teardown ${fw.teardown.reason}${fw.teardown.from ? ' from ' + fw.teardown.from : ''}`)}`);
  for (const d of fw?.denies ?? []) lines.push(`  Note over F: ${safe(`Deny ${d.flags} on ${d.interface} (${d.messageId})`)}`);
  return lines.join('\n') + '\n';
}

/**
 * Markdown text for a heading or paragraph: every character Markdown or HTML could read as markup is escaped (HTML
 * as entities, Markdown punctuation with a backslash), control characters and line breaks become spaces. Names in
 * captions come from files and share links: a syslog object named `<img src=x onerror=...>` must stay text.
 */
export function markdownText(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#!|~]/g, '\\$&')
    .trim();
}

/** The Markdown file of several ladders: a heading per ladder (escaped) and its diagram in a mermaid code fence. */
export function laddersToMarkdown(ladders: { caption: string; ladder: SharedLadder }[]): string {
  return ladders.map(({ caption, ladder }) => `## ${markdownText(caption)}\n\n\`\`\`mermaid\n${ladderToMermaid(ladder)}\`\`\`\n`).join('\n');
}
