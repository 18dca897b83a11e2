/** Connections per close kind; each bar toggles that kind in the table filter. */
import { useMemo } from 'react';
import { kindCountMap, type FlowOverview } from '../model/flow-window';
import { LABEL_W, kindBars } from '../render/kind-chart';
import { KIND_STYLE } from '../model/close-kinds';
import { formatCount } from '../render/format';
import { useView } from '../state/store';

const WIDTH = 320;

export function KindSummary({ flows }: { flows: FlowOverview }) {
  const counts = useMemo(() => kindCountMap(flows.kindCounts), [flows]);
  const { bars, height } = useMemo(() => kindBars(counts, WIDTH), [counts]);
  const kinds = useView((s) => s.query.kinds);
  const toggleKind = useView((s) => s.toggleKind);
  const unknown = counts.get(null) ?? 0;
  return (
    <figure className="kindchart" style={{ margin: 0 }} aria-label="Connections per close kind">
      <svg width={WIDTH} height={height} role="group" aria-label="Close kinds: click to filter">
        {bars.map((b) => {
          const on = kinds.includes(b.kind);
          const dim = kinds.length > 0 && !on;
          return (
            <g
              key={b.kind}
              className={`bar${dim ? ' dim' : ''}`}
              transform={`translate(0,${b.y})`}
              role="button"
              tabIndex={0}
              aria-pressed={on}
              aria-label={`${b.label}: ${b.count} connections (${KIND_STYLE[b.kind].meaning}). Filter`}
              data-kind={b.kind}
              onClick={() => toggleKind(b.kind)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  toggleKind(b.kind);
                }
              }}
            >
              <title>{`${b.label}: ${KIND_STYLE[b.kind].meaning}`}</title>
              <rect className="hit" x={0} y={-1} width={WIDTH} height={b.h + 2} fill="transparent" rx={3} />
              <text x={LABEL_W - 8} y={b.h / 2 + 4.5} textAnchor="end" fontSize={13} fill="var(--fg)" fontWeight={on ? 700 : 400}>{b.label}</text>
              <rect x={LABEL_W} y={0} width={b.w} height={b.h} rx={2} fill={`var(${b.colorVar})`} />
              <text x={LABEL_W + b.w + 6} y={b.h / 2 + 4.5} fontSize={13} fill="var(--fg)" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatCount(b.count)}
              </text>
            </g>
          );
        })}
      </svg>
      {unknown > 0 && <figcaption className="muted" style={{ fontSize: 12 }}>{formatCount(unknown)} without close facts</figcaption>}
    </figure>
  );
}
