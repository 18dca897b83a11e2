import { useState } from 'react';
import type { LoadProgress } from '../engine/api';
import { countOf, formatBytes } from '../render/format';

/**
 * A load's progress, with Cancel while its inputs are read. Once they are read whole the engine builds the table in
 * one go and takes no cancel (EngineApi.cancel): the button goes and the panel says the load is finishing.
 */
export function ProgressPanel({ progress, onCancel }: { progress: LoadProgress; onCancel: () => void }) {
  const p = progress;
  const [cancelling, setCancelling] = useState(false);
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const finishing = p.phase === 'analyzing';
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
        {countOf(p.connections, 'connection')}
      </div>
    </div>
  );
}
