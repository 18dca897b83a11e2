/**
 * The firewall-log triage panel, above the table when a firewall log is loaded: are these TCP denies for no connection
 * (ASA 106015; named by the log's own ids) harmless late packets of closed connections, connections the firewall
 * timed out under live endpoints, or traffic it never saw?
 * The worker counts (EngineApi.triage); this reads the table's query as its filter, so brushing, clicking a class or
 * a host filters the table and every chart together.
 */
import { startTransition, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { fetchTriage } from '../../worker/client';
import { useView } from '../../state/store';
import type { TriageView } from '../../engine/api';
import { formatCount, formatDateTime } from '../../render/format';
import { DenyTimeline } from './deny-timeline';
import { DenyClasses } from './deny-classes';
import { HostList, ReasonList } from './triage-lists';
import { DenyList } from './deny-list';
import { addressOfHost, hostText, idsText, loggingAdvice, triageFilterOf } from './triage-filter';
import './triage.css';

const TIMELINE_H = 118;
/** With ladders open the panel shrinks to its timeline and class chips, leaving the room to the ladders. */
const TIMELINE_COMPACT_H = 50;
/**
 * Below this many denies, when the load opened ladders (the seed case), the panel starts hidden behind the toolbar's
 * Triage button: at 1280x720 the close deserves the room, and a handful of denies tell their story in the ladder.
 */
const FULL_PANEL_MIN_DENIES = 20;
const COUNTING_NOTE_MS = 400;

export function TriagePanel({ generation }: { generation: number }) {
  const query = useView((s) => s.query);
  const setQuery = useView((s) => s.setQuery);
  const [view, setView] = useState<TriageView | null>(null);
  // The first answer after a load: the worker counts a big log in slices, seconds while the table already answers.
  const [answered, setAnswered] = useState<number | null>(null);
  const [slow, setSlow] = useState<number | null>(null); // said "counting" only past COUNTING_NOTE_MS (no flash)
  useEffect(() => {
    const t = setTimeout(() => setSlow(generation), COUNTING_NOTE_MS);
    return () => clearTimeout(t);
  }, [generation]);
  const visible = useView((s) => s.triageVisible);
  const setVisible = useView((s) => s.setTriageVisible);
  // Full panel until the user picks a deny class or opens a ladder (the one the load opened does not count), then
  // compact: the timeline and the classes as a strip, leaving the room to the rows of that class and their ladders;
  // or as chosen. A log with a handful of denies whose load opened ladders starts hidden (TriageToggle shows it).
  const [mode, setMode] = useState<'auto' | 'full' | 'compact'>('auto');
  const ladders = useView((s) => s.ladders);
  const [loadLadders] = useState(ladders);
  const laddersOpen = ladders.length > 0;
  const few = view !== null && view.total < FULL_PANEL_MIN_DENIES && loadLadders.length > 0;
  const hidden = visible === null ? few : !visible;
  const compact = mode === 'compact' || (mode === 'auto' && ((laddersOpen && ladders !== loadLadders) || query.denyClasses !== 0));
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  const filter = triageFilterOf(query);
  const key = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    const answer = (v: TriageView | null) => {
      if (!live) return;
      startTransition(() => {
        setView(v);
        setAnswered(generation);
      });
    };
    fetchTriage(JSON.parse(key)).then(answer, () => answer(null));
    return () => {
      live = false;
    };
  }, [key, generation]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(240, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [view !== null, hidden, compact]);

  // Settle "auto" once the counts are in, so the toolbar's Triage button knows the panel is hidden.
  useEffect(() => {
    if (visible === null && view !== null) setVisible(!few);
  }, [visible, view !== null, few]);

  if (!view && answered !== generation && slow === generation && visible !== false) {
    return <div className="triage-counting muted" role="status" data-testid="triage-counting">Counting the firewall log's denies for triage…</div>;
  }
  if (!view || hidden) return null;
  const open = (row: number) => {
    const v = useView.getState();
    v.setActiveRow(row);
    v.openOnly({ type: 'row', row });
  };
  const toggleClass = (i: number) => setQuery({ denyClasses: query.denyClasses ^ (1 << i) });
  const range = (fromUs: number | null, toUs: number | null) => setQuery({ fromUs, toUs });
  const ranged = query.fromUs !== null || query.toUs !== null;
  const spike = view.spike;
  return (
    <section className="triage" aria-label="Firewall log triage" data-testid="triage">
      <div className="thead">
        <h2>{idsText(view)} Deny TCP (no connection): {formatCount(view.total)}</h2>
        {spike && view.total > 0 && (
          <span>
            rose from <strong title="The first bucket at least 3 times the median before it">{formatDateTime(spike.startUs).slice(0, 16)} UTC</strong>
            {spike.before > 0 ? ` (${formatCount(spike.after / spike.before)}× before)` : ''}{' '}
            {!ranged && <button onClick={() => range(spike.startUs, null)} data-testid="select-spike" title="Select from the spike's start to the end of the log">Select from there</button>}
          </span>
        )}
        {ranged && (
          <span className="range" data-testid="triage-range">
            {query.fromUs !== null ? formatDateTime(query.fromUs).slice(0, 16) : 'start'} – {query.toUs !== null ? formatDateTime(query.toUs).slice(0, 16) : 'end'}{' '}
            <button className="linkish" onClick={() => range(null, null)} aria-label="Clear the time range">×</button>
          </span>
        )}
        {filter.host && <span className="range">host {hostText(filter.host)} <button onClick={() => setQuery({ address: '' })} aria-label="Clear the host filter">×</button></span>}
        <span style={{ flex: 1 }} />
        <button onClick={() => setMode(compact ? 'full' : 'compact')} aria-expanded={!compact} data-testid="triage-size" title={compact ? 'The whole triage panel' : 'Only the timeline and the classes, leaving room to the table and the ladders'}>
          {compact ? 'More' : 'Smaller'}
        </button>
        <button onClick={() => setVisible(false)} aria-expanded="true" data-testid="hide-triage">Hide triage</button>
      </div>
      {view.noConnectionLogging && (
        <p className="note" data-testid="no-connection-logging">
          This log has no connection messages (Built / Teardown) at all — a grep for {idsText(view)}, or connection
          logging turned off — so no deny can be told late or timed out: log connection messages{loggingAdvice(view)} to
          tell them apart.
        </p>
      )}
      {(
        <div className={`tbody${compact ? ' compact' : ''}`}>
          <div className="left">
            <div className="timeline" ref={box}>
              {view.timeline ? (
                <DenyTimeline view={view} width={width} height={compact ? TIMELINE_COMPACT_H : TIMELINE_H} fromUs={query.fromUs} toUs={query.toUs} onRange={range} onLadder={open} />
              ) : (
                <span className="muted">No time stamps to draw.</span>
              )}
              {!compact && (
                <div className="legend-line">
                  <span><i style={{ borderColor: 'var(--ev-teardown-line)' }} />teardowns</span>
                  <span><i style={{ borderColor: 'var(--ev-built-line)', borderTopStyle: 'dashed' }} />builds (own scale)</span>
                  <span>drag to select a range · click a bucket for its range and a ladder · Esc clears</span>
                </div>
              )}
            </div>
            {!compact && (
              <div className="lists">
                <ReasonList reasons={view.reasons} />
                <HostList title="Servers: late / idle-timeout denies" hosts={view.servers} selected={filter.host} onPick={(h) => setQuery({ address: addressOfHost(h) })} onLadder={open} testid="top-servers" />
                <HostList title="Clients: late / idle-timeout denies" hosts={view.clients} selected={filter.host} onPick={(h) => setQuery({ address: addressOfHost(h) })} onLadder={open} testid="top-clients" />
              </div>
            )}
          </div>
          <DenyClasses view={view} classes={query.denyClasses} onToggle={toggleClass} onLadder={open} compact={compact} />
        </div>
      )}
      {!compact && <DenyList generation={generation} />}
    </section>
  );
}

/** The toolbar's way back to a hidden triage panel (shown only while it is hidden). */
export function TriageToggle() {
  const visible = useView((s) => s.triageVisible);
  const setVisible = useView((s) => s.setTriageVisible);
  if (visible !== false) return null;
  return (
    <button onClick={() => setVisible(true)} data-testid="show-triage" title="The firewall log's TCP denies for no connection: timeline, classes, who">
      Triage
    </button>
  );
}
