/**
 * Draws one ladder's geometry as SVG, for the explorer, a shared link's page and the lessons. Every arrow is
 * focusable with a spoken description. A lesson steps through it (`steps`): packets after the current step are
 * not drawn yet, the current one is highlighted, the one a question is about is a "?", earlier context is faded.
 */
import { memo } from 'react';
import type { ArrowGeo, LadderGeometry } from '../render/ladder-geometry';
import { formatDuration } from '../render/format';
import { DROPPED, EVENT_H, eventWidth, foldText, underY } from '../render/ladder-labels';
import { PILL_H } from '../render/label-layout';
import { ARROW_TONES } from '../render/arrow-text';

/** A lesson's step through the ladder (packet indices). */
export interface LadderSteps {
  /** Packets up to this one are drawn. */
  upTo: number;
  /** Highlighted packet, -1 for none. */
  current: number;
  /** Packet whose question is open (drawn as "?"), -1 for none. */
  asking: number;
  /** Packets before this one are context (faded). */
  from: number;
}

interface Props {
  geo: LadderGeometry;
  steps?: LadderSteps;
  /** Extra class names and a test id other than "ladder" (the lessons'). */
  className?: string;
  testId?: string;
  /** Drawn this many times bigger than laid out (large type). */
  scale?: number;
  index: number;
  title: string;
  current: number | null;
  /** The arrow Tab lands on when none is current. */
  tabStop: number | null;
  onCurrent: (at: number | null, pin: boolean) => void;
  onKey: (e: React.KeyboardEvent, at: number) => void;
}


function Arrow({ a, current, faded, band, tabStop, onCurrent, onKey, marker }: {
  a: ArrowGeo;
  current: boolean;
  faded: boolean;
  /** [x0, x1] of the highlight band behind the current arrow (lessons), or null. */
  band: [number, number] | null;
  tabStop: boolean;
  onCurrent: Props['onCurrent'];
  onKey: Props['onKey'];
  marker: string;
}) {
  const cls = `arrow ${a.tone}${current ? ' current' : ''}${faded ? ' faded' : ''}`;
  const under = underY(a);
  return (
    <g
      className={cls}
      role="button"
      tabIndex={tabStop ? 0 : -1}
      aria-label={a.ariaLabel}
      data-packet={a.packet.index}
      data-at={a.at}
      data-flags={a.label.split('  ')[0]}
      data-dropped={a.dropped ? 'true' : undefined}
      data-current={current ? 'true' : undefined}
      onMouseEnter={() => onCurrent(a.at, false)}
      onFocus={() => onCurrent(a.at, true)}
      onClick={() => onCurrent(a.at, true)}
      onKeyDown={(e) => onKey(e, a.at)}
    >
      {a.pointNote && <title>{a.pointNote}</title>}
      {band && <rect className="band" x={band[0]} width={band[1] - band[0]} y={a.y - 20} height={40} rx={6} />}
      {a.anomalies.length > 0 && <line className="halo" x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} />}
      <line className="hit" x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} />
      <line className="shaft" x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} markerEnd={a.dropped || a.half ? undefined : `url(#${marker}-${a.tone})`} />
      {a.half && <Half a={a} marker={marker} />}
      {a.label && (
        <text className="lbl" x={a.labelX} y={a.labelY} textAnchor="middle" transform={`rotate(${a.angle.toFixed(2)},${a.labelX},${a.labelY + 4})`}>
          {a.labelFlags && <tspan className="f">{a.labelFlags}</tspan>}
          {a.labelFlags && a.labelRest ? '  ' : ''}
          {a.labelRest && <tspan className="d">{a.labelRest}</tspan>}
        </text>
      )}
      {a.tls && (
        <text className="tlsl" x={a.labelX} y={under.tls} textAnchor="middle" transform={`rotate(${a.angle.toFixed(2)},${a.labelX},${a.labelY + 4})`}>
          {a.tls}
        </text>
      )}
      {a.note && (
        <text className="note" x={a.labelX} y={under.note} textAnchor="middle" transform={`rotate(${a.angle.toFixed(2)},${a.labelX},${a.labelY + 4})`}>
          {a.note}
        </text>
      )}
      {a.noteShown && (
        <text className="anom" x={a.labelX} y={under.anomaly} textAnchor="middle" transform={`rotate(${a.angle.toFixed(2)},${a.labelX},${a.labelY + 4})`}>
          ⚠ {a.anomalies.join(', ').replace(/-/g, ' ')}
        </text>
      )}
      {a.dropped && (
        <>
          <text className="drop" x={a.x2} y={a.y2 + 6} textAnchor="middle" aria-hidden="true">✕</text>
          {a.dropNote !== false && (
            <text className="dropnote" x={a.packet.fromClient ? a.x2 + 10 : a.x2 - 10} y={a.y2 + 16} textAnchor={a.packet.fromClient ? 'start' : 'end'} aria-hidden="true">{DROPPED}</text>
          )}
        </>
      )}
    </g>
  );
}

/** The receiver's half of an arrow across two capture points, and its time between them along the firewall lane. */
function Half({ a, marker }: { a: ArrowGeo; marker: string }) {
  const h = a.half!;
  return (
    <g className="half" data-half="true">
      <line className="transit" x1={a.x2} y1={a.y2} x2={h.x1} y2={h.y1} />
      <circle className="atpoint" cx={a.x2} cy={a.y2} r={2.5} />
      {a.anomalies.length > 0 && <line className="halo" x1={h.x1} y1={h.y1} x2={h.x2} y2={h.y2} />}
      <line className="hit" x1={h.x1} y1={h.y1} x2={h.x2} y2={h.y2} />
      <line className="shaft" x1={h.x1} y1={h.y1} x2={h.x2} y2={h.y2} markerEnd={`url(#${marker}-${a.tone})`} />
      {h.label && (
        <text className="lbl" x={h.labelX} y={h.labelY} textAnchor="middle" transform={`rotate(${h.angle.toFixed(2)},${h.labelX},${h.labelY + 4})`}>
          {h.labelFlags && <tspan className="f">{h.labelFlags}</tspan>}
          {h.labelFlags && h.labelRest ? '  ' : ''}
          {h.labelRest && <tspan className="d">{h.labelRest}</tspan>}
        </text>
      )}
    </g>
  );
}

export const LadderSvg = memo(function LadderSvg({ geo, steps, className, testId, scale = 1, index, title, current, tabStop, onCurrent, onKey }: Props) {
  const marker = `m${index}`;
  const top = 40;
  const fw = geo.lanes.find((l) => l.role === 'firewall');
  const left = geo.lanes[0].x;
  const right = geo.lanes[geo.lanes.length - 1].x;
  // A lesson's step: what is drawn yet.
  const drawn = (packet: number) => !steps || packet <= steps.upTo;
  const arrows = steps ? geo.arrows.filter((a) => drawn(a.packet.index) && a.packet.index !== steps.asking) : geo.arrows;
  const asking = steps ? geo.arrows.find((a) => a.packet.index === steps.asking) : undefined;
  const closeDrawn = geo.closeAt === null || drawn(geo.arrows.find((a) => a.at === geo.closeAt)?.packet.index ?? -1);
  const band: [number, number] = [left - 40, right + 40];
  return (
    <svg
      className={`ladder${className ? ` ${className}` : ''}`}
      width={geo.width * scale}
      height={geo.height * scale}
      viewBox={`0 0 ${geo.width} ${geo.height}`}
      role="group"
      aria-label={`Ladder: ${title}`}
      data-testid={testId ?? 'ladder'}
      data-kind={geo.kind ?? 'unknown'}
      data-firewall-lane={geo.hasFirewallLane ? 'true' : 'false'}
    >
      <defs>
        {ARROW_TONES.map((t) => (
          <marker key={t} id={`${marker}-${t}`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill={`var(--arrow${t === 'ack' || t === 'data' ? '' : `-${t}`})`} />
          </marker>
        ))}
      </defs>
      <rect className="bg" data-pan="1" x={0} y={0} width={geo.width} height={geo.height} />
      {geo.ticks.map((t) => (
        <g key={`t${t.us}`}>
          <line className="tick" x1={left - 4} x2={right} y1={t.y} y2={t.y} />
          <text className="time" x={4} y={t.y + 4}>{t.label}</text>
        </g>
      ))}
      {geo.lanes.map((l) => (
        <g key={l.role}>
          <text className="lanelabel" x={l.x} y={14} textAnchor="middle">{l.title && <title>{l.title}</title>}{l.label}</text>
          {l.sublabel && <text className="lanesub" x={l.subX ?? l.x} y={28} textAnchor="middle">{l.sublabel}</text>}
          <line className={`lane ${l.role}`} x1={l.x} x2={l.x} y1={top - 6} y2={geo.height - 8} />
        </g>
      ))}
      {geo.hiddenBefore > 0 && (
        <text className="fold" x={(left + right) / 2} y={top + 2} textAnchor="middle">{foldText(geo.hiddenBefore, 'earlier', geo.foldNotes?.before)}</text>
      )}
      {geo.alignY !== null && closeDrawn && (
        <g aria-hidden="true">
          {/* Outside the lanes only: across them it would run through the first FIN's label. */}
          <line className="align" x1={left - 50} x2={left} y1={geo.alignY} y2={geo.alignY} />
          <line className="align" x1={right} x2={right + 40} y1={geo.alignY} y2={geo.alignY} />
        </g>
      )}
      {geo.breaks.map((b) => (
        <g key={`b${b.y}`} aria-label={`${formatDuration(b.idleUs)} idle, folded`}>
          <rect className="brk" x={left - 10} width={right - left + 20} y={b.y - 7} height={14} />
          {geo.lanes.map((l) => (
            <path key={l.role} className="brkline" d={`M${l.x - 7},${b.y - 1} l14,-5 M${l.x - 7},${b.y + 5} l14,-5`} />
          ))}
          <text className="brktext" x={(left + (fw?.x ?? right)) / 2} y={b.y + 4} textAnchor="middle">
            {formatDuration(b.idleUs)} idle
          </text>
        </g>
      ))}
      {geo.states.map((s, i) => drawn(s.packet) && (
        <g key={`s${i}`} className="state-pill" data-side={s.side}>
          <rect x={s.x0} y={s.y - PILL_H + 3} width={s.x1 - s.x0} height={PILL_H} rx={PILL_H / 2} />
          <text className="state" x={(s.x0 + s.x1) / 2} y={s.y} textAnchor="middle">{s.text}</text>
        </g>
      ))}
      {arrows.map((a) => (
        <text key={`tl${a.at}`} className="time" x={4} y={a.y + 4}>{a.timeLabel}</text>
      ))}
      {arrows.map((a) => {
        const cur = current === a.at || steps?.current === a.packet.index;
        return (
          <Arrow
            key={a.at}
            a={a}
            current={cur}
            faded={!!steps && a.packet.index < steps.from}
            band={steps && cur ? band : null}
            tabStop={(current ?? tabStop) === a.at}
            onCurrent={onCurrent}
            onKey={onKey}
            marker={marker}
          />
        );
      })}
      {asking && (
        <g className="arrow asking" data-current="true" data-packet={asking.packet.index}>
          <rect className="band" x={band[0]} width={band[1] - band[0]} y={asking.y - 20} height={40} rx={6} />
          <text className="question-mark" x={(left + right) / 2} y={asking.y + 8} textAnchor="middle">?</text>
        </g>
      )}
      {geo.events.filter((e) => drawn(e.after)).map((e, i) => {
        const w = eventWidth({ kind: e.kind, text: e.drawn ?? e.text });
        const x0 = e.x0 ?? e.x - w / 2;
        const x1 = e.x1 ?? e.x + w / 2;
        const lane = e.laneX ?? e.x;
        return (
          <g key={`e${i}`} className={`event ${e.kind}`} role="img" aria-label={`Firewall: ${e.text}. ${e.detail}`} data-event={e.kind}>
            <title>{e.detail}</title>
            {/* Moved beside the lane (ladder-labels.ts): a tick joins it to the lane. */}
            {(lane < x0 || lane > x1) && <line className="tick" x1={lane < x0 ? x0 : x1} x2={lane} y1={e.y} y2={e.y} />}
            <rect x={x0} y={e.y - EVENT_H / 2} width={x1 - x0} height={EVENT_H} rx={4} />
            <text x={e.x} y={e.y + 4} textAnchor="middle">{e.drawn ?? e.text}</text>
          </g>
        );
      })}
      {geo.alignY !== null && geo.alignLabel && (
        <text className="alignlabel" x={4} y={geo.alignY + 16}>{geo.alignLabel.split(' · ')[0]}</text>
      )}
      {geo.hiddenAfter > 0 && (
        <text className="fold" x={(left + right) / 2} y={geo.height - 12} textAnchor="middle">{foldText(geo.hiddenAfter, 'later', geo.foldNotes?.after)}</text>
      )}
    </svg>
  );
});
