/**
 * The summary left of the filters: connections per close kind (from their packets), and for connections known only
 * from a firewall log, per end as the log gives it (its Teardown's reason: model/log-ends.ts). Each bar toggles its
 * kind, or its reasons, in the table filter. While a log is read (`soFar`) the counts are of the rows read so far,
 * from the same progress report as the page's other counts.
 */
import { useMemo, type ReactNode } from 'react';
import { kindCountMap, type FlowOverview } from '../model/flow-window';
import { LABEL_W, kindBars, logEndColumns, type Bar } from '../render/kind-chart';
import { KIND_STYLE } from '../model/close-kinds';
import { groupSelected, logEndCounts, toggleGroup } from '../model/log-ends';
import { countOf, formatCount } from '../render/format';
import { useView } from '../state/store';

const WIDTH = 320;
/**
 * The log's ends are barred more tightly than the close kinds: up to 13 groups, beside the filters (at 1280x720 the
 * ladders lose what the summary takes past the filters' height: tests/e2e/explorer-layout.test.ts).
 */
const END_ROW_H = 14;
/** A log's ends in one column of up to END_ROWS bars; more take two columns of END_COLUMN_W (9 groups: 5 rows, not 9). */
const END_ROWS = 5;
const END_COLUMN_W = 210;

export function KindSummary({ flows, soFar = false }: { flows: FlowOverview; soFar?: boolean }) {
  const counts = useMemo(() => kindCountMap(flows.kindCounts), [flows]);
  const ends = useMemo(() => logEndCounts(flows.logEnds), [flows]);
  const { bars, height } = useMemo(() => kindBars(counts, WIDTH), [counts]);
  const endColumns = useMemo(() => {
    const groups = ends.filter((e) => e.count > 0).length;
    return groups > END_ROWS
      ? { width: END_COLUMN_W, columns: logEndColumns(ends, END_COLUMN_W, END_ROW_H, Math.ceil(groups / 2)) }
      : { width: WIDTH, columns: logEndColumns(ends, WIDTH, END_ROW_H, END_ROWS) };
  }, [ends]);
  const kinds = useView((s) => s.query.kinds);
  const reasonKinds = useView((s) => s.query.reasonKinds);
  const toggleKind = useView((s) => s.toggleKind);
  const setQuery = useView((s) => s.setQuery);
  const logOnly = ends.reduce((a, e) => a + e.count, 0);
  // Rows known from a log only have no close kind: they are counted by their end, not as without close facts.
  const unknown = (counts.get(null) ?? 0) - logOnly;
  return (
    <div className="summaries">
      {bars.length > 0 && (
        <figure className="kindchart" style={{ margin: 0 }} aria-label="Connections per close kind">
          <svg width={WIDTH} height={height} role="group" aria-label="Close kinds: click to filter">
            {bars.map((b) => (
              <SummaryBar
                key={b.kind} bar={b} on={kinds.includes(b.kind)} dim={kinds.length > 0 && !kinds.includes(b.kind)} testKey={b.kind} dataAttr="data-kind"
                meaning={KIND_STYLE[b.kind].meaning} onToggle={() => toggleKind(b.kind)}
              />
            ))}
          </svg>
        </figure>
      )}
      {unknown > 0 && <div className="muted" style={{ fontSize: 12 }} data-testid="no-close-facts">{formatCount(unknown)} without close facts</div>}
      {endColumns.columns[0].bars.length > 0 && (
        <figure className="kindchart" style={{ margin: 0 }} aria-label="Connections per end in the firewall log" data-testid="log-ends">
          <figcaption className="muted" data-testid="log-ends-caption" title="How the firewall log says each connection known only from it ended: its Teardown's reason, or still open without one">
            {countOf(logOnly, 'connection')}{bars.length > 0 || unknown > 0 ? ' from the log only' : ''}{soFar ? ' so far' : ''}, by Teardown reason:
          </figcaption>
          <div className="endcolumns">
            {endColumns.columns.map((column, c) => (
              <svg key={c} width={endColumns.width} height={column.height} role="group" aria-label="Ends in the firewall log: click to filter">
                {column.bars.map((b) => {
                  const on = groupSelected(b.kind, reasonKinds);
                  return (
                    <SummaryBar
                      key={b.kind.key} bar={b} on={on} dim={!!reasonKinds?.length && !on} testKey={b.kind.key} dataAttr="data-end" fontSize={12} width={endColumns.width}
                      meaning={b.kind.meaning} onToggle={() => setQuery({ reasonKinds: toggleGroup(b.kind, useView.getState().query.reasonKinds) })}
                    />
                  );
                })}
              </svg>
            ))}
          </div>
        </figure>
      )}
    </div>
  );
}

/** One bar: its label, the bar, its count; a button that toggles its filter (click, Enter, Space). */
function SummaryBar<K>({ bar: b, on, dim, meaning, testKey, dataAttr, onToggle, fontSize = 13, width = WIDTH }: {
  bar: Bar<K>; on: boolean; dim: boolean; meaning: string; testKey: string; dataAttr: 'data-kind' | 'data-end'; onToggle: () => void; fontSize?: number; width?: number;
}): ReactNode {
  const baseline = b.h / 2 + (fontSize * 9) / 26; // 4.5 px below the middle at 13 px, as the close kinds always were
  return (
    <g
      className={`bar${dim ? ' dim' : ''}`}
      transform={`translate(0,${b.y})`}
      role="button"
      tabIndex={0}
      aria-pressed={on}
      aria-label={`${b.label}: ${b.count} connections (${meaning}). Filter`}
      {...{ [dataAttr]: testKey }}
      onClick={onToggle}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onToggle();
        }
      }}
    >
      <title>{`${b.label}: ${meaning}`}</title>
      <rect className="hit" x={0} y={-1} width={width} height={b.h + 2} fill="transparent" rx={3} />
      <text x={LABEL_W - 8} y={baseline} textAnchor="end" fontSize={fontSize} fill="var(--fg)" fontWeight={on ? 700 : 400}>{b.label}</text>
      <rect x={LABEL_W} y={0} width={b.w} height={b.h} rx={2} fill={`var(${b.colorVar})`} />
      <text x={LABEL_W + b.w + 6} y={baseline} fontSize={fontSize} fill="var(--fg)" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(b.count)}
      </text>
    </g>
  );
}
