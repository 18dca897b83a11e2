/** After a load: sources, the close-kind summary and filters, the flow table, the ladders. */
import { formatInfo, isFirewallLog } from '../model/formats';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { cleanCloseFor, fetchFlowRows, queryFlows } from '../worker/client';
import { useView } from '../state/store';
import { endpointText } from '../model/flow-table';
import { countOf, formatBytes, formatCount } from '../render/format';
import type { Loaded } from './loaded';
import type { FlowOverview, FlowQuery, LoadOptions } from '../engine/api';
import type { Example } from './examples';
import { KindSummary } from './kind-summary';
import { Filters } from './filters';
import { ZoneFix } from './zone-fix';
import { FlowTable } from './flow-table';
import { LadderPanel } from './ladder-panel';
import { formatName } from './source-list';
import { TABLE_ROW, useLarge } from './large-type';
import { ViewBoundary } from './view-boundary';
import { TriagePanel, TriageToggle } from './triage/triage-panel';
import { SourceProblems, WarningsButton } from './source-problems';
import { askOneAtATime, type ReportGate } from './live-table';

/**
 * `finishing`: the log of a load showing its rows is read whole, and the worker is building the loaded table (in one
 * go: a query asked meanwhile is answered once it is built).
 */
export function Explorer({ loaded, examples, finishing = false, reports }: { loaded: Loaded; examples: Example[]; finishing?: boolean; reports?: ReportGate }) {
  const { result } = loaded;
  const flows = result.flows;
  const query = useView((s) => s.query);
  const ladders = useView((s) => s.ladders);
  // The store is reset for a new load at once, while the new result renders in a transition: for a moment the row
  // may belong to the other analysis, past the end of these flows.
  const storedRow = useView((s) => s.activeRow);
  const activeRow = storedRow !== null && storedRow < flows.count ? storedRow : null;
  const tableHidden = useView((s) => s.tableHidden);
  const large = useLarge();
  // The query's rows, whether they were answered while the log was being read (their count is then not the loaded
  // table's: until the loaded answer comes, the count shows as pending), and the query they answer.
  // `upTo`: a live answer is of the rows below it, the rows of the progress report the page shows (app.tsx).
  const [answer, setAnswer] = useState<{ rows: Uint32Array; live: boolean; query: FlowQuery; upTo: number } | null>(null);
  const rows = answer?.rows ?? null;
  // Tables with the same rowsKey number their rows alike (a log's rows as they come, then loaded): the text stays.
  const rowsKey = loaded.rowsKey ?? flows;
  const selected = useSelectedEndpoints(flows, activeRow, rowsKey);
  // The selection stays when a filter hides its row (clear the filter and it is there again), and the line says so.
  const selectedHidden = useMemo(() => activeRow !== null && rows !== null && rows.indexOf(activeRow) < 0, [rows, activeRow]);
  const table = tableHeights(rows?.length ?? 3, large);

  const loading = !!loaded.live;
  // While a log is read, the query on its rows so far, asked again as rows come (ui/live-table.ts): one question out
  // at a time, and its answer shown while the query and the load are still the ones asked about (an answer to fewer
  // rows beats none). It is asked about the rows the page shows the count of (flows.count, this progress report's),
  // though the worker has read more since: the table's count is then the page's other counts' (issue #11).
  const ask = useRef(askOneAtATime<Uint32Array>());
  const now = useRef({ query, result, loading, answer });
  now.current = { query, result, loading, answer };
  // A progress report with more rows is shown with the answer on them (ReportGate): the query asked up to its rows,
  // and the two put on the page together.
  useEffect(() => {
    if (!loading || !reports) return;
    return reports.listen((upTo, show) => {
      const asked = now.current;
      ask.current(() => queryFlows(asked.query, upTo), (r) => {
        const at = now.current;
        if (!at.loading || at.query !== asked.query || at.result.elapsedMs !== asked.result.elapsedMs) return;
        startTransition(() => {
          if (show()) setAnswer({ rows: r, live: true, query: asked.query, upTo });
        });
      });
    });
  }, [loading, reports]);
  useEffect(() => {
    if (loading) {
      // Already answered with the report it came with (above).
      const had = now.current.answer;
      if (had?.live && had.query === query && had.upTo === flows.count) return;
      const asked = { query, result, upTo: flows.count };
      const use = (r: Uint32Array) => {
        const at = now.current;
        if (at.loading && at.query === asked.query && at.result.elapsedMs === asked.result.elapsedMs) startTransition(() => setAnswer({ rows: r, live: true, query: asked.query, upTo: asked.upTo }));
      };
      ask.current(() => queryFlows(query, asked.upTo), use);
      return;
    }
    let live = true;
    queryFlows(query).then((r) => live && startTransition(() => setAnswer({ rows: r, live: false, query, upTo: flows.count })));
    return () => {
      live = false;
    };
  }, [query, result, loading, flows.count]);

  // The count of the answer shown; pending (null) while a live answer stands for the loaded table, while a live one is
  // of fewer rows than the page's count (the next report's answer is on its way), or while the loaded table is built
  // (finishing: no answer comes until it is) after the query changed.
  const shownCount = answer && answer.live === loading && (!loading || answer.upTo === flows.count) && !(finishing && answer.query !== query) ? answer.rows.length : null;

  // After a load the keyboard starts in the connections (↑↓ Enter), not on the page body, unless the user is
  // already somewhere.
  useEffect(() => {
    const at = document.activeElement;
    if (!at || at === document.body) document.querySelector<HTMLElement>('[data-testid="flow-table"]')?.focus({ preventScroll: true });
  }, [result]);

  const openRows = useMemo(() => new Set(ladders.flatMap((l) => (l.type === 'row' ? [l.row] : []))), [ladders]);
  // What the ladder shows while the keyboard has moved the selection elsewhere (the first row ladder open).
  const firstOpen = ladders.find((l) => l.type === 'row');
  const ladderShows = useSelectedEndpoints(flows, activeRow !== null && firstOpen?.type === 'row' && firstOpen.row < flows.count ? firstOpen.row : null, rowsKey);
  const shows = `${ladderShows}${openRows.size > 1 ? ` and ${openRows.size - 1} more` : ''}`;

  const open = useCallback((row: number, add: boolean) => {
    const v = useView.getState();
    if (add) v.addLadder({ type: 'row', row });
    else v.openOnly({ type: 'row', row });
  }, []);

  const compare = useCallback(
    async (row: number) => {
      const v = useView.getState();
      if (!v.ladders.some((l) => l.type === 'row' && l.row === row)) v.openOnly({ type: 'row', row });
      const clean = await cleanCloseFor(row);
      if (clean !== null && clean !== row) v.addLadder({ type: 'row', row: clean });
      else {
        const ex = examples.find((e) => e.clean) ?? examples.find((e) => e.compareClean) ?? examples[0];
        if (ex) v.addLadder({ type: 'example', key: ex.key });
      }
    },
    [examples],
  );

  // Shortcuts that work anywhere in the explorer (not while typing).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
      const v = useView.getState();
      switch (e.key) {
        case 'c': if (v.activeRow !== null) void compare(v.activeRow); break;
        case 't': v.setTimeMode(v.timeMode === 'compressed' ? 'proportional' : v.timeMode === 'proportional' ? 'even' : 'compressed'); break;
        case 'f': v.setFocus(v.focus === 'close' ? 'whole' : 'close'); break;
        case 'h': v.setTableHidden(!v.tableHidden); break;
        case '+': case '=': v.setZoom(v.zoom * 1.25); break;
        case '-': v.setZoom(v.zoom / 1.25); break;
        case '0': v.setZoom(1); break;
        default: return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [compare]);

  return (
    <main className="explorer">
      <SourceProblems inputs={result.inputs} connections={flows.count} />
      {loading && (finishing ? (
        <div className="banner live-note" role="status" data-testid="live-note" data-finishing="true">
          The log is read whole: building its table (the denies joined, the summary, the triage). A sort, a search
          or a filter changed now applies as soon as it is built, in a moment.
        </div>
      ) : (
        <div className="banner live-note" role="status" data-testid="live-note">
          Reading the log: the {countOf(flows.count, 'connection')} read so far. The sort, the search and the filters
          already work on them, and keep working as more come. Still to come when it is read whole: the denies joined to
          them (no row is marked denied yet), the teardowns of those still open (counted as still open until then), and
          the triage.
        </div>
      ))}
      <div className="overview">
        <ViewBoundary name="close kinds" resetKey={result}><KindSummary flows={flows} soFar={loading} /></ViewBoundary>
        <div className="overview-right">
          <Filters shown={shownCount} total={flows.count} protocols={flows.protocols} soFar={loading} />
          <div className="row selected" data-open={activeRow !== null ? String(openRows.has(activeRow)) : undefined}>
            {activeRow !== null ? (
              <>
                <span className="muted">Selected</span>
                <strong className="ep" data-testid="selected-endpoints">{selected}</strong>
                {selectedHidden && <span className="muted hidden-note" data-testid="selected-hidden" title="Hidden by the filters: the search or a filter leaves it out of the table. It stays selected; clear them and it is back.">· filtered out</span>}
                {/* The keyboard moves the selection; Enter opens it. Until then the line says what the ladder shows
                    (and leaves out the comparison, c, for the room: the ladder's head has it). */}
                {!openRows.has(activeRow) && (
                  <button onClick={() => open(activeRow, false)} data-testid="open-selected" title="Show its ladder in place of the open ones (Enter, click)">Open <kbd>Enter</kbd></button>
                )}
                <button onClick={() => open(activeRow, true)} data-testid="add-beside" title="Add its ladder beside the open ones (a, Shift+click, Shift+Enter)">Add beside <kbd>a</kbd></button>
                {openRows.has(activeRow) ? (
                  <button onClick={() => void compare(activeRow)} data-testid="compare-clean" title="Put the nearest clean close beside it">Compare with a clean close <kbd>c</kbd></button>
                ) : (
                  ladderShows && <span className="muted ep shows" data-testid="ladder-shows" title={`The ladder shows ${shows}`}>· the ladder shows {shows}</span>
                )}
              </>
            ) : (
              <span className="muted">Click a connection, or focus the table and use ↑ ↓ and Enter.</span>
            )}
            <span style={{ flex: 1 }} />
            <TriageToggle />
            <button onClick={() => useView.getState().setTableHidden(!tableHidden)} aria-pressed={tableHidden}>
              {tableHidden ? 'Show table' : 'Hide table'} <kbd>h</kbd>
            </button>
          </div>
        </div>
      </div>
      {result.inputs.some((i) => isFirewallLog(i.format)) && (
        <ViewBoundary name="firewall triage" resetKey={result}><TriagePanel generation={result.elapsedMs} /></ViewBoundary>
      )}
      <div className="split" style={{ minHeight: tableHidden ? undefined : table.least + LADDERS_LEAST }}>
        <div className={`tablewrap${tableHidden ? ' hidden' : ''}`} style={{ flexBasis: `max(min(34%, ${table.all}px), ${table.least}px)` }}>
          <ViewBoundary name="connection table" resetKey={result}><FlowTable flows={flows} rows={rows} openRows={openRows} onOpen={open} loading={loading} rowsKey={loaded.rowsKey} /></ViewBoundary>
        </div>
        <ViewBoundary name="ladders" resetKey={ladders}><LadderPanel examples={examples} generation={result.elapsedMs} onCompare={(r) => void compare(r)} /></ViewBoundary>
      </div>
    </main>
  );
}

/** Rows the table keeps in view however much room the triage panel wants (fewer when there are fewer). */
export const TABLE_LEAST_ROWS = 8;
/** The ladder panel's least height beside the table: its toolbar and the lane names (it scrolls inside). */
const LADDERS_LEAST = 110;

/**
 * The table's height for `n` rows: `all` fits every row (the table never takes more), `least` the first
 * TABLE_LEAST_ROWS of them. The table gets a third of the room below the triage panel, never less than `least`:
 * a firewall engineer triaging picks a class, then reads the rows it leaves.
 */
function tableHeights(n: number, large: boolean): { all: number; least: number } {
  const head = large ? 44 : 32;
  const row = large ? TABLE_ROW.large : TABLE_ROW.normal;
  const shown = Math.max(2, n);
  return { all: head + shown * row + 4, least: head + Math.min(shown, TABLE_LEAST_ROWS) * row + 4 };
}

/**
 * "client → server" of a row (the selected one, the open one), asked of the worker (the page holds no columns:
 * flow-rows.ts); `key`: the same for tables whose row numbers are the same connections (the text is kept meanwhile).
 */
function useSelectedEndpoints(flows: FlowOverview, row: number | null, key: unknown): string {
  const [text, setText] = useState<{ key: unknown; row: number; text: string } | null>(null);
  useEffect(() => {
    if (row === null) return;
    let live = true;
    fetchFlowRows(Uint32Array.of(row)).then(
      (c) => live && setText({ key, row, text: `${endpointText(c, 0, 'client')} → ${endpointText(c, 0, 'server')}` }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [flows, row, key]);
  return text && text.key === key && text.row === row ? text.text : '';
}

/** The loaded sources (format, lines/packets, size, problems) as chips in the top bar. */
export function SourceChips({ loaded, onReload, finishing = false }: { loaded: Loaded; onReload?: (options: LoadOptions) => void; finishing?: boolean }) {
  const { result } = loaded;
  const flows = result.flows;
  if (loaded.live) {
    const names = loaded.specs.map((s) => s.name).join(', ');
    return (
      <div className="sourcesbar" aria-label="Sources">
        <span data-testid="live-count">{finishing ? `${names} read whole · building the table…` : `${countOf(flows.count, 'connection')} so far · reading ${names}…`}</span>
      </div>
    );
  }
  return (
      <div className="sourcesbar" aria-label="Sources">
      <span>
        {countOf(flows.count, 'connection')} · {countOf(result.packets, 'TCP packet')} · {result.elapsedMs.toFixed(0)} ms
        {result.cancelled && ' · cancelled: partial result'}
      </span>
      <WarningsButton inputs={result.inputs} />
      {result.inputs.map((i, k) => (
        <span key={k} className={`chip${i.errors.length ? ' bad' : ''}`} title={[...i.errors, ...i.warnings].map((p) => p.message).join('\n') || undefined} data-format={i.format}>
          <bdi>{i.file}</bdi> <span className="muted">· {formatName(i)}{i.format !== 'unknown' && ` · ${formatCount(i.packets)} ${formatInfo(i.format).unit === 'packets' ? 'pkts' : 'lines'}`} · {formatBytes(i.bytes)}</span>
          {i.errors.length + i.warnings.length > 0 && <span> · ⚠ {i.errors.length + i.warnings.length}</span>}
        </span>
      ))}
      {onReload && <ZoneFix inputs={result.inputs} options={loaded.options} onReload={onReload} />}
    </div>
  );
}
