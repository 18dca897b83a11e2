/**
 * A lesson's ladder is the explorer's ladder (render/ladder-geometry.ts laid out, ui/ladder-svg.tsx drawing it: the
 * same arrows, colours, state pills and firewall events), laid out one row per packet (a lesson is about order, not
 * timing) with the lesson's lane names and its words under the packets it labels, and stepped through
 * (LadderSteps). Above the lanes, each endpoint's state at the current step, in a pill that lights up when it changes.
 */
import { useEffect, useRef } from 'react';
import { layoutLadders, TIME_COL_EXTRA, type LadderGeometry, type LadderOwn } from '../../render/ladder-geometry';
import type { LabelToggles, LadderData } from '../../render/ladder-types';
import { stateName } from '../../render/arrow-text';
import { pillWidth, PILL_H } from '../../render/label-layout';
import type { LessonSide } from '../../lessons/index';
import { LadderSvg, type LadderSteps } from '../ladder-svg';

/**
 * Lessons are read from further away than the explorer: drawn this much bigger (large type: projectors); less so
 * with "your connection" beside, where each ladder has half the room.
 */
export const LESSON_SCALE = { alone: { normal: 1.3, large: 1.75 }, beside: { normal: 1, large: 1.4 } } as const;
const LABELS: LabelToggles = { flags: true, seq: true, length: true, window: false, delta: false };
/** The lane states' strip above the ladder, in layout px. */
const HEAD = 24;

/**
 * The lesson's ladder and, beside it, "your connection" (if any), on one axis so their first FINs share a line;
 * `boxWidth` is the px width of the box each is drawn in.
 */
export function lessonGeometry(datas: LadderData[], own: LadderOwn[], boxWidth: number, scale: number): LadderGeometry[] {
  const width = Math.floor(boxWidth / scale) - TIME_COL_EXTRA;
  return layoutLadders(datas, { width, timeMode: 'even', focus: 'whole', labels: LABELS, zoom: 1, own });
}

export interface LessonLadderProps {
  geo: LadderGeometry;
  steps: LadderSteps;
  /** The states above the lanes (a lesson's own, step by step). */
  states: Record<LessonSide, string>;
  changed: Record<LessonSide, boolean>;
  scale: number;
  /** 0 for the lesson's ladder, 1 for "your connection" (arrow-head markers need ids of their own). */
  index: number;
  title: string;
}

const none = () => {};

export function LessonLadder({ geo, steps, states, changed, scale, index, title }: LessonLadderProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current?.querySelector('[data-current="true"]');
    if (el && 'scrollIntoView' in el) (el as Element).scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [steps.current, steps.asking]);
  const lanes = geo.lanes.filter((l) => l.role !== 'firewall');
  return (
    <div ref={ref} className="lesson-ladder-wrap">
      <svg className="lesson-states" width={geo.width * scale} height={HEAD * scale} viewBox={`0 0 ${geo.width} ${HEAD}`} aria-label="Endpoint states">
        {lanes.map((l) => {
          const side = l.role as LessonSide;
          const text = states[side] ? stateName(states[side]) : '—';
          const w = Math.max(pillWidth(text) + 8, 70);
          const x0 = Math.min(Math.max(l.x - w / 2, 1), geo.width - w - 1);
          return (
            <g key={side} className={`state-pill${changed[side] ? ' changed' : ''}`} data-testid={`state-${side}`}>
              <rect x={x0} y={(HEAD - PILL_H - 4) / 2} width={w} height={PILL_H + 4} rx={(PILL_H + 4) / 2} />
              <text x={x0 + w / 2} y={HEAD / 2 + 4} textAnchor="middle">{text}</text>
            </g>
          );
        })}
      </svg>
      <LadderSvg
        geo={geo}
        steps={steps}
        className="lesson-ladder"
        testId="lesson-ladder"
        scale={scale}
        index={10 + index}
        title={title}
        current={null}
        tabStop={null}
        onCurrent={none}
        onKey={none}
      />
    </div>
  );
}
