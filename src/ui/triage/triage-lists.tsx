/**
 * Teardown reasons (with the side that closed: `from IFACE`, Reset-I inside vs Reset-O outside) and the hosts with
 * the most late and idle-timeout denies; click a host to filter the table and every chart by it.
 */
import type { TriageHost, TriageReason } from '../../engine/api';
import { countBars } from '../../render/triage-chart';
import { formatCount } from '../../render/format';
import { hostText } from './triage-filter';

const BAR_W = 50;
const TOP_REASONS = 4;
const TOP_HOSTS = 4;

export function ReasonList({ reasons }: { reasons: TriageReason[] }) {
  const shown = reasons.slice(0, TOP_REASONS);
  const w = countBars(shown.map((r) => r.count), BAR_W);
  return (
    <div data-testid="teardown-reasons">
      <h3>Teardown reasons (side that closed)</h3>
      {!shown.length && <span className="muted">No teardowns here.</span>}
      <ol>
        {shown.map((r, i) => {
          const from = r.from.filter((f) => f.iface).map((f) => `${f.iface} ${formatCount(f.count)}`).join(', ');
          return (
            <li key={r.reason} title={`${r.reason}: ${formatCount(r.count)}${from ? `, from ${from}` : ''}`}>
              <span className="k">{r.reason || '(none given)'}{from && <span className="from"> · from {from}</span>}</span>
              <span className="bar"><i style={{ width: w[i], background: 'var(--ev-teardown-line)' }} />{formatCount(r.count)}</span>
            </li>
          );
        })}
      </ol>
      {reasons.length > TOP_REASONS && <span className="muted">and {reasons.length - TOP_REASONS} more</span>}
    </div>
  );
}

export function HostList({ title, hosts, selected, onPick, onLadder, testid }: {
  title: string; hosts: TriageHost[]; selected: string; onPick: (host: string) => void; onLadder: (row: number) => void; testid: string;
}) {
  hosts = hosts.slice(0, TOP_HOSTS);
  const w = countBars(hosts.map((h) => h.late + h.idle), BAR_W);
  return (
    <div data-testid={testid}>
      <h3>{title}</h3>
      {!hosts.length && <span className="muted">No late or idle-timeout denies here.</span>}
      <ol>
        {hosts.map((h, i) => {
          const total = h.late + h.idle;
          const lw = total ? (w[i] * h.late) / total : 0;
          return (
            <li key={h.host}>
              <button aria-pressed={selected === h.host} onClick={() => onPick(selected === h.host ? '' : h.host)} title={`Filter by ${hostText(h.host)}`} data-host={h.host}>
                {hostText(h.host)}
              </button>
              <span className="bar" title={`${formatCount(h.late)} late, ${formatCount(h.idle)} after an idle timeout`}>
                <span style={{ display: 'inline-flex' }}>
                  <i style={{ width: lw, background: 'var(--deny-late)' }} />
                  <i style={{ width: w[i] - lw, background: 'var(--deny-idle)' }} />
                </span>
                {formatCount(total)}
                {h.row >= 0 && (
                  <button className="go" onClick={() => onLadder(h.row)} title={`Open the ladder of a connection of ${hostText(h.host)} with such a deny`} data-testid="host-ladder">›</button>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
