/**
 * Ties a lesson to its analysed capture: finds the connection the lesson names, and checks every
 * claim the lesson makes (packet exists, who sent it, its flags, the endpoint states) against
 * what the analysis found. The player shows the mismatches to the trainer; the tests require none.
 */
import type { ConnectionReport, Endpoint } from '../model/report';
import { flagNames } from '../model/segment';
import type { PacketLike } from './describe';
import { stateAt } from './steps';
import type { Lesson, LessonConnectionRef } from './types';

/** "10.0.0.1:443", ":443", "[::1]:8080", "::1", "10.0.0.1" -> address (lower case) and port, null = any. */
export function parseEndpoint(text: string): { ip: string | null; port: number | null } {
  const t = text.trim();
  const bracket = /^\[([^\]]*)\](?::(\d+))?$/.exec(t);
  if (bracket) return { ip: bracket[1] ? bracket[1].toLowerCase() : null, port: bracket[2] ? Number(bracket[2]) : null };
  if ((t.match(/:/g) ?? []).length >= 2) return { ip: t.toLowerCase(), port: null };
  const colon = t.lastIndexOf(':');
  if (colon < 0) return { ip: t.toLowerCase() || null, port: null };
  return { ip: colon > 0 ? t.slice(0, colon).toLowerCase() : null, port: Number(t.slice(colon + 1)) };
}

function matches(ref: string | undefined, e: Endpoint): boolean {
  if (ref === undefined) return true;
  const want = parseEndpoint(ref);
  if (want.port !== null && want.port !== e.port) return false;
  if (want.ip !== null && want.ip !== e.ip.toLowerCase()) return false;
  return true;
}

/** Index (in `connections`) of the connection the lesson means, or an error in plain words. */
export function selectConnection(
  ref: LessonConnectionRef,
  connections: readonly ConnectionReport[],
): { index: number } | { error: string } {
  const hits: number[] = [];
  connections.forEach((c, i) => {
    if (c.source !== 'syslog' && matches(ref.server, c.server) && matches(ref.client, c.client)) hits.push(i);
  });
  const nth = ref.nth ?? 0;
  if (nth < hits.length) return { index: hits[nth] };
  const what = [ref.client && `client ${ref.client}`, ref.server && `server ${ref.server}`].filter(Boolean).join(', ') || 'any endpoints';
  return {
    error: `connection: the captures hold ${connections.length} connection(s), ${hits.length} with ${what}; ` +
      `the lesson asks for number ${nth} (counting from 0)`,
  };
}

const CHECKED_FLAGS = ['SYN', 'FIN', 'RST', 'ACK'];

/** Every lesson claim the capture's analysis contradicts, naming the step. Empty when all agree. */
export function checkLessonAgainstAnalysis(lesson: Lesson, connection: ConnectionReport, packets: readonly PacketLike[]): string[] {
  const out: string[] = [];
  const states = connection.close?.states;
  if (lesson.range && lesson.range.from >= packets.length) {
    out.push(`range.from: packet ${lesson.range.from} does not exist; the connection has ${packets.length} packets`);
  }
  if (lesson.range?.to !== undefined && lesson.range.to >= packets.length) {
    out.push(`range.to: packet ${lesson.range.to} does not exist; the connection has ${packets.length} packets`);
  }
  lesson.steps.forEach((s, i) => {
    const where = `steps[${i}] (packet ${s.packet})`;
    const p = packets[s.packet];
    if (!p) {
      out.push(`${where}: the connection has only ${packets.length} packets (0..${packets.length - 1})`);
      return;
    }
    if (s.expect?.from && (s.expect.from === 'client') !== p.fromClient) {
      out.push(`${where}: the lesson says the ${s.expect.from} sent it, the capture says the ${p.fromClient ? 'client' : 'server'}`);
    }
    if (s.expect?.flags) {
      const want = s.expect.flags.split(' ');
      const have = flagNames(p.flags).split(' ');
      const checked = [...CHECKED_FLAGS, ...want.filter((w) => !CHECKED_FLAGS.includes(w))];
      const diff = checked.filter((f) => want.includes(f) !== have.includes(f));
      if (diff.length) out.push(`${where}: the lesson expects flags "${s.expect.flags}", the packet has "${flagNames(p.flags)}"`);
    }
    for (const side of ['client', 'server'] as const) {
      const want = s.states?.[side];
      if (!want) continue;
      const have = stateAt(states?.[side], s.packet).state;
      if (have !== want) {
        out.push(`${where}: the lesson says the ${side} is in ${want}; the analysis finds ${have || 'no state'}`);
      }
    }
  });
  return out;
}
