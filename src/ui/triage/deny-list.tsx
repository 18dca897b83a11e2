/**
 * Every deny, drop and ICMP error of the loaded firewall log (not only 106015), under the triage panel: chips to
 * filter by protocol, message id and normalised cause, the table's address filter and time range applied too, and a
 * page of rows (time, message, cause, protocol, flow, flags or ICMP type, interface, rule, file:line). A deny that
 * joined a connection opens that connection's ladder in one click. Counted and filtered in the worker
 * (EngineApi.denies); strings from the log are rendered as text.
 */
import { startTransition, useEffect, useState } from 'react';
import { fetchDenies } from '../../worker/client';
import type { DenyPage, DenyRecord } from '../../engine/api';
import { DENY_CAUSES } from '../../model/deny-causes';
import { formatCount, formatDateTime } from '../../render/format';
import { useView } from '../../state/store';
import { denyEndpointText } from '../../model/endpoint-text';

const PAGE = 50;

const toggle = <T,>(list: T[], v: T): T[] => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
const ep = (e: DenyRecord['src']) => (e ? denyEndpointText(e) : '—');
const detail = (d: DenyRecord) =>
  d.flags || (d.icmp ? `type ${d.icmp.type}${d.icmp.code >= 0 ? ` code ${d.icmp.code}` : ''}` : '');

export function DenyList({ generation }: { generation: number }) {
  const query = useView((s) => s.query);
  const [open, setOpen] = useState(false);
  const [protocols, setProtocols] = useState<number[]>([]);
  const [messages, setMessages] = useState<string[]>([]);
  const [causes, setCauses] = useState<number[]>([]);
  const [limit, setLimit] = useState(PAGE);
  const [page, setPage] = useState<DenyPage | null>(null);
  const key = JSON.stringify({ protocols, messages, causes, address: query.address, fromUs: query.fromUs, toUs: query.toUs, limit: open ? limit : 0 });

  useEffect(() => {
    let live = true;
    const q = JSON.parse(key);
    fetchDenies({ ...q, offset: 0 }).then((p) => live && startTransition(() => setPage(p)), () => live && setPage(null));
    return () => {
      live = false;
    };
  }, [key, generation]);

  if (!page || page.byMessage.length === 0) return null;
  const all = page.byMessage.reduce((n, m) => n + m.count, 0);
  const ladder = (row: number) => {
    const v = useView.getState();
    v.setActiveRow(row);
    v.openOnly({ type: 'row', row });
  };
  const chip = (on: boolean, label: string, count: number, onClick: () => void, title?: string) => (
    <button key={label} className={`chip${on ? ' on' : ''}`} aria-pressed={on} onClick={onClick} title={title}>
      {label} <span className="muted">{formatCount(count)}</span>
    </button>
  );
  return (
    <details className="deny-list" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="deny-list">
      <summary>
        Every deny, drop and ICMP error in the log: {formatCount(all)}{' '}
        <span className="muted">({page.byMessage.slice(0, 6).map((m) => `${m.id} ${formatCount(m.count)}`).join(', ')}{page.byMessage.length > 6 ? ', …' : ''})</span>
      </summary>
      {open && (
        <>
          <div className="chips" role="group" aria-label="Filter the denies">
            <span className="muted">Protocol</span>
            {page.byProtocol.map((p) => chip(protocols.includes(p.proto), p.name.toUpperCase(), p.count, () => setProtocols(toggle(protocols, p.proto))))}
            <span className="muted">Message</span>
            {page.byMessage.map((m) => chip(messages.includes(m.id), m.id, m.count, () => setMessages(toggle(messages, m.id))))}
            <span className="muted">Cause</span>
            {page.byCause.map((c) => chip(causes.includes(c.cause), DENY_CAUSES[c.cause].label, c.count, () => setCauses(toggle(causes, c.cause)), DENY_CAUSES[c.cause].explain))}
          </div>
          <p className="muted">
            {formatCount(page.total)} match{query.address || query.fromUs !== null || query.toUs !== null ? ' (with the table\u2019s address and time filters)' : ''}.
          </p>
          <table className="deny-rows" data-testid="deny-rows">
            <thead>
              <tr><th>Time (UTC)</th><th>Message</th><th>Cause</th><th>Proto</th><th>Source</th><th>Destination</th><th>Flags / ICMP</th><th>Interface</th><th>Rule</th><th>Line</th><th /></tr>
            </thead>
            <tbody>
              {page.rows.map(({ deny: d, row }) => (
                <tr key={`${d.file}:${d.line}`} data-message={d.messageId}>
                  <td>{d.time ? formatDateTime(Date.parse(d.time) * 1000).slice(0, 19) : '—'}</td>
                  <td>{d.messageId}</td>
                  <td title={DENY_CAUSES.find((c) => c.name === d.cause)?.explain}>{d.cause}</td>
                  <td>{d.protocol.toUpperCase()}</td>
                  <td>{ep(d.src)}</td>
                  <td>{ep(d.dst)}</td>
                  <td>{detail(d)}</td>
                  <td>{d.interface}</td>
                  <td>{d.acl ?? ''}</td>
                  <td title={d.file}>{d.line}{d.repeat > 1 ? ` ×${d.repeat}` : ''}</td>
                  <td>{row !== null && <button className="linkish" onClick={() => ladder(row)} title="Open the ladder of the connection this deny joined">ladder ›</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.total > page.rows.length && (
            <button onClick={() => setLimit(limit + PAGE * 4)}>Show more ({formatCount(page.total - page.rows.length)} left)</button>
          )}
        </>
      )}
    </details>
  );
}
