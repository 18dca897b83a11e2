/**
 * The deny timeline: 106015 denies per bucket stacked by class, builds and teardowns as faint lines, the spike's
 * start marked. Drag to brush a time range (filters the table and the other charts); a click selects the bucket
 * under the pointer and opens the ladder of one of its denied connections (TriageTimeline.rows); a click in the
 * selection or Esc with the chart focused clears it. Geometry: render/triage-chart.ts;
 * the brush is d3-brush on one <g>, every other element is React's.
 */
import { useEffect, useMemo, useRef } from 'react';
import { brushX, type BrushBehavior, type D3BrushEvent } from 'd3-brush';
import { select } from 'd3-selection';
import type { TriageView } from '../../engine/api';
import { DENY_CLASSES } from '../../model/firewall-triage';
import { DENY_CLASS_COLOR, timelineGeometry } from '../../render/triage-chart';
import { formatCount, formatDateTime } from '../../render/format';
import { idsText } from './triage-filter';

interface Props {
  view: TriageView;
  width: number;
  height: number;
  fromUs: number | null;
  toUs: number | null;
  onRange: (fromUs: number | null, toUs: number | null) => void;
  /** Opens the ladder of a flow-table row (a click on a bucket). */
  onLadder?: (row: number) => void;
}

/** Height of the band above the bars that holds the spike's label (11 px text). */
const SPIKE_BAND = 14;
/** The least timeline height that keeps the band and still gives the bars room (the compact panel's is less). */
const LABELLED_HEIGHT = 90;

export function DenyTimeline({ view, width, height, fromUs, toUs, onRange, onLadder }: Props) {
  const t = view.timeline!;
  // The spike's label sits in a band above the bars (SPIKE_BAND), not over them; a compact timeline has no room for
  // the band and shows the marker alone (the panel's heading says when the spike rose, and the marker's title too).
  const labelled = !!view.spike && height >= LABELLED_HEIGHT;
  const band = labelled ? SPIKE_BAND : 0;
  const g = useMemo(() => timelineGeometry(t, width, height, band), [t, width, height, band]);
  const brushRef = useRef<SVGGElement>(null);
  const brush = useRef<BrushBehavior<unknown> | null>(null);
  const onRangeRef = useRef(onRange);
  onRangeRef.current = onRange;
  const onLadderRef = useRef(onLadder);
  onLadderRef.current = onLadder;

  useEffect(() => {
    const node = brushRef.current;
    if (!node) return;
    const b = brushX<unknown>()
      .extent([[g.left, g.top], [g.right, g.bottom]])
      .on('end', (e: D3BrushEvent<unknown>) => {
        if (!e.sourceEvent) return; // moved by us, not by the user
        const sel = e.selection as [number, number] | null;
        if (sel && sel[1] - sel[0] >= 2) {
          onRangeRef.current(Math.floor(g.time(sel[0])), Math.ceil(g.time(sel[1])));
          return;
        }
        // A click: the bucket under the pointer (d3-brush clears the selection on a click outside it).
        const se = e.sourceEvent as MouseEvent;
        const box = node.ownerSVGElement!.getBoundingClientRect();
        const px = (se.clientX - box.left) * (width / box.width);
        if (sel === null && px >= g.left && px <= g.right) {
          const k = g.bucketAt(px);
          onRangeRef.current(t.startUs + k * t.bucketUs, t.startUs + (k + 1) * t.bucketUs - 1);
          if (t.rows[k] >= 0) onLadderRef.current?.(t.rows[k]);
        } else onRangeRef.current(null, null);
      });
    brush.current = b;
    select(node).call(b);
    return () => {
      select(node).on('.brush', null);
    };
  }, [g, t, width]);

  // Keep the drawn selection in step with the filter (cleared elsewhere, set by a button).
  useEffect(() => {
    const node = brushRef.current;
    if (!node || !brush.current) return;
    const sel: [number, number] | null = fromUs === null && toUs === null ? null
      : [Math.max(g.left, g.x(fromUs ?? -Infinity)), Math.min(g.right, g.x(toUs ?? Infinity))];
    select(node).call(brush.current.move, sel && sel[1] - sel[0] >= 1 ? sel : null);
  }, [g, fromUs, toUs]);

  const spikeX = view.spike ? g.x(view.spike.startUs) : null;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${idsText(view)} denies over time, ${formatCount(view.total)} in all, buckets of ${bucketText(t.bucketUs)}. Drag to select a time range.`}
      data-testid="deny-timeline"
      data-bucket-us={t.bucketUs}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onRange(null, null);
      }}
      tabIndex={0}
    >
      <g className="axis">
        <line x1={g.left} x2={g.right} y1={g.bottom + 0.5} y2={g.bottom + 0.5} />
        {g.ticks.map((k, i) => (
          <g key={i} transform={`translate(${k.x},${g.bottom})`}>
            <line y2={4} />
            <text y={15} textAnchor="middle">{k.label}</text>
          </g>
        ))}
        <text x={g.left - 6} y={g.top + 8} textAnchor="end">{formatCount(g.max)}</text>
        <text x={g.left - 6} y={g.bottom} textAnchor="end">0</text>
        {height >= 90 && (
          <>
            <text x={4} y={g.top + 22} style={{ fontSize: 10 }}>per</text>
            <text x={4} y={g.top + 34} style={{ fontSize: 10 }}>{bucketText(t.bucketUs)}</text>
          </>
        )}
      </g>
      <path className="ctx builds" d={g.builds} />
      <path className="ctx teardowns" d={g.teardowns} />
      {g.bars.map((b) => (
        <rect key={`${b.bucket}-${b.cls}`} x={b.x} y={b.y} width={b.w} height={b.h} fill={`var(${DENY_CLASS_COLOR[DENY_CLASSES[b.cls].name]})`} />
      ))}
      {spikeX !== null && view.spike && (
        <g className="spike" data-testid="spike-start" data-x={spikeX} data-time-us={view.spike.startUs}>
          <title>{`The spike rose from ${formatDateTime(view.spike.startUs).slice(0, 16)}`}</title>
          <line x1={spikeX} x2={spikeX} y1={g.top - band} y2={g.bottom} />
          {labelled && (
            <text x={spikeX + (spikeX > g.right - 150 ? -4 : 4)} y={g.top - 4} textAnchor={spikeX > g.right - 150 ? 'end' : 'start'}>
              ▲ from {formatDateTime(view.spike.startUs).slice(0, 16)}
            </text>
          )}
        </g>
      )}
      <g ref={brushRef} className="brush" data-testid="deny-brush" />
    </svg>
  );
}

export function bucketText(us: number): string {
  const s = us / 1e6;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} min`;
  if (s < 86400) return `${s / 3600} h`;
  return `${s / 86400} d`;
}
