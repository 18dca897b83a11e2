/** Filters of the flow table: initiator, address or port, free text (kinds: the summary chart). */
import { startTransition, useEffect, useRef, useState } from 'react';
import type { InitiatorFilter } from '../render/flow-table';
import { KIND_STYLE } from '../model/close-kinds';
import { countOf, formatCount } from '../render/format';
import { useView } from '../state/store';

export function Filters({ shown, total }: { shown: number | null; total: number }) {
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

  const active = query.kinds.length > 0 || query.initiator !== 'any' || query.address || query.text;
  return (
    <div className="filters" role="search" aria-label="Filter connections">
      <label>
        Search
        <input ref={textRef} type="search" value={text} placeholder="address, kind, reason… ( / )" onChange={(e) => setText(e.target.value)} style={{ width: 190 }} />
      </label>
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
      {query.kinds.map((k) => (
        <button key={k} onClick={() => toggleKind(k)} aria-label={`Remove filter ${KIND_STYLE[k].label}`}>
          {KIND_STYLE[k].label} ✕
        </button>
      ))}
      {active && (
        <button onClick={() => setQuery({ kinds: [], initiator: 'any', address: '', text: '' })}>Clear filters</button>
      )}
      <span className="count" aria-live="polite">
        {shown === null ? '…' : `${formatCount(shown)} of ${countOf(total, 'connection')}`}
      </span>
    </div>
  );
}
