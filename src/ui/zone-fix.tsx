/**
 * Where a firewall log's stamps name a time zone Teardown does not know (or one that is ambiguous, IST, CST), the
 * sources bar says so with the warning (file and line) and lets the user read the loaded files again in a zone they
 * choose (LoadOptions.tz, the command line's --tz): `+03:00`, `MSK`, `Europe/Moscow`. A zone the engine cannot read
 * comes back as an error on the input, like any other bad option.
 */
import { useState } from 'react';
import type { LoadOptions } from '../engine/api';
import type { InputReport } from '../model/report';
import { formatProblem } from '../model/problems';

/** The warnings about stamps' zones (decode/text/syslog-zone-notes.ts writes them "time zone X is ..."). */
export function zoneWarnings(inputs: InputReport[]): string[] {
  return inputs.flatMap((i) => i.warnings.filter((p) => p.message.startsWith('time zone ')).map((p) => formatProblem(p)));
}

export function ZoneFix({ inputs, options, onReload }: { inputs: InputReport[]; options: LoadOptions; onReload: (o: LoadOptions) => void }) {
  const warnings = zoneWarnings(inputs);
  const [open, setOpen] = useState(false);
  const [tz, setTz] = useState(options.tz ?? '');
  if (!warnings.length && !options.tz) return null;
  return (
    <span className="zonefix">
      <button onClick={() => setOpen(!open)} aria-expanded={open} data-testid="zone-fix" title={warnings.join('\n') || undefined}>
        {options.tz ? `zone ${options.tz}` : '⚠ time zone'}
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Time zone of the log's stamps">
          {warnings.map((w, k) => <p key={k} className="problem warning">⚠ {w}</p>)}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setOpen(false);
              const next: LoadOptions = { ...options };
              if (tz.trim()) next.tz = tz.trim();
              else delete next.tz;
              onReload(next);
            }}
          >
            <label>
              Read stamps without a known zone in{' '}
              <input value={tz} onChange={(e) => setTz(e.target.value)} placeholder="+03:00, MSK, Europe/Moscow" style={{ width: 190 }} data-testid="zone-input" />
            </label>{' '}
            <button type="submit" className="primary" data-testid="zone-apply">Read again</button>
          </form>
        </div>
      )}
    </span>
  );
}
