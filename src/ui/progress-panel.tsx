import type { LoadProgress } from '../engine/api';
import { countOf, formatBytes } from '../render/format';

export function ProgressPanel({ progress, onCancel }: { progress: LoadProgress; onCancel: () => void }) {
  const p = progress;
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const phase = p.phase === 'analyzing' ? 'Analysing connections' : p.phase === 'reading' ? 'Reading' : p.phase;
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="progress">
      <div className="row">
        <strong>{phase}{p.file ? ` ${p.file}` : ''}…</strong>
        <span className="spacer" style={{ flex: 1 }} />
        <button onClick={onCancel}>Cancel</button>
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
