/**
 * What went wrong reading the loaded files, where the user looks, not in a tooltip. Errors (a file not read, or read
 * only in part) show above the connections at once, and when nothing could be read at all it says so first, instead
 * of an empty table. Warnings alone fold behind a count in the top bar (they would push the ladders down).
 */
import { useState } from 'react';
import type { Problem } from '../model/problems';
import type { InputReport } from '../model/report';
import { formatProblem } from '../model/problems';
import { countOf } from '../render/format';

const SHOWN = 5;

export function SourceProblems({ inputs, connections }: { inputs: InputReport[]; connections: number }) {
  const errors = inputs.flatMap((i) => i.errors);
  const warnings = inputs.flatMap((i) => i.warnings);
  if (!errors.length && connections > 0) return null;
  const unread = inputs.filter((i) => i.format === 'unknown').map((i) => i.file);
  const headline =
    connections === 0
      ? unread.length === inputs.length
        ? `Nothing to show: ${unread.length === 1 ? `${unread[0]} is` : 'these files are'} not a capture or firewall log Teardown reads.`
        : 'No TCP connection was found in the loaded files.'
      : errors.length
        ? `${countOf(errors.length, 'problem')} reading the files; the connections below are what could be read.`
        : null;
  return (
    <div className={`sourceproblems${errors.length || connections === 0 ? ' bad' : ''}`} role={errors.length || connections === 0 ? 'alert' : 'status'} data-testid="source-problems">
      {headline && <p className="headline">{headline}</p>}
      {errors.length > 0 && (
        <ul>
          {errors.slice(0, SHOWN).map((p, k) => <li key={k}>✕ <bdi>{formatProblem(p)}</bdi></li>)}
          {errors.length > SHOWN && <li className="muted">… {countOf(errors.length - SHOWN, 'more error')} (the start page lists each file's)</li>}
        </ul>
      )}
      {warnings.length > 0 && (
        <details>
          <summary>⚠ {countOf(warnings.length, 'warning')}</summary>
          <Listed problems={warnings} />
        </details>
      )}
    </div>
  );
}

function Listed({ problems }: { problems: Problem[] }) {
  return (
    <ul>
      {problems.slice(0, 20).map((p, k) => <li key={k}><bdi>{formatProblem(p)}</bdi></li>)}
      {problems.length > 20 && <li className="muted">… {countOf(problems.length - 20, 'more')}</li>}
    </ul>
  );
}

/** The top bar's "⚠ N warnings": opens the list under it. Nothing when the files had none (or had errors: those
 *  show with their warnings above the connections). */
export function WarningsButton({ inputs }: { inputs: InputReport[] }) {
  const [open, setOpen] = useState(false);
  const warnings = inputs.flatMap((i) => i.warnings);
  if (!warnings.length || inputs.some((i) => i.errors.length)) return null;
  return (
    <span className="warnbutton">
      <button onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="warnings-button">⚠ {countOf(warnings.length, 'warning')}</button>
      {open && <div className="warnlist sourceproblems" role="status"><Listed problems={warnings} /></div>}
    </span>
  );
}
