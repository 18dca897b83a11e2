/**
 * A share link opened: the ladders it carries, drawn by the explorer's own ladder view (ladder-view.tsx: toolbar,
 * width, keys, LadderHead and LadderSvg on render/ladder-geometry), with no file loaded and no worker. What the
 * link could not give (cut off, damaged, newer format) is listed above them.
 */
import { useEffect, useMemo, useState } from 'react';
import { useView } from '../../state/store';
import { LadderView } from '../ladder-view';
import { sharedToLadderData } from './to-ladder-data';
import type { SharedLink } from './use-hash';
import './share.css';

export function SharedPage({ link, onLeave }: { link: SharedLink; onLeave: () => void }) {
  const { decoded, problems } = link;
  const all = useMemo(() => decoded.state.ladders.map(sharedToLadderData), [decoded]);
  const [removed, setRemoved] = useState<Set<number>>(new Set());
  const kept = useMemo(() => all.map((d, i) => ({ d, i })).filter(({ i }) => !removed.has(i)), [all, removed]);
  const datas = useMemo(() => kept.map(({ d }) => d), [kept]);

  // The sender's view, once per link.
  useEffect(() => {
    const v = useView.getState();
    const sv = decoded.state.view;
    v.setTimeMode(sv.timeMode);
    v.setFocus(sv.focus);
    for (const k of ['flags', 'seq', 'length', 'window'] as const) if (v.labels[k] !== sv.labels[k]) v.toggleLabel(k);
    setRemoved(new Set());
  }, [decoded]);

  const notes = [...decoded.dropped, ...problems];
  return (
    <main className="shared-page" data-testid="shared-page">
      <div className={`shared-notice${notes.length ? ' dropped' : ''}`} role="status" data-testid="shared-notice">
        <strong>Shared link</strong>: {all.length} ladder{all.length === 1 ? '' : 's'}, drawn from the link itself; no file is loaded.{' '}
        <button onClick={onLeave}>Open your own files…</button>
        {notes.length > 0 && (
          <>
            <div style={{ marginTop: 4 }}>Not everything in the link could be shown:</div>
            <ul data-testid="shared-dropped">
              {notes.map((d, i) => <li key={i}>{d}</li>)}
            </ul>
          </>
        )}
      </div>
      <LadderView
        datas={datas}
        keys={kept.map(({ i }) => `shared:${i}`)}
        wholeLabel="all in the link"
        withCapture={false}
        onRemove={(k) => setRemoved((r) => new Set(r).add(kept[k].i))}
        compareFor={() => null}
        hint="Aligned on each first FIN/RST. Point at an arrow, or Tab to one and step with ↑ ↓."
        message={datas.length === 0 ? <p className="nothing">This link holds no ladder that could be read.</p> : null}
      />
    </main>
  );
}
