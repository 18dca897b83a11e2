/**
 * The three classes of 106015 denies (model/firewall-triage.ts DENY_CLASSES), each with its count, its one-sentence
 * explanation (shown once a class occurs) and what this log adds to it: the join window, and for idle timeouts which
 * timeout and how long after it. Click a class to filter; "ladder" opens a connection of that class.
 */
import type { TriageView } from '../../engine/api';
import { DENY_CLASSES } from '../../model/firewall-triage';
import { DENY_CLASS_COLOR } from '../../render/triage-chart';
import { formatCount } from '../../render/format';
import { idsText } from './triage-filter';

interface Props {
  view: TriageView;
  classes: number;
  onToggle: (cls: number) => void;
  onLadder: (row: number) => void;
  /** One line per class, no explanation (ladders are open). */
  compact?: boolean;
}

export function duration(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${+(s / 3600).toFixed(1)} h`;
}

function detail(view: TriageView, name: string): string {
  if (name === 'late-close') return ` (Deny at most ${duration(view.lateWindowS)} after the teardown.)`;
  if (name === 'idle-timeout') {
    const parts = view.idle.map((x) => `${x.reason} ${formatCount(x.count)}: ${duration(x.minAfterS)}–${duration(x.maxAfterS)} after it (median ${duration(x.medianAfterS)})`);
    return `${parts.length ? ` ${parts.join('; ')}` : ''} (window ${duration(view.idleWindowS)}). Usual fix: raise the firewall's timeout, or TCP keep-alives more often than it.`;
  }
  return '';
}

export function DenyClasses({ view, classes, onToggle, onLadder, compact }: Props) {
  return (
    <div className={`classes${compact ? ' compact' : ''}`} role="group" aria-label={`Classes of ${idsText(view)} denies: click to filter`}>
      {DENY_CLASSES.map((c, i) => {
        const n = view.shown[i];
        const all = view.byClass[i];
        const on = (classes & (1 << i)) !== 0;
        const dim = classes !== 0 && !on;
        const row = view.examples[i];
        return (
          <div
            key={c.name}
            className={`cls${dim ? ' dim' : ''}`}
            role="button"
            tabIndex={0}
            aria-pressed={on}
            data-deny-class={c.name}
            data-count={n}
            onClick={() => onToggle(i)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onToggle(i);
              }
            }}
          >
            <span className="sw" style={{ background: `var(${DENY_CLASS_COLOR[c.name]})` }} />
            <span>{c.label}</span>
            <span className="n" title={n !== all ? `${formatCount(all)} in the whole log` : undefined}>
              {formatCount(n)}{n !== all && <span className="muted" style={{ fontWeight: 400 }}> / {formatCount(all)}</span>}
            </span>
            {row >= 0 ? (
              <span className="go">
                <button
                  data-testid={`ladder-${c.name}`}
                  title="Open the ladder of a connection with such a deny (an RST one first) in the selection"
                  onClick={(e) => {
                    e.stopPropagation();
                    onLadder(row);
                  }}
                >
                  ladder ›
                </button>
              </span>
            ) : <span />}
            {all > 0 && !compact && <span className="why" title={`${c.explain}${detail(view, c.name)}`}>{c.explain}{detail(view, c.name)}</span>}
          </div>
        );
      })}
    </div>
  );
}
