/**
 * Filters of the flow table: the search box (a Wireshark-style filter expression or free text, model/filter/; its
 * mistake shown under it as it is typed), initiator, address or port (kinds: the summary chart), and the protocol
 * when a firewall log brought connections other than TCP.
 */
import { startTransition, useEffect, useRef, useState } from 'react';
import type { InitiatorFilter } from '../model/flow-table';
import { KIND_STYLE } from '../model/close-kinds';
import { countOf, formatCount } from '../render/format';
import { useView } from '../state/store';
import { PROTO_TCP, protoName } from '../model/firewall-store';
import { classifySearch } from '../model/filter/classify';
import { FilterHelp } from './filter-help';
import { groupSelected, LOG_END_GROUPS, toggleGroup } from '../model/log-ends';

/**
 * `shown` of `total` connections (null: the answer is pending); `soFar`: a log is still read, and `total` is the rows
 * read so far (the same count as the page's others: app.tsx).
 */
export function Filters({ shown, total, protocols = [], soFar = false }: { shown: number | null; total: number; protocols?: number[]; soFar?: boolean }) {
  const query = useView((s) => s.query);
  const setQuery = useView((s) => s.setQuery);
  const toggleKind = useView((s) => s.toggleKind);
  const [text, setText] = useState(query.text);
  const [address, setAddress] = useState(query.address);
  const textRef = useRef<HTMLInputElement>(null);

  // Typing updates the query a moment later, so each key press does not start a search.
  useEffect(() => {
    const q = useView.getState().query;
    if (q.text === text && q.address === address) return;
    const t = setTimeout(() => startTransition(() => setQuery({ text, address })), 150);
    return () => clearTimeout(t);
  }, [text, address, setQuery]);
  useEffect(() => {
    setText(query.text);
    setAddress(query.address);
  }, [query.text, query.address]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !(e.target as HTMLElement).closest('input, textarea, select')) {
        e.preventDefault();
        textRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const search = classifySearch(text);
  const active = query.kinds.length > 0 || query.initiator !== 'any' || query.address || query.text || !!query.protocols?.length || !!query.reasonKinds?.length;
  const ends = LOG_END_GROUPS.filter((g) => groupSelected(g, query.reasonKinds));
  return (
    <div className="filters" role="search" aria-label="Filter connections">
      <span className="searchbox">
        <label>
          Search
          <input
            ref={textRef} type="search" value={text} placeholder="tcp.port == 443, address, kind… ( / )" onChange={(e) => setText(e.target.value)}
            spellCheck={false} autoComplete="off" aria-invalid={search.mode === 'error'} aria-describedby="search-status"
            className={search.mode === 'error' ? 'bad' : search.mode === 'expression' ? 'expr' : undefined} data-testid="search"
          />
        </label>
        <FilterHelp />
        <span id="search-status" className={search.mode === 'error' ? 'searchmsg bad' : 'searchmsg'} role="status" data-testid="search-status">
          {search.mode === 'error' ? `Filter not applied: ${search.message}` : search.mode === 'expression' ? 'filter expression' : ''}
        </span>
      </span>
      <label>
        Address or port
        <input type="text" value={address} placeholder="10.0.0.1, :443" onChange={(e) => setAddress(e.target.value)} style={{ width: 130 }} />
      </label>
      <label>
        Closed by
        <select value={query.initiator} onChange={(e) => setQuery({ initiator: e.target.value as InitiatorFilter })}>
          <option value="any">anyone</option>
          <option value="client">client</option>
          <option value="server">server</option>
          <option value="none">nobody (no FIN/RST)</option>
        </select>
      </label>
      {protocols.length > 0 && (
        <label>
          Protocol
          <select
            value={query.protocols?.length === 1 ? String(query.protocols[0]) : 'any'}
            onChange={(e) => setQuery({ protocols: e.target.value === 'any' ? [] : [Number(e.target.value)] })}
            data-testid="protocol-filter"
          >
            <option value="any">any</option>
            {protocols.map((p) => <option key={p} value={p}>{protoName(p).toUpperCase()}</option>)}
          </select>
        </label>
      )}
      {query.kinds.map((k) => (
        <button key={k} onClick={() => toggleKind(k)} aria-label={`Remove filter ${KIND_STYLE[k].label}`}>
          {KIND_STYLE[k].label} ✕
        </button>
      ))}
      {ends.map((g) => (
        <button key={g.key} onClick={() => setQuery({ reasonKinds: toggleGroup(g, query.reasonKinds) })} aria-label={`Remove filter ${g.label} (firewall log)`}>
          {g.label} ✕
        </button>
      ))}
      {active && (
        <button onClick={() => setQuery({ kinds: [], initiator: 'any', address: '', text: '', protocols: [], reasonKinds: [] })}>Clear filters</button>
      )}
      <span className="count" aria-live="polite" data-so-far={soFar || undefined}>
        {shown === null ? '…' : `${formatCount(shown)} of ${countOf(total, 'connection')}${soFar ? ' read so far' : ''}`}
      </span>
    </div>
  );
}
