/**
 * One to four ladders side by side on one time scale, aligned on each connection's first FIN (or RST),
 * with the toolbar (time axis, focus, labels, zoom) and a details line for the packet under the
 * pointer or keyboard focus.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LadderData } from '../render/ladder-types';
import { layoutLadders, MIN_WIDTH, TIME_COL_EXTRA } from '../render/ladder-geometry';
import { flagNames } from '../model/segment';
import { formatDateTime, formatDuration } from '../render/format';
import { fetchLadder, ladderAside, packetDetail } from '../worker/client';
import { describeDetail } from './packet-detail-text';
import { useView, type LadderRef } from '../state/store';
import { exampleInputs, type Example } from './examples';
import { LadderSvg } from './ladder-svg';
import { LadderHead } from './ladder-head';
import { LadderActions } from './share/ladder-actions';
import { LARGE_SCALE, setLarge, useLarge } from './large-type';

const refKey = (r: LadderRef) => (r.type === 'row' ? `row:${r.row}` : `ex:${r.key}`);
const LIMIT = 4000;

function useLadderData(refs: LadderRef[], examples: Example[], generation: number) {
  const [cache, setCache] = useState<Map<string, LadderData | null | 'loading'>>(new Map());
  useEffect(() => setCache(new Map()), [generation]);
  useEffect(() => {
    for (const r of refs) {
      const k = refKey(r);
      if (cache.has(k)) continue;
      setCache((m) => new Map(m).set(k, 'loading'));
      const p =
        r.type === 'row'
          ? fetchLadder({ row: r.row, limit: LIMIT })
          : (async () => {
              const ex = examples.find((e) => e.key === r.key);
              if (!ex) return null;
              const d = await ladderAside(await exampleInputs(ex, ex.clean), ex.options ?? {}, 'clean');
              return d ? { ...d, origin: `built-in example: ${ex.title}` } : null;
            })();
      p.then(
        (d) => startTransition(() => setCache((m) => new Map(m).set(k, d))),
        () => setCache((m) => new Map(m).set(k, null)),
      );
    }
  }, [refs, cache, examples]);
  return refs.map((r) => cache.get(refKey(r)));
}

export function LadderPanel({ examples, generation, onCompare }: {
  examples: Example[];
  generation: number;
  onCompare: (row: number) => void;
}) {
  const refs = useView((s) => s.ladders);
  const timeMode = useView((s) => s.timeMode);
  const focus = useView((s) => s.focus);
  const labels = useView((s) => s.labels);
  const zoom = useView((s) => s.zoom);
  const large = useLarge();
  // Large type: laid out narrower, drawn bigger (same geometry, every size times the scale).
  const scale = large ? LARGE_SCALE : 1;
  const v = useView();
  const datas = useLadderData(refs, examples, generation);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [current, setCurrent] = useState<{ ladder: number; at: number } | null>(null);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => startTransition(() => setWidth(el.clientWidth)));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const ready = datas.every((d) => d && d !== 'loading');
  const shown = datas.filter((d): d is LadderData => !!d && d !== 'loading');
  const shownRefs = refs.filter((_, i) => !!datas[i] && datas[i] !== 'loading');
  const n = Math.max(1, refs.length);
  // One ladder on a wide screen: its explanation goes beside it, not above, so the diagram starts at the top.
  const beside = refs.length === 1 && width >= 980 * scale;
  // Side by side, the leftmost ladder is wider by the time column; the others share what is left. One or two
  // ladders keep at least 360 px each, three or four may go down to MIN_WIDTH (labels shorten to fit).
  const minWidth = n >= 3 ? MIN_WIDTH : 360;
  const perWidth = beside
    ? Math.max(420, Math.min(760 * scale, width - 30 - 400 * scale - TIME_COL_EXTRA * scale))
    : Math.max(minWidth, Math.min(760 * scale, Math.floor((width - 20 - (n - 1) * 10 - TIME_COL_EXTRA * scale) / n)));
  const layoutWidth = Math.max(MIN_WIDTH, Math.floor(perWidth / scale));
  const colWidth = Math.max(perWidth, Math.ceil(layoutWidth * scale));
  const geos = useMemo(
    () => (ready && shown.length === refs.length ? layoutLadders(shown, { width: layoutWidth, timeMode, focus, labels, zoom }) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ready, datas, layoutWidth, timeMode, focus, labels, zoom],
  );
  useEffect(() => {
    if (geos && (window as unknown as { __teardownFirstLadderMs?: number }).__teardownFirstLadderMs === undefined) {
      (window as unknown as { __teardownFirstLadderMs?: number }).__teardownFirstLadderMs = performance.now();
    }
  }, [geos]);

  // When the set of ladders changes, bring the close into view: if heads and diagram do not fit,
  // scroll so the diagram's end (where RSTs, drops and denies sit) shows, but never past the lane names
  // being at the top (they stay pinned) or past the first FIN.
  const refsKey = refs.map(refKey).join(' ') + (large ? ' large' : '');
  const fitted = useRef('');
  useEffect(() => {
    const el = scroller.current;
    if (!geos || !el || fitted.current === refsKey) return;
    fitted.current = refsKey;
    requestAnimationFrame(() => {
      const svg = el.querySelector<SVGSVGElement>('svg.ladder');
      if (!svg) return;
      const top = svg.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
      const lastY = Math.max(...geos.map((g) => Math.max(g.alignY ?? 0, ...g.arrows.map((a) => a.y2), ...g.events.map((e) => e.y + 10))));
      const firstY = Math.min(...geos.map((g) => g.alignY ?? g.arrows[0]?.y ?? 0));
      const visible = el.clientHeight - 34; // the details line overlays the bottom
      const end = top + (lastY + 28) * scale;
      if (end <= visible) {
        el.scrollTop = 0;
        return;
      }
      // Once scrolling, past the heads entirely (a half-cut explanation reads badly); they are one scroll up.
      el.scrollTop = Math.max(0, Math.min(Math.max(end - visible, top), top + (firstY - 34 - 30) * scale));
    });
  }, [geos, refsKey, scale]);

  const focusArrow = useCallback((ladder: number, at: number) => {
    const el = scroller.current?.querySelector<SVGGElement>(`[data-ladder="${ladder}"] g.arrow[data-at="${at}"]`);
    setCurrent({ ladder, at });
    requestAnimationFrame(() => {
      const g = scroller.current?.querySelector<SVGGElement>(`[data-ladder="${ladder}"] g.arrow.current`) ?? el;
      g?.focus();
    });
  }, []);

  const onKey = useCallback(
    (ladder: number) => (e: React.KeyboardEvent, at: number) => {
      if (!geos) return;
      const arrows = geos[ladder].arrows;
      const k = arrows.findIndex((a) => a.at === at);
      let to: { ladder: number; at: number } | null = null;
      if (e.key === 'ArrowDown' || e.key === 'j') to = arrows[k + 1] ? { ladder, at: arrows[k + 1].at } : null;
      else if (e.key === 'ArrowUp' || e.key === 'k') to = arrows[k - 1] ? { ladder, at: arrows[k - 1].at } : null;
      else if (e.key === 'Home') to = { ladder, at: arrows[0].at };
      else if (e.key === 'End') to = { ladder, at: arrows[arrows.length - 1].at };
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        const other = ladder + (e.key === 'ArrowLeft' ? -1 : 1);
        if (geos[other]?.arrows.length) {
          // The arrow nearest in height in the ladder beside.
          const y = arrows[k].y;
          const near = geos[other].arrows.reduce((b, a) => (Math.abs(a.y - y) < Math.abs(b.y - y) ? a : b));
          to = { ladder: other, at: near.at };
        }
      } else if (e.key === 'Escape') {
        (document.querySelector('[data-testid="flow-table"]') as HTMLElement | null)?.focus();
      } else return;
      e.preventDefault();
      e.stopPropagation();
      if (to) focusArrow(to.ladder, to.at);
    },
    [geos, focusArrow],
  );

  // "l" jumps into the first ladder.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'l' || (e.target as HTMLElement).closest('input, textarea, select') || !geos?.[0]?.arrows.length) return;
      e.preventDefault();
      focusArrow(0, current?.ladder === 0 ? current.at : geos[0].closeAt ?? geos[0].arrows[0].at);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [geos, current, focusArrow]);

  // Drag the background to pan; Ctrl/⌘ + wheel to zoom.
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  const onPointerDown = (e: React.PointerEvent) => {
    if (!(e.target as Element).getAttribute?.('data-pan') || !scroller.current) return;
    drag.current = { x: e.clientX, y: e.clientY, left: scroller.current.scrollLeft, top: scroller.current.scrollTop };
    (e.target as Element).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d || !scroller.current) return;
    scroller.current.scrollLeft = d.left - (e.clientX - d.x);
    scroller.current.scrollTop = d.top - (e.clientY - d.y);
  };
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const z = useView.getState().zoom;
      useView.getState().setZoom(z * (e.deltaY < 0 ? 1.15 : 1 / 1.15));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const cur = current && geos?.[current.ladder]?.arrows.find((a) => a.at === current.at);
  const curData = current ? shown[current.ladder] : null;
  // Options and IP facts are not in the table: the engine re-reads the frame from the file.
  const curRef = current ? shownRefs[current.ladder] : undefined;
  const curRow = curRef?.type === 'row' ? curRef.row : null;
  const curIndex = cur ? cur.packet.index : null;
  const [extra, setExtra] = useState<{ key: string; text: string } | null>(null);
  const extraKey = curRow !== null && curIndex !== null ? `${generation}:${curRow}:${curIndex}` : '';
  useEffect(() => {
    if (!extraKey || curRow === null || curIndex === null) return;
    let live = true;
    packetDetail(curRow, curIndex).then(
      (d) => live && setExtra({ key: extraKey, text: d ? describeDetail(d) : '' }),
      () => live && setExtra({ key: extraKey, text: '' }),
    );
    return () => {
      live = false;
    };
  }, [extraKey, curRow, curIndex]);
  const extraText = extra && extra.key === extraKey ? extra.text : '';
  const details = cur && curData
    ? [
        `${cur.packet.fromClient ? 'client → server' : 'server → client'}`,
        flagNames(cur.packet.flags),
        `seq ${cur.packet.relSeq}${cur.packet.flags & 0x10 ? ` ack ${cur.packet.relAck}` : ''}`,
        `len ${cur.packet.payloadLength}`,
        `win ${cur.packet.window}`,
        formatDateTime(cur.packet.timeUs),
        cur.deltaUs !== null ? `${formatDuration(cur.deltaUs)} after previous` : '',
        cur.packet.frame !== undefined ? `frame ${cur.packet.frame}${cur.packet.file ? ` of ${cur.packet.file}` : ''}` : '',
        cur.anomalies.length ? `⚠ ${cur.anomalies.join(', ')}` : '',
        cur.dropped ?? '',
        extraText,
      ].filter(Boolean).join(' · ')
    : null;

  return (
    <section className="ladders" aria-label="Ladder diagrams">
      <div className="ladderbar" role="toolbar" aria-label="Ladder view">
        <div className="group" role="group" aria-label="Time axis">
          <span>Time</span>
          {(['compressed', 'proportional', 'even'] as const).map((m) => (
            <button key={m} aria-pressed={timeMode === m} onClick={() => v.setTimeMode(m)} title={m === 'compressed' ? 'Long idle gaps folded' : m === 'even' ? 'One row per packet' : 'Distance = time'}>
              {m === 'compressed' ? 'gaps folded' : m}
            </button>
          ))}
        </div>
        <div className="group" role="group" aria-label="Focus">
          <span>Show</span>
          <button aria-pressed={focus === 'close'} onClick={() => v.setFocus('close')}>the close</button>
          <button aria-pressed={focus === 'whole'} onClick={() => v.setFocus('whole')}>whole connection</button>
        </div>
        <div className="group" role="group" aria-label="Arrow labels">
          <span>Labels</span>
          {([['flags', 'flags'], ['seq', 'seq/ack'], ['length', 'len'], ['window', 'win'], ['delta', 'Δt']] as const).map(([k, text]) => (
            <button key={k} aria-pressed={labels[k]} onClick={() => v.toggleLabel(k)}>{text}</button>
          ))}
        </div>
        <div className="group" role="group" aria-label="Zoom">
          <span>Zoom</span>
          <button onClick={() => v.setZoom(zoom / 1.25)} aria-label="Zoom out">−</button>
          <button onClick={() => v.setZoom(1)} aria-label="Reset zoom">{Math.round(zoom * 100)}%</button>
          <button onClick={() => v.setZoom(zoom * 1.25)} aria-label="Zoom in">+</button>
        </div>
        <button aria-pressed={large} onClick={() => setLarge(!large)} title="Large type for projectors (Shift+L, or #large=1 in the address)" aria-label="Large type" data-testid="large-type"><span aria-hidden="true">A<sup>+</sup></span></button>
        <LadderActions datas={geos ? shown : []} />
      </div>
      <div className={`details${details ? '' : ' idle'}`} aria-live="polite" data-testid="packet-details">
        {details ?? <span className="muted">Aligned on each first FIN/RST. Point at an arrow, or press <kbd>l</kbd> then ↑ ↓ to step through packets; Shift+click a row to add a ladder beside.</span>}
      </div>
      <div
        className="ladderscroll"
        ref={scroller}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
      >
        {refs.length === 0 && <p className="nothing">Pick a connection in the table to draw its ladder.</p>}
        {refs.length > 0 && !geos && <p className="nothing">Drawing…</p>}
        {geos && (
          <div
            className={`laddergrid${beside ? ' beside' : ''}`}
            style={{ gridTemplateColumns: beside ? `${geos[0].width * scale}px minmax(300px, 1fr)` : geos.map((g) => `${Math.max(colWidth, g.width * scale)}px`).join(' ') }}
          >
            {shown.map((d, i) => (
              <LadderHead
                key={`h${refKey(refs[i])}`}
                data={d}
                roomy={beside}
                hiddenBefore={geos[i].hiddenBefore}
                onRemove={() => v.removeLadder(i)}
                onCompare={refs[i].type === 'row' && d.connection.close?.kind !== 'clean' && !shown.some((o) => o.connection.close?.kind === 'clean') ? () => onCompare((refs[i] as { row: number }).row) : null}
                onWhole={focus === 'close' ? () => v.setFocus('whole') : null}
              />
            ))}
            {geos.map((g, i) => (
              <div className="laddercell" key={`l${refKey(refs[i])}`} data-ladder={i}>
                <div className="lanesticky" aria-hidden="true" style={{ height: 34 * scale, marginBottom: -34 * scale }}>
                  <svg width={g.width * scale} height={34 * scale} viewBox={`0 0 ${g.width} 34`}>
                    {g.lanes.map((l) => (
                      <g key={l.role}>
                        <text className="lanelabel" x={l.x} y={14} textAnchor="middle">{l.label}</text>
                        {l.sublabel && <text className="lanesub" x={l.x} y={28} textAnchor="middle">{l.sublabel}</text>}
                      </g>
                    ))}
                  </svg>
                </div>
                <LadderSvg
                  geo={g}
                  scale={scale}
                  index={i}
                  title={`${shown[i].connection.client.ip}:${shown[i].connection.client.port} to ${shown[i].connection.server.ip}:${shown[i].connection.server.port}`}
                  current={current?.ladder === i ? current.at : null}
                  tabStop={!current || current.ladder !== i ? g.closeAt ?? g.arrows[0]?.at ?? null : null}
                  onCurrent={(at) => at !== null && setCurrent({ ladder: i, at })}
                  onKey={onKey(i)}
                />
              </div>
            ))}
          </div>
        )}
        {refs.length > 0 && datas.some((d) => d === null) && <p className="nothing">A ladder could not be drawn (connection not found).</p>}
      </div>
    </section>
  );
}
