/**
 * A ladder as a Mermaid sequenceDiagram, for wikis and tickets. A firewall participant stands between client and
 * server whenever the ladder has one (a firewall log, two capture points, a packet dropped); a packet that did not
 * cross it ends in a cross (-x) at the firewall: seen on its sender's side of two capture points only, or denied by
 * the log when there is one point. Firewall log events are notes over the firewall in time order, after the packet
 * they match (syslog stamps are whole seconds: render/ladder-events.ts). Segments without ACK show no ack number.
 * Text from captures is reduced to characters Mermaid cannot read as syntax.
 */
import { ACK, flagNames } from '../model/segment';
import type { SharedLadder } from '../share/share-state';
import type { LadderPacket } from '../model/ladder-packet';
import { droppedPackets, firewallMarks, type FirewallMark } from '../render/ladder-events';

const safe = (s: string) => s.replace(/[;#<>{}\[\]"`|\\]/g, ' ').replace(/\s+/g, ' ').trim();

function ms(us: number): string {
  const v = us / 1000;
  return v < 10 ? v.toFixed(3) : v < 1000 ? v.toFixed(1) : v.toFixed(0);
}

function noteOf(m: FirewallMark, c: SharedLadder['connection']): string {
  const t = c.firewall?.teardown;
  const text = m.kind === 'teardown' && t ? `Teardown ${t.reason}${t.from ? ' from ' + t.from : ''}`
    : m.kind === 'deny' && m.deny ? `Deny ${m.deny.flags} on ${m.deny.interface} (${m.deny.messageId})`
    : m.text;
  // Syslog stamps are whole seconds: an event placed by the packet it matches says so.
  return `Note over F: ${safe(text)}${m.wholeSecond && m.after >= 0 ? ' (logged within that second)' : ''}`;
}

export function ladderToMermaid(ladder: SharedLadder): string {
  const c = ladder.connection;
  const fw = c.firewall;
  const pk: LadderPacket[] = ladder.packets.map((p) => ({
    index: p.i, timeUs: ladder.t0Us + p.t, fromClient: p.c === 1, flags: p.f, relSeq: p.s, relAck: p.a,
    payloadLength: p.l, window: p.w, anomalies: p.x, ...(p.v ? { seenAt: p.v } : {}),
  }));
  const twoPoints = (c.vantage?.points.length ?? 0) >= 2 || ladder.packets.some((p) => p.v);
  const marks = firewallMarks(c, pk);
  const drops = new Set(droppedPackets(c, pk, marks).map((d) => d.at));
  const lines = ['sequenceDiagram'];
  lines.push(`  participant C as Client ${safe(`${c.client.ip}:${c.client.port}`)}`);
  if (fw || twoPoints || drops.size) lines.push(`  participant F as Firewall${fw?.device ? ' ' + safe(fw.device) : ''}`);
  lines.push(`  participant S as Server ${safe(`${c.server.ip}:${c.server.port}`)}`);
  if (c.close) lines.push(`  Note over C,S: ${safe(`${c.close.kind}, closed first by ${c.close.initiator ?? 'nobody'}`)}`);
  const clientSide = c.vantage?.clientSide;
  const pending = marks.filter((m) => m.after < 0);
  let prev = pk.length ? pk[0].timeUs : 0;
  pk.forEach((p, k) => {
    // Events not tied to a packet: by their time.
    while (pending.length && pending[0].timeUs < p.timeUs) lines.push(`  ${noteOf(pending.shift()!, c)}`);
    const [from, to] = p.fromClient ? ['C', 'S'] : ['S', 'C'];
    const label = `${flagNames(p.flags)} seq ${p.relSeq}${p.flags & ACK ? ` ack ${p.relAck}` : ''}${p.payloadLength ? ` len ${p.payloadLength}` : ''} (+${ms(p.timeUs - prev)} ms)${p.anomalies.length ? ' ' + p.anomalies.join(' ') : ''}`;
    prev = p.timeUs;
    const one = p.seenAt === 1 || p.seenAt === 2;
    // Seen at one of two points: on the sender's side it stopped at the firewall; on the receiver's side it
    // came from the firewall (or the sender's side missed it). Without the sides known, it stopped there.
    const senderPoint = clientSide === undefined ? null : p.fromClient ? clientSide : 1 - clientSide;
    if (one && senderPoint !== null && p.seenAt! - 1 !== senderPoint) lines.push(`  F->>${to}: ${safe(label)} (not seen on the ${p.fromClient ? 'client' : 'server'}'s side)`);
    else if (one || drops.has(k)) lines.push(`  ${from}-x F: ${safe(label)} (${one ? 'not seen beyond the firewall' : 'denied by the firewall'})`);
    else lines.push(`  ${from}->>${to}: ${safe(label)}`);
    for (const m of marks) if (m.after === k) lines.push(`  ${noteOf(m, c)}`);
  });
  for (const m of pending) lines.push(`  ${noteOf(m, c)}`);
  // Events whose stamp could not be read (a share link's, a damaged log's) still get their note, last.
  if (fw?.teardown && !marks.some((m) => m.kind === 'teardown')) lines.push(`  Note over F: ${safe(`Teardown ${fw.teardown.reason}${fw.teardown.from ? ' from ' + fw.teardown.from : ''}`)}`);
  for (const d of fw?.denies ?? []) if (!marks.some((m) => m.deny === d)) lines.push(`  Note over F: ${safe(`Deny ${d.flags} on ${d.interface} (${d.messageId})`)}`);
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
