/**
 * A share link opened: the ladders it carries, drawn by the explorer's own ladder components
 * (LadderHead, LadderSvg on render/ladder-geometry), with no file loaded and no worker. What the
 * link could not give (cut off, damaged, newer format) is listed above them.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { layoutLadders } from '../../render/ladder-geometry';
import type { LadderData } from '../../render/ladder-types';
import { useView } from '../../state/store';
import { LadderHead } from '../ladder-head';
import { LadderSvg } from '../ladder-svg';
import { LadderActions } from './ladder-actions';
import { sharedToLadderData } from './to-ladder-data';
import type { SharedLink } from './use-hash';
import './share.css';

export function SharedPage({ link, onLeave }: { link: SharedLink; onLeave: () => void }) {
  const { decoded, problems } = link;
  const all = useMemo(() => decoded.state.ladders.map(sharedToLadderData), [decoded]);
  const [removed, setRemoved] = useState<Set<number>>(new Set());
  const datas = all.filter((_, i) => !removed.has(i));
  const timeMode = useView((s) => s.timeMode);
  const focus = useView((s) => s.focus);
  const labels = useView((s) => s.labels);
  const zoom = useView((s) => s.zoom);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [current, setCurrent] = useState<{ ladder: number; at: number } | null>(null);

  // The sender's view, once per link.
  useEffect(() => {
    const v = useView.getState();
    const sv = decoded.state.view;
    v.setTimeMode(sv.timeMode);
    v.setFocus(sv.focus);
    for (const k of ['flags', 'seq', 'length', 'window'] as const) if (v.labels[k] !== sv.labels[k]) v.toggleLabel(k);
    setRemoved(new Set());
  }, [decoded]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const n = Math.max(1, datas.length);
  const perWidth = Math.max(380, Math.min(760, Math.floor((width - 20 - (n - 1) * 10) / n)));
  const geos = useMemo(
    () => (datas.length ? layoutLadders(datas, { width: perWidth, timeMode, focus, labels, zoom }) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [all, removed, perWidth, timeMode, focus, labels, zoom],
  );

  const onKey = (ladder: number) => (e: React.KeyboardEvent, at: number) => {
    const arrows = geos[ladder]?.arrows ?? [];
    const k = arrows.findIndex((a) => a.at === at);
    const to = e.key === 'ArrowDown' || e.key === 'j' ? arrows[k + 1] : e.key === 'ArrowUp' || e.key === 'k' ? arrows[k - 1] : undefined;
    if (!to) return;
    e.preventDefault();
    setCurrent({ ladder, at: to.at });
    requestAnimationFrame(() => scroller.current?.querySelector<SVGGElement>(`[data-ladder="${ladder}"] g.arrow[data-at="${to.at}"]`)?.focus());
  };

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
      <section className="ladders" aria-label="Ladder diagrams">
        <div className="ladderbar" role="toolbar" aria-label="Ladder view">
          <div className="group" role="group" aria-label="Time axis">
            <span>Time</span>
            {(['compressed', 'proportional', 'even'] as const).map((m) => (
              <button key={m} aria-pressed={timeMode === m} onClick={() => useView.getState().setTimeMode(m)}>{m === 'compressed' ? 'gaps folded' : m}</button>
            ))}
          </div>
          <div className="group" role="group" aria-label="Focus">
            <span>Show</span>
            <button aria-pressed={focus === 'close'} onClick={() => useView.getState().setFocus('close')}>the close</button>
            <button aria-pressed={focus === 'whole'} onClick={() => useView.getState().setFocus('whole')}>all in the link</button>
          </div>
          <LadderActions datas={datas} withCapture={false} />
        </div>
        <div className="ladderscroll" ref={scroller}>
          {datas.length === 0 && <p className="nothing">This link holds no ladder that could be read.</p>}
          {datas.length > 0 && (
            <div className="laddergrid" style={{ gridTemplateColumns: `repeat(${datas.length}, ${perWidth}px)` }}>
              {datas.map((d, i) => (
                <LadderHead
                  key={`h${i}`}
                  data={d}
                  hiddenBefore={geos[i]?.hiddenBefore ?? 0}
                  onRemove={() => setRemoved((r) => new Set(r).add(all.indexOf(d)))}
                  onCompare={null}
                  onWhole={focus === 'close' ? () => useView.getState().setFocus('whole') : null}
                />
              ))}
              {geos.map((g, i) => (
                <div className="laddercell" key={`l${i}`} data-ladder={i}>
                  <LadderSvg
                    geo={g}
                    index={i}
                    title={ladderTitle(datas[i])}
                    current={current?.ladder === i ? current.at : null}
                    tabStop={!current || current.ladder !== i ? g.closeAt ?? g.arrows[0]?.at ?? null : null}
                    onCurrent={(at) => at !== null && setCurrent({ ladder: i, at })}
                    onKey={onKey(i)}
                  />
                </div>
              ))}
            </div>
          )}
        </div>
      </section>
    </main>
  );
}

function ladderTitle(d: LadderData): string {
  const c = d.connection;
  return `${c.client.ip}:${c.client.port} to ${c.server.ip}:${c.server.port}`;
}
