/**
 * The step engine: turns a lesson and the analysed connection into the list of stops the player
 * walks through (intro, for every packet an optional question then the packet itself, the end),
 * and says at each stop which packets are visible, which one is current, each endpoint's state
 * and what to read. Pure: the same stops in Node tests and in the browser.
 */
import type { ConnectionReport, EndpointState } from '../model/report';
import type { Lesson, LessonQuestion, LessonSide, LessonStep } from './types';
import { describePacket, type PacketLike } from './describe';

export type StopKind = 'intro' | 'ask' | 'show' | 'end';

export interface LessonStop {
  kind: StopKind;
  /** Connection packet index this stop is about (-1 for intro/end). */
  packet: number;
  /** Packets drawn (connection indices): those before this one, plus this one once shown. */
  visibleUpTo: number;
  /** Endpoint states in effect once the visible packets have happened ('' before the first known). */
  states: Record<LessonSide, string>;
  /** Which endpoints' state began at this stop's packet (to mark the change beside the lane). */
  changed: Record<LessonSide, boolean>;
  /** The explanation (lesson text when given, else our own description of the packet). */
  text: string;
  /** The lesson's own text was used (false: generated). */
  authored: boolean;
  question: LessonQuestion | null;
  step: LessonStep | null;
}

/** The state an endpoint is in once packet `index` has been seen (the last one that began at or before it). */
export function stateAt(list: readonly EndpointState[] | undefined, index: number): { state: string; began: number } {
  let out = { state: '', began: -1 };
  for (const s of list ?? []) if (s.packet <= index) out = { state: s.state, began: s.packet };
  return out;
}

/** Display names for the two ends. */
export function sideNames(lesson: Lesson | null): Record<LessonSide, string> {
  return { client: lesson?.names?.client ?? 'client', server: lesson?.names?.server ?? 'server' };
}

/** First and last connection packet index the lesson walks through. */
export function lessonRange(lesson: Lesson, packetCount: number): [number, number] {
  const from = Math.min(lesson.range?.from ?? 0, Math.max(0, packetCount - 1));
  const to = Math.min(lesson.range?.to ?? packetCount - 1, packetCount - 1);
  return [from, Math.max(from, to)];
}

export function buildStops(lesson: Lesson, connection: ConnectionReport, packets: readonly PacketLike[]): LessonStop[] {
  const states = connection.close?.states;
  const names = sideNames(lesson);
  const byPacket = new Map(lesson.steps.map((s) => [s.packet, s]));
  const [from, to] = lessonRange(lesson, packets.length);
  const statesAt = (i: number) => ({ client: stateAt(states?.client, i), server: stateAt(states?.server, i) });

  const stops: LessonStop[] = [];
  const before = statesAt(from - 1);
  stops.push({
    kind: 'intro', packet: -1, visibleUpTo: from - 1,
    states: { client: before.client.state, server: before.server.state },
    changed: { client: false, server: false },
    text: lesson.intro, authored: true, question: null, step: null,
  });
  for (let i = from; i <= to && i < packets.length; i++) {
    const step = byPacket.get(i) ?? null;
    const prev = statesAt(i - 1);
    const now = statesAt(i);
    if (step?.question) {
      stops.push({
        kind: 'ask', packet: i, visibleUpTo: i - 1,
        states: { client: prev.client.state, server: prev.server.state },
        changed: { client: false, server: false },
        text: step.question.prompt, authored: true, question: step.question, step,
      });
    }
    const auto = describePacket(packets[i], packets, names, {
      before: { client: prev.client.state, server: prev.server.state },
      after: { client: now.client.state, server: now.server.state },
    });
    stops.push({
      kind: 'show', packet: i, visibleUpTo: i,
      states: { client: now.client.state, server: now.server.state },
      changed: { client: now.client.began === i && i >= 0, server: now.server.began === i && i >= 0 },
      text: step?.text ?? auto, authored: step?.text !== undefined, question: null, step,
    });
  }
  const last = statesAt(to);
  stops.push({
    kind: 'end', packet: -1, visibleUpTo: to,
    states: { client: last.client.state, server: last.server.state },
    changed: { client: false, server: false },
    text: lesson.conclusion, authored: true, question: null, step: null,
  });
  return stops;
}

/** Did the answer pick a right choice? */
export function isCorrect(question: LessonQuestion, choice: number): boolean {
  return question.choices[choice]?.correct === true;
}
