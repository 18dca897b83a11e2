/**
 * The connections, one row each, virtualised (only the rows in view exist in the DOM) with grid
 * semantics for screen readers: aria-rowcount/aria-rowindex say where a row sits in the whole table.
 */
import { useEffect, useRef, useState } from 'react';
import { TABLE_ROW, useLarge } from './large-type';
import { useShownRows } from './flow-rows';
import type { FlowColumn } from '../model/flow-table';
import type { FlowOverview } from '../engine/api';
import { MARK_DENIED, MARK_DROPPED, MARK_SYSLOG_ONLY, endpointText } from '../model/flow-table';
import { kindFromCode } from '../model/close-kinds';
import { PROTO_TCP, protoName } from '../model/firewall-store';
import { formatBytes, formatClock, formatCount, formatDateTime, formatDuration } from '../render/format';
import { useView } from '../state/store';
import { KindBadge } from './kind-badge';

const COLUMNS: { key: FlowColumn; label: string; num?: boolean }[] = [
  { key: 'client', label: 'Client' },
  { key: 'server', label: 'Server' },
  { key: 'start', label: 'Start (UTC)' },
  { key: 'duration', label: 'Duration', num: true },
  { key: 'packets', label: 'Packets', num: true },
  { key: 'bytes', label: 'Data', num: true },
  { key: 'kind', label: 'Close' },
  { key: 'initiator', label: 'Closed by' },
  { key: 'anomalies', label: 'Anomalies', num: true },
  { key: 'reason', label: 'Firewall' },
  { key: 'stream', label: 'Stream', num: true },
];

const INITIATOR = ['—', 'client', 'server'];
const NO_PACKETS = 'Known from the firewall log only: no packets of it in a capture';

interface Props {
  flows: FlowOverview;
  /** The latest query answer (shown once the rows it puts in view have come from the worker: flow-rows.ts). */
  rows: Uint32Array | null;
  openRows: Set<number>;
  onOpen: (row: number, add: boolean) => void;
  /** The rows of a log still being read (ui/live-table.ts): the query on the rows read so far. */
  loading?: boolean;
  /** Loaded.rowsKey: tables with the same key number their rows alike (flow-rows.ts). */
  rowsKey?: number;
}

export function FlowTable({ flows, rows: latest, openRows, onOpen, loading = false, rowsKey }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const ROW_H = useLarge() ? TABLE_ROW.large : TABLE_ROW.normal;
  const query = useView((s) => s.query);
  const setQuery = useView((s) => s.setQuery);
  const activeRow = useView((s) => s.activeRow);
  const setActiveRow = useView((s) => s.setActiveRow);
  const body = useRef<HTMLDivElement>(null);
  const { rows, data, view, fetching } = useShownRows(flows, latest, scroller, body, ROW_H, rowsKey);
  const n = rows?.length ?? 0;
  // Read through a ref: scrollToIndex changes with the row count, which grows about once a second while a log loads,
  // and the selected row must not pull the view back each time (only when the selection or its position changes).
  const scrollToIndex = useRef(view.scrollToIndex);
  scrollToIndex.current = view.scrollToIndex;

  const position = activeRow === null || !rows ? -1 : rows.indexOf(activeRow);
  useEffect(() => {
    if (position >= 0) scrollToIndex.current(position);
  }, [position]);

  const move = (to: number) => {
    if (!rows || !n) return;
    const k = Math.max(0, Math.min(n - 1, to));
    setActiveRow(rows[k]);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_H) - 1);
    const at = position < 0 ? -1 : position;
    switch (e.key) {
      case 'ArrowDown': case 'j': move(at + 1); break;
      case 'ArrowUp': case 'k': move(at < 0 ? 0 : at - 1); break;
      case 'PageDown': move(at + page); break;
      case 'PageUp': move(at - page); break;
      case 'Home': move(0); break;
      case 'End': move(n - 1); break;
      case 'Enter':
        if (activeRow !== null) onOpen(activeRow, e.shiftKey);
        break;
      case 'a':
        if (activeRow !== null) onOpen(activeRow, true);
        break;
      default: return;
    }
    e.preventDefault();
  };

  // The sort headers are one Tab stop (the sorted column's, else the first): ←/→ Home/End move between them,
  // Enter or Space sorts (a button's own keys); the rows' keys stay on the grid.
  const [headFocus, setHeadTab] = useState<FlowColumn | null>(null);
  const headTab = headFocus ?? query.sort ?? COLUMNS[0].key;
  const onHeadKey = (e: React.KeyboardEvent<HTMLButtonElement>) => {
    const k = COLUMNS.findIndex((c) => c.key === headTab);
    const to = e.key === 'ArrowRight' ? k + 1 : e.key === 'ArrowLeft' ? k - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? COLUMNS.length - 1 : null;
    if (e.key === 'Enter' || e.key === ' ') {
      e.stopPropagation();
      return;
    }
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    const next = COLUMNS[Math.max(0, Math.min(COLUMNS.length - 1, to))].key;
    setHeadTab(next);
    e.currentTarget.parentElement?.parentElement?.querySelector<HTMLButtonElement>(`button[data-sort="${next}"]`)?.focus();
  };

  const sortBy = (key: FlowColumn) =>
    setQuery(query.sort === key ? { desc: !query.desc } : { sort: key, desc: key === 'packets' || key === 'bytes' || key === 'duration' || key === 'anomalies' });

  return (
    <div
      ref={scroller}
      className="grid"
      role="grid"
      aria-label="Connections"
      aria-rowcount={n + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={position >= 0 ? `flow-${activeRow}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      // Focus brought by the keyboard selects the first row (a place for the arrow keys to start). Not focus from a
      // click: a click on a row selects that row in the same gesture, and selecting the first one on the way costs a
      // render of the whole explorer and a round trip to the worker for nothing (a main-thread task while a log loads).
      onFocus={(e) => { if (activeRow === null && rows && n && e.target.matches(':focus-visible')) setActiveRow(rows[0]); }}
      data-testid="flow-table"
      // 'fetching' while rows in view or ahead of it are on the way from the worker (row-cache.ts), else 'ready'.
      data-rows={fetching ? 'fetching' : 'ready'}
      data-loading={loading ? 'true' : undefined}
    >
      <div className="hrow" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <div
            key={c.key}
            role="columnheader"
            aria-sort={query.sort === c.key ? (query.desc ? 'descending' : 'ascending') : 'none'}
          >
            <button
              tabIndex={c.key === headTab ? 0 : -1}
              onClick={() => sortBy(c.key)}
              onKeyDown={onHeadKey}
              onFocus={() => setHeadTab(c.key)}
              data-sort={c.key}
              className={c.num ? 'num' : ''}
              title={`Sort by ${c.label.toLowerCase()}${loading ? ' (the connections read so far, kept sorted as more come)' : ''}`}
            >
              {c.label}{query.sort === c.key ? (query.desc ? ' ▼' : ' ▲') : ''}
            </button>
          </div>
        ))}
      </div>
      <div ref={body} role="rowgroup" style={{ height: view.height, position: 'relative' }}>
        {rows && n === 0 && <div className="empty">{flows.count === 0 ? 'No TCP connections in the loaded files.' : 'No connection matches the filters.'}</div>}
        {rows &&
          view.rows.map((v) => {
            const r = rows[v.index];
            const at = data(r);
            if (!at) return <div key={`pending-${v.index}`} role="row" aria-rowindex={v.index + 2} className="frow pending" style={{ transform: `translateY(${v.top}px)` }} />;
            const { c, k } = at;
            const kind = kindFromCode(c.kind[k]);
            const client = endpointText(c, k, 'client');
            const server = endpointText(c, k, 'server');
            const marks = c.marks[k];
            const reason = c.strings[c.reason[k]];
            const proto = c.proto[k] === PROTO_TCP ? '' : protoName(c.proto[k]).toUpperCase();
            const fwNote = [proto, reason, marks & MARK_DENIED ? 'deny' : '', marks & MARK_DROPPED ? 'dropped' : '', marks & MARK_SYSLOG_ONLY ? 'log only' : '']
              .filter(Boolean).join(' · ');
            const active = r === activeRow;
            const logOnly = (marks & MARK_SYSLOG_ONLY) !== 0;
            return (
              <div
                key={r}
                id={`flow-${r}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={active}
                className={`frow${active ? ' active' : ''}${openRows.has(r) ? ' open' : ''}${loading ? ' loading' : ''}`}
                style={{ transform: `translateY(${v.top}px)` }}
                data-close-kind={kind ?? 'unknown'}
                data-client={client}
                data-server={server}
                data-row={r}
                // Shift+click adds a ladder: without this the browser also selects the text between the two clicks.
                onMouseDown={(e) => e.shiftKey && e.preventDefault()}
                onClick={(e) => {
                  setActiveRow(r);
                  onOpen(r, e.shiftKey || e.metaKey || e.ctrlKey);
                }}
              >
                <div role="gridcell" className="c0" title={client}>{client}</div>
                <div role="gridcell" title={server}>{server}</div>
                <div role="gridcell" title={formatDateTime(c.startUs[k])}>{formatClock(c.startUs[k], 3)}</div>
                <div role="gridcell" className="num">{formatDuration(c.durationUs[k])}</div>
                {/* A connection known from the firewall log only has no packets to count: "—", not a count of 0. */}
                <div role="gridcell" className="num" title={logOnly ? NO_PACKETS : undefined}>{logOnly ? '—' : formatCount(c.packets[k])}</div>
                <div role="gridcell" className="num" title={logOnly ? NO_PACKETS : undefined}>{logOnly ? '—' : formatBytes(c.bytes[k])}</div>
                <div role="gridcell"><KindBadge kind={kind} /></div>
                <div role="gridcell">{INITIATOR[c.initiator[k]]}</div>
                <div role="gridcell" className="num">{c.anomalies[k] ? formatCount(c.anomalies[k]) : ''}</div>
                <div role="gridcell" title={fwNote}>{fwNote}</div>
                <div role="gridcell" className="num" title={c.tcpStream[k] >= 0 ? `tshark's tcp.stream ${c.tcpStream[k]}` : ''}>{c.tcpStream[k] >= 0 ? c.tcpStream[k] : ''}</div>
              </div>
            );
          })}
      </div>
    </div>
  );
}
