import { useState } from 'react';
import type { LoadProgress } from '../engine/api';
import { countOf, formatBytes, formatCount } from '../render/format';

/**
 * A load's progress, with Cancel while its inputs are read. Once they are read whole the engine builds the table in
 * one go and takes no cancel (EngineApi.cancel): the button goes and the panel says the load is finishing.
 * `tableRows`: the rows of the table shown while a log is read (ui/live-table.ts), null when none is: the count of
 * connections shown while they come, and when the panel's own differs (read whole, the table not yet built) the panel
 * says which count is which.
 */
export function ProgressPanel({ progress, onCancel, tableRows = null }: { progress: LoadProgress; onCancel: () => void; tableRows?: number | null }) {
  const p = progress;
  const [cancelling, setCancelling] = useState(false);
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const finishing = p.phase === 'analyzing';
  // Read whole (or stopped): the counts are the load's, no longer "so far".
  const whole = p.phase !== 'reading';
  // While a log's rows come, the count is the table's: of the report it shows (app.tsx), one taken with the table
  // about once a second, where the bytes follow each report.
  const ofTable = !whole && !!p.liveRows && tableRows !== null;
  const phase = finishing ? 'Finishing' : p.phase === 'reading' ? 'Reading' : p.phase;
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="progress" data-phase={p.phase}>
      <div className="row">
        <strong>{phase}{p.file ? ` ${p.file}` : ''}…</strong>
        {finishing && <span className="muted" data-testid="finishing">read whole: building the table, a moment (too late to cancel)</span>}
        <span className="spacer" style={{ flex: 1 }} />
        {p.phase === 'reading' && (
          <button onClick={() => { setCancelling(true); onCancel(); }} disabled={cancelling}>{cancelling ? 'Cancelling…' : 'Cancel'}</button>
        )}
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label="Bytes read"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(frac * 100)}
      >
        <div style={{ transform: `scaleX(${frac.toFixed(3)})` }} />
      </div>
      <div className="muted">
        {formatBytes(p.bytesRead)}{p.bytesTotal ? ` of ${formatBytes(p.bytesTotal)}` : ''} · {countOf(p.packets, 'packet')} ·{' '}
        <span data-testid="progress-connections">{countOf(ofTable ? tableRows : p.connections, 'connection')}{whole ? ' in all' : ' so far'}</span>
        {!ofTable && tableRows !== null && tableRows !== p.connections && (
          <span data-testid="progress-table-rows">; the table shows the {formatCount(tableRows)} read before{whole ? ' until it is built' : ''}</span>
        )}
      </div>
    </div>
  );
}
