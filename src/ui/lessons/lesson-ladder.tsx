/**
 * The lesson's ladder: one evenly spaced row per packet (a lesson is about order, not timing),
 * packets after the current step not drawn yet, the current one highlighted, each endpoint's state
 * written beside its lane where it changes (as in the RFC 9293 figures), and the firewall's log
 * lines on a middle lane. All text is rendered as text.
 */
import { useEffect, useRef } from 'react';
import type { EndpointState } from '../../model/report';
import type { LadderData, LadderPacket } from '../../render/ladder-types';
import { droppedPackets, firewallMarks } from '../../render/ladder-events';
import { formatOffset } from '../../render/format';
import { ACK, flagNames } from '../../model/segment';
import { arrowTone, stateName } from '../../render/arrow-text';
import type { LessonSide } from '../../lessons/index';
import { closeStartOf } from '../../model/close-window';

export interface LessonLadderProps {
  data: LadderData;
  names: Record<LessonSide, string>;
  /** Connection packet indices drawn: 0..visibleUpTo. */
  visibleUpTo: number;
  /** Highlighted packet, -1 for none. */
  current: number;
  /** Packet whose question is open (drawn as "?"), -1 for none. */
  asking: number;
  /** Packets before this are context (faded). */
  from: number;
  /** Lesson labels by packet index. */
  labels: Map<number, string>;
  states: Record<LessonSide, string>;
  changed: Record<LessonSide, boolean>;
  firewallName?: string;
  large: boolean;
  /** Narrower drawing (shorter state notes) for two ladders side by side. */
  compact?: boolean;
  /** Blank px above the first row, to line this ladder's first FIN up with another's. */
  padTop?: number;
  title: string;
}

interface LayoutOptions { large: boolean; compact?: boolean; hasFw: boolean }

/** Sizes and rows of a lesson ladder; shared by the drawing and by alignment of two ladders. */
export function lessonLayout(data: LadderData, o: LayoutOptions, padTop = 0) {
  const { large, compact } = o;
  const fs = large ? 19 : 15;
  const rowH = large ? 52 : 40;
  const W = compact ? (large ? 640 : 540) : large ? 860 : 820;
  const cx = compact ? (large ? 200 : 160) : large ? 290 : 250;
  const sx = W - (compact ? (large ? 130 : 105) : large ? 230 : 210);
  const head = large ? 104 : 86;
  const marks = o.hasFw ? firewallMarks(data.connection, data.packets) : [];
  // Packets that never crossed the firewall (seen at one capture point only, or denied): their arrows stop at it.
  const drops = new Map(droppedPackets(data.connection, data.packets, marks).map((d) => [data.packets[d.at].index, d.note]));
  const rows: Row[] = [];
  data.packets.forEach((p, at) => {
    rows.push({ kind: 'packet', at, p });
    for (const m of marks) if (m.after === at) rows.push({ kind: 'mark', text: m.text, detail: m.detail, after: p.index, mark: m.kind });
  });
  const early = marks.filter((m) => m.after < 0);
  for (const m of early.reverse()) rows.unshift({ kind: 'mark', text: m.text, detail: m.detail, after: -1, mark: m.kind });
  let y = head + 12 + padTop;
  const ys = rows.map((r) => {
    const at = y;
    y += r.kind === 'packet' ? rowH : rowH * 0.8;
    return at;
  });
  return { fs, rowH, W, cx, sx, mx: (cx + sx) / 2, head, rows, ys, H: y + 16, drops };
}

/** y of the first FIN or RST row (before any padding), or null. */
export function firstCloseY(data: LadderData, o: LayoutOptions): number | null {
  const l = lessonLayout(data, o);
  const start = closeStartOf(data.packets);
  const k = l.rows.findIndex((r) => r.kind === 'packet' && r.at === start);
  return start < 0 || k < 0 ? null : l.ys[k];
}

/** The explorer's colour rule (render/arrow-text.ts); data and bare ACKs are drawn plain here. */
function tone(p: LadderPacket): string {
  const t = arrowTone(p.flags, p.payloadLength);
  return t === 'data' || t === 'ack' ? 'plain' : t;
}

function detail(p: LadderPacket): string {
  const parts = [`seq ${p.relSeq}`];
  if (p.flags & ACK) parts.push(`ack ${p.relAck}`);
  if (p.payloadLength) parts.push(`len ${p.payloadLength}`);
  return parts.join(' ');
}

function began(list: EndpointState[] | undefined, index: number): string | null {
  const s = list?.filter((x) => x.packet === index);
  return s && s.length ? s.map((x) => x.state).join(' → ') : null;
}

/** "ESTABLISHED → CLOSE-WAIT"; compact: only the state entered (the one before is on the row above). */
function stateNote(s: string, compact = false): string {
  const t = stateName(s);
  return compact ? t.split(' → ').pop()! : t;
}

type Row = { kind: 'packet'; at: number; p: LadderPacket } | { kind: 'mark'; text: string; detail: string; after: number; mark: string };

export function LessonLadder(props: LessonLadderProps) {
  const { data, names, visibleUpTo, current, asking, from, labels, states, changed, large } = props;
  const ref = useRef<SVGSVGElement>(null);
  const hasFw = !!data.connection.firewall || !!props.firewallName || (data.connection.vantage?.points.length ?? 0) >= 2;
  const { fs, rowH, W, cx, sx, mx, head, rows, ys, H, drops } = lessonLayout(data, { large, compact: props.compact, hasFw }, props.padTop ?? 0);
  const t0 = data.packets[0]?.timeUs ?? 0;
  const cstates = data.connection.close?.states;
  const lane = (side: LessonSide) => (side === 'client' ? cx : sx);
  const ep = (e: { ip: string; port: number }) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

  useEffect(() => {
    const el = ref.current?.querySelector('[data-current="true"]');
    if (el && 'scrollIntoView' in el) (el as Element).scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [current, asking]);

  return (
    <svg ref={ref} className={`lesson-ladder${large ? ' large' : ''}`} viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={props.title} style={{ fontSize: fs }}>
      {(['client', 'server'] as const).map((side) => (
        <g key={side} className="lane-head">
          <text x={lane(side)} y={fs + 4} textAnchor="middle" className="lane-name">{names[side]}</text>
          <text x={lane(side)} y={fs * 2 + 6} textAnchor="middle" className="lane-addr">{ep(data.connection[side])}</text>
          <g className={`state-pill${changed[side] ? ' changed' : ''}`} data-testid={`state-${side}`}>
            <rect x={lane(side) - fs * 5.2} y={fs * 2 + 14} width={fs * 10.4} height={fs * 1.7} rx={fs * 0.85} />
            <text x={lane(side)} y={fs * 3.35 + 14} textAnchor="middle">{states[side] ? stateName(states[side]) : '—'}</text>
          </g>
        </g>
      ))}
      {hasFw && (
        <text x={mx} y={fs + 4} textAnchor="middle" className="lane-name fw">{props.firewallName ?? (data.connection.firewall?.device || 'firewall')}</text>
      )}
      <line x1={cx} x2={cx} y1={head} y2={H - 8} className="lane" />
      <line x1={sx} x2={sx} y1={head} y2={H - 8} className="lane" />
      {hasFw && <line x1={mx} x2={mx} y1={head} y2={H - 8} className="lane fw" />}
      {rows.map((r, i) => {
        const y0 = ys[i];
        if (r.kind === 'mark') {
          if (r.after > visibleUpTo) return null;
          return (
            <g key={`m${i}`} className={`fw-mark ${r.mark}`}>
              <title>{r.detail}</title>
              <rect x={mx - (sx - cx) / 2 + 16} y={y0 + 2} width={sx - cx - 32} height={rowH * 0.8 - 6} rx={4} />
              <text x={mx} y={y0 + rowH * 0.4 + fs * 0.35} textAnchor="middle" className="fw-text">{r.text}</text>
            </g>
          );
        }
        const p = r.p;
        const idx = p.index;
        if (idx === asking) {
          return (
            <g key={`p${i}`} className="arrow asking" data-current="true">
              <rect x={cx - 40} y={y0 - 4} width={sx - cx + 80} height={rowH} className="band" />
              <text x={mx} y={y0 + rowH / 2 + fs * 0.35} textAnchor="middle" className="question-mark">?</text>
            </g>
          );
        }
        if (idx > visibleUpTo) return null;
        const fromX = p.fromClient ? cx : sx;
        const dropped = drops.get(idx) ?? null;
        const toX = dropped ? mx : p.fromClient ? sx : cx;
        const y1 = y0 + 6;
        const y2 = dropped ? (y0 + 6 + y0 + rowH - 12) / 2 : y0 + rowH - 12;
        const isCur = idx === current;
        const faded = idx < from;
        const dir = p.fromClient ? 1 : -1;
        const label = labels.get(idx);
        const flags = flagNames(p.flags).replace(/\bPSH /, '');
        const angle = (Math.atan2(y2 - y1, toX - fromX) * 180) / Math.PI;
        const angleText = dir > 0 ? angle : angle + 180;
        const sClient = began(cstates?.client, idx);
        const sServer = began(cstates?.server, idx);
        return (
          <g key={`p${i}`} className={`arrow ${tone(p)}${isCur ? ' current' : ''}${faded ? ' faded' : ''}`} data-packet={idx} data-current={isCur ? 'true' : undefined}>
            {isCur && <rect x={cx - 40} y={y0 - 4} width={sx - cx + 80} height={rowH} className="band" />}
            <text x={8} y={(y1 + y2) / 2 + fs * 0.35} className="time">{formatOffset(p.timeUs - t0)}</text>
            {dropped && <title>{dropped}</title>}
            <line x1={fromX} y1={y1} x2={toX - dir * 6} y2={y2} />
            {dropped ? (
              <text x={toX} y={y2 + fs * 0.35} textAnchor="middle" className="drop-x" data-dropped="true">✕</text>
            ) : (
              <path d={`M ${toX} ${y2} l ${-dir * 11} -7 l 0 ${9 + 5} z`} transform={`rotate(${angle - (dir > 0 ? 0 : 180)} ${toX} ${y2})`} className="head" />
            )}
            {dropped && <text x={toX} y={y2 + fs * 1.5} textAnchor="middle" className="drop-note">dropped</text>}
            <text x={(fromX + toX) / 2} y={(y1 + y2) / 2 - 5} textAnchor="middle" transform={`rotate(${angleText} ${(fromX + toX) / 2} ${(y1 + y2) / 2})`} className="flags">
              <tspan className="f">{flags}</tspan>
              <tspan className="d" dx={6}>{detail(p)}</tspan>
              {label && <tspan className="step-label" dx={8}>{label}</tspan>}
            </text>
            {sClient && <text x={cx - 12} y={y2 + 2} textAnchor="end" className="state-at">{stateNote(sClient, props.compact)}</text>}
            {sServer && <text x={sx + 12} y={y2 + 2} textAnchor="start" className="state-at">{stateNote(sServer, props.compact)}</text>}
          </g>
        );
      })}
    </svg>
  );
}
