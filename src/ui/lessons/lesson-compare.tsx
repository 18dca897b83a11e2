/**
 * "Your close vs. the textbook": beside the lesson, one connection from the capture loaded in the
 * explorer (the one named by #...&compare=<id>, else the first ladder open there), fully drawn
 * with its own states. Side by side with the textbook ladder, laid out with it (first FINs on one line).
 */
import { useEffect, useState } from 'react';
import type { LadderData } from '../../render/ladder-types';
import type { LadderGeometry } from '../../render/ladder-geometry';
import { useView } from '../../state/store';
import { fetchLadder } from '../../worker/client';
import { LessonLadder } from './lesson-ladder';
import { stateAt } from '../../lessons/index';
import { closeViewOf } from '../../model/close-window';

/** The packets of the close view only, as the explorer draws "the close". */
function closeOnly(d: LadderData): LadderData {
  const { from, to } = closeViewOf(d.packets);
  return from === 0 && to === d.packets.length ? d : { ...d, packets: d.packets.slice(from, to) };
}

/** Packets fetched (around the close); the close view of them is drawn (model/close-window.ts). */
const LIMIT = 200;

export function CompareSlot({ compareId, geo, scale, onData }: {
  compareId: string | null;
  /** Its ladder laid out with the textbook's (lesson-player.tsx), null until told what is drawn. */
  geo: LadderGeometry | null;
  scale: number;
  /** Told what is drawn (null: nothing), so the player can go side by side and align. */
  onData?: (d: LadderData | null) => void;
}) {
  const ladders = useView((s) => s.ladders);
  const activeRow = useView((s) => s.activeRow);
  const [data, setData] = useState<LadderData | null>(null);
  const [shown, setShown] = useState(compareId !== null);
  const fromId = compareId !== null && /^\d+$/.test(compareId) ? Number(compareId) : null;
  const firstRow = ladders.find((l) => l.type === 'row');
  const row = fromId ?? (firstRow?.type === 'row' ? firstRow.row : activeRow);

  useEffect(() => {
    let live = true;
    if (!shown || row === null) {
      setData(null);
      return;
    }
    fetchLadder({ row, limit: LIMIT }).then(
      (d) => live && setData(d && closeOnly(d)),
      () => live && setData(null),
    );
    return () => {
      live = false;
    };
  }, [row, shown]);

  useEffect(() => {
    onData?.(shown ? data : null);
  }, [data, shown, onData]);

  if (row === null) {
    return <p className="compare-hint muted small">To compare with your own close: load a capture, open one of its connections, and press “Textbook” above its ladder.</p>;
  }
  if (!shown) {
    return <button className="compare-open" onClick={() => setShown(true)}>Put your connection beside the textbook</button>;
  }
  if (!data || !geo) return <p className="muted small">Loading your connection…</p>;
  const n = data.packets.length;
  const first = data.packets[0]?.index ?? 0;
  const last = data.packets[n - 1]?.index ?? 0;
  const states = data.connection.close?.states;
  return (
    <div className="lesson-ladder-box yours" data-testid="compare-ladder">
      <div className="compare-head">
        <strong>Your connection</strong>{' '}
        <span className="muted">
          {data.connection.close?.kind ?? 'open'}
          {data.totalPackets > n ? ` · the close: packets ${first + 1}–${last + 1} of ${data.totalPackets}` : ''}
        </span>
        <button className="small" onClick={() => setShown(false)} aria-label="Hide your connection">✕</button>
      </div>
      <LessonLadder
        geo={geo}
        steps={{ upTo: last, current: -1, asking: -1, from: first }}
        states={{ client: stateAt(states?.client, last).state, server: stateAt(states?.server, last).state }}
        changed={{ client: false, server: false }}
        scale={scale}
        index={1}
        title="Your connection"
      />
      {data.connection.close?.explanation && <p className="small">{data.connection.close.explanation}</p>}
    </div>
  );
}
