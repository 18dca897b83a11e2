/**
 * Above a ladder of two capture points: the clock offset between them (the analysis's estimate, or the user's), and
 * raw or relative sequence numbers for each point's half of the arrows (render/two-points.ts).
 */
import { useEffect, useState } from 'react';
import type { LadderData } from '../render/ladder-types';
import { pointName } from '../render/two-points';
import { useView } from '../state/store';

const ms = (v: number) => v.toFixed(3);

/** Whether the ladder has two capture points drawn apart (so PointControls shows). */
export function hasPointControls(data: LadderData): boolean {
  const v = data.connection.vantage;
  return !!v && v.points.length >= 2 && v.clientSide !== undefined && data.packets.some((p) => p.points);
}

export function PointControls({ data }: { data: LadderData }) {
  const v = data.connection.vantage;
  const id = data.connection.id;
  const user = useView((s) => s.points.clockOffsetMs[id]);
  const numbers = useView((s) => s.points.numbers);
  const setClockOffset = useView((s) => s.setClockOffset);
  const setPointNumbers = useView((s) => s.setPointNumbers);
  const [text, setText] = useState('');
  const value = user ?? v?.clockOffsetMs ?? 0;
  useEffect(() => setText(ms(value)), [value]);
  if (!v || !hasPointControls(data)) return null;
  const names = v.points.map(pointName);
  const side = (point: number): 'client' | 'server' => (point === v.clientSide ? 'client' : 'server');
  const range = v.clockOffsetRangeMs;
  const commit = () => {
    const n = Number(text.replace(',', '.'));
    if (text.trim() !== '' && Number.isFinite(n)) setClockOffset(id, n);
    else setText(ms(value));
  };
  return (
    <div className="pointcontrols" data-testid="point-controls">
      <div>
        <label title={`How far ${names[1]}'s clock is ahead of ${names[0]}'s. Estimated from the packets seen at both points${range ? `; every packet reaches the point on its sender's side first for offsets from ${ms(range[0])} to ${ms(range[1])} ms` : ''}.`}>
          Clock offset{' '}
          <input
            type="text" inputMode="decimal" size={8} value={text} aria-label={`Clock offset of ${names[1]} against ${names[0]}, ms`}
            onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()}
          />{' '}ms
        </label>
        <span className="muted">{user === undefined ? ' estimated' : ` yours (estimated ${ms(v.clockOffsetMs)})`}</span>
        {user !== undefined && <button onClick={() => setClockOffset(id, null)}>Estimate</button>}
      </div>
      <div>
        Numbers
        {[0, 1].map((p) => {
          const s = side(p);
          return (
            <span key={p} className="group" role="group" aria-label={`Sequence numbers at ${names[p]}`}>
              {names[p]}{' '}
              {(['relative', 'raw'] as const).map((m) => (
                <button key={m} aria-pressed={numbers[s] === m} onClick={() => setPointNumbers(s, m)} title={m === 'raw' ? `Sequence numbers as ${names[p]} saw them` : 'Relative to each side\'s first (the same at both points)'}>
                  {m === 'raw' ? 'raw' : 'rel'}
                </button>
              ))}
            </span>
          );
        })}
      </div>
    </div>
  );
}
