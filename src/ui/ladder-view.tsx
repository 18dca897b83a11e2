/**
 * One to four ladders side by side on one time scale, aligned on each connection's first FIN (or RST), with the
 * toolbar (time axis, focus, labels, zoom, large type), the details line for the packet under the pointer or
 * keyboard focus, the width maths and the keys. The explorer (ladder-panel.tsx) and a shared link's page
 * (share/shared-page.tsx) both draw their ladders with it; only where the data comes from differs.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LadderData } from '../render/ladder-types';
import { layoutLadders, MIN_WIDTH, TIME_COL_EXTRA, type ArrowGeo } from '../render/ladder-geometry';
import { flagNames } from '../model/segment';
import { formatDateTime, formatDuration } from '../render/format';
import { windowSpoken } from '../render/arrow-text';
import { useView } from '../state/store';
import { LadderSvg } from './ladder-svg';
import { LadderHead } from './ladder-head';
import { LadderActions } from './share/ladder-actions';
import { LARGE_SCALE, setLarge, useLarge } from './large-type';
import { LaneHeads } from './lane-heads';
import { useHeight, useWidth } from './use-width';
import { PacketList } from './packet-list';
import type { PacketSource } from './packet-source';

export interface LadderViewProps {
  datas: LadderData[];
  /** A stable key per ladder (the view scrolls to the close when the set changes). */
  keys: string[];
  /** Name of the "whole" focus button ("whole connection"; a link may carry only part of one). */
  wholeLabel: string;
  /** Offer "export as pcap" (needs the capture loaded). */
  withCapture: boolean;
  onRemove: (i: number) => void;
  /** "Compare with a clean close" for ladder i, or null when not offered. */
  compareFor: (i: number) => (() => void) | null;
  /** More about the packet under focus (read from the file), shown at the end of the details line. */
  extraFor?: (ladder: number, packetIndex: number) => Promise<string>;
  /** The hint in the details line when no packet is under focus. */
  hint: React.ReactNode;
  /** Shown in place of the ladders (nothing picked, still loading, not found). */
  message?: React.ReactNode;
  /** A tag pinned on ladder i itself, for one not from the loaded data ("built-in example"); null for none. */
  tagFor?: (i: number) => string | null;
  /** Where ladder i's packet list gets its rows (the worker, or the ladder's own data); absent: no packet list. */
  listSource?: (i: number) => PacketSource | null;
}

export function LadderView({ datas, keys, wholeLabel, withCapture, onRemove, compareFor, extraFor, hint, message, tagFor, listSource }: LadderViewProps) {
  const timeMode = useView((s) => s.timeMode);
  const focus = useView((s) => s.focus);
  const labels = useView((s) => s.labels);
  const points = useView((s) => s.points);
  const zoom = useView((s) => s.zoom);
  const v = useView();
  const large = useLarge();
  // Large type: laid out narrower, drawn bigger (same geometry, every size times the scale).
  const scale = large ? LARGE_SCALE : 1;
  const scroller = useRef<HTMLDivElement>(null);
  // The width is the whole body's (ladders and, beside one, its explanation), so moving the explanation beside
  // or above never changes the width it was decided on.
  const body = useRef<HTMLDivElement>(null);
  const headRow = useRef<HTMLDivElement>(null);
  const width = useWidth(body);
  // The whole view's height (toolbar to bottom), which the heads above the ladders never change.
  const section = useRef<HTMLElement>(null);
  const pane = useRef<HTMLDivElement>(null);
  const listShown = useView((s) => s.packetList) && !!listSource;
  const paneHeight = useHeight(pane, 0);
  const height = useHeight(section) - (listShown ? paneHeight : 0);
  const [current, setCurrent] = useState<{ ladder: number; at: number } | null>(null);
  // The packet picked (click, keyboard) in a ladder or its packet list: the list shows that ladder's packets.
  const [selected, setSelected] = useState<{ ladder: number; index: number } | null>(null);

  const n = Math.max(1, datas.length);
  // One ladder on a wide screen: its explanation goes beside it, not above, so the diagram starts at the top.
  const beside = datas.length === 1 && width >= 980 * scale;
  // Above the ladders with little height (1280x720 leaves them about 500 px): the verdict and one line of each
  // explanation, so that the close under them still fits.
  const short = !beside && height < 640 * scale;
  // Side by side, the leftmost ladder is wider by the time column; the others share what is left. One or two
  // ladders keep at least 360 px each, three or four may go down to MIN_WIDTH (labels shorten to fit).
  const minWidth = n >= 3 ? MIN_WIDTH : 360;
  const perWidth = beside
    ? Math.max(420, Math.min(760 * scale, width - 30 - 400 * scale - TIME_COL_EXTRA * scale))
    : Math.max(minWidth, Math.min(760 * scale, Math.floor((width - 20 - (n - 1) * 10 - TIME_COL_EXTRA * scale) / n)));
  const layoutWidth = Math.max(MIN_WIDTH, Math.floor(perWidth / scale));
  const colWidth = Math.max(perWidth, Math.ceil(layoutWidth * scale));
  const geos = useMemo(
    () => (datas.length ? layoutLadders(datas, { width: layoutWidth, timeMode, focus, labels, zoom, points }) : null),
    [datas, layoutWidth, timeMode, focus, labels, zoom, points],
  );
  useEffect(() => {
    if (geos && (window as unknown as { __teardownFirstLadderMs?: number }).__teardownFirstLadderMs === undefined) {
      (window as unknown as { __teardownFirstLadderMs?: number }).__teardownFirstLadderMs = performance.now();
    }
  }, [geos]);
  useEffect(() => {
    setCurrent(null);
    setSelected(null);
  }, [keys.join(' ')]);

  // When the set of ladders changes, bring the close into view: if heads and diagram do not fit,
  // scroll so the diagram's end (where RSTs, drops and denies sit) shows, but never past the lane names
  // being at the top (they stay pinned) or past the first FIN.
  const refsKey = keys.join(' ') + (large ? ' large' : '');
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
      // The heads (verdict, explanation) sit outside this scroller, above or beside it: they stay in view.
      el.scrollTop = Math.max(0, Math.min(Math.max(end - visible, top), top + (firstY - 34 - 22) * scale));
    });
  }, [geos, refsKey, scale]);

  const focusArrow = useCallback((ladder: number, at: number) => {
    setCurrent({ ladder, at });
    requestAnimationFrame(() => {
      const g = scroller.current?.querySelector<SVGGElement>(`[data-ladder="${ladder}"] g.arrow.current`)
        ?? scroller.current?.querySelector<SVGGElement>(`[data-ladder="${ladder}"] g.arrow[data-at="${at}"]`);
      g?.focus();
    });
  }, []);

  const onKey = useCallback(
    (ladder: number) => (e: React.KeyboardEvent, at: number) => {
      if (!geos) return;
      const to = keyTarget(geos.map((g) => g.arrows), ladder, at, e.key);
      if (to === undefined) {
        if (e.key !== 'Escape') return;
        (document.querySelector('[data-testid="flow-table"]') as HTMLElement | null)?.focus();
      }
      e.preventDefault();
      e.stopPropagation();
      if (to) focusArrow(to.ladder, to.at);
    },
    [geos, focusArrow],
  );

  // "l" jumps into the first ladder, at the start of the close; "p" shows or hides the packet list.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'p' && listSource) {
        e.preventDefault();
        useView.getState().setPacketList(!useView.getState().packetList);
        return;
      }
      if (e.key !== 'l' || !geos?.[0]?.arrows.length) return;
      e.preventDefault();
      focusArrow(0, current?.ladder === 0 ? current.at : geos[0].closeAt ?? geos[0].arrows[0].at);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [geos, current, focusArrow, listSource]);

  // The packet list follows the ladder last picked in; pointing at a row highlights its arrow, picking one also
  // scrolls the ladder to it.
  const listLadder = selected && selected.ladder < datas.length ? selected.ladder : 0;
  const atOf = (ladder: number, index: number) => datas[ladder]?.packets.findIndex((p) => p.index === index) ?? -1;
  const onListHover = (index: number | null) => {
    if (index === null) return;
    const at = atOf(listLadder, index);
    setCurrent(at >= 0 ? { ladder: listLadder, at } : null);
  };
  const onListSelect = (index: number) => {
    setSelected({ ladder: listLadder, index });
    const at = atOf(listLadder, index);
    setCurrent(at >= 0 ? { ladder: listLadder, at } : null);
    requestAnimationFrame(() =>
      scroller.current?.querySelector(`[data-ladder="${listLadder}"] g.arrow[data-packet="${index}"]`)?.scrollIntoView({ block: 'center', inline: 'nearest' }));
  };
  const source = listShown && geos?.[listLadder] ? listSource!(listLadder) : null;
  const listCurrent = current && current.ladder === listLadder ? datas[listLadder]?.packets[current.at]?.index ?? null : null;

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
  const [extra, setExtra] = useState<{ key: string; text: string } | null>(null);
  const extraKey = cur && current && extraFor ? `${keys[current.ladder]}:${cur.packet.index}` : '';
  useEffect(() => {
    if (!extraKey || !cur || !current || !extraFor) return;
    let live = true;
    extraFor(current.ladder, cur.packet.index).then(
      (text) => live && setExtra({ key: extraKey, text }),
      () => live && setExtra({ key: extraKey, text: '' }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [extraKey]);
  const columns = geos ? geos.map((g) => `${Math.max(colWidth, g.width * scale)}px`).join(' ') : '';
  const heads = datas.map((d, i) => (
    <LadderHead
      key={`h${keys[i]}`}
      data={d}
      roomy={beside}
      short={short}
      hiddenBefore={geos?.[i]?.hiddenBefore ?? 0}
      firewallNote={geos?.[i]?.firewallNote ?? ''}
      onRemove={() => onRemove(i)}
      onCompare={compareFor(i)}
      onWhole={focus === 'close' ? () => v.setFocus('whole') : null}
    />
  ));
  const details = cur ? detailsLine(cur, extra && extra.key === extraKey ? extra.text : '') : null;

  return (
    <section className="ladders" aria-label="Ladder diagrams" ref={section}>
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
          <button aria-pressed={focus === 'whole'} onClick={() => v.setFocus('whole')}>{wholeLabel}</button>
          {listSource && (
            <button aria-pressed={listShown} onClick={() => v.setPacketList(!listShown)} title="The packet list and bytes of the ladder's connection, under the ladders (p)" data-testid="packet-list-toggle">packets</button>
          )}
        </div>
        <div className="group" role="group" aria-label="Arrow labels">
          <span>Labels</span>
          {([['flags', 'flags'], ['seq', 'seq/ack'], ['length', 'len'], ['window', 'win'], ['delta', 'Δt']] as const).map(([k, text]) => (
            <button key={k} aria-pressed={labels[k]} onClick={() => v.toggleLabel(k)}>{text}</button>
          ))}
        </div>
        <div className="group" role="group" aria-label="Zoom">
          {/* The buttons say it (−, the percentage, +): the word's room went to the packet list's toggle. */}
          <button onClick={() => v.setZoom(zoom / 1.25)} aria-label="Zoom out">−</button>
          <button onClick={() => v.setZoom(1)} aria-label="Reset zoom">{Math.round(zoom * 100)}%</button>
          <button onClick={() => v.setZoom(zoom * 1.25)} aria-label="Zoom in">+</button>
        </div>
        <button aria-pressed={large} onClick={() => setLarge(!large)} title="Large type for projectors (Shift+L, or #large=1 in the address)" aria-label="Large type" data-testid="large-type"><span aria-hidden="true">A<sup>+</sup></span></button>
        <LadderActions datas={geos ? datas : []} withCapture={withCapture} />
      </div>
      <div className="ladderstage">
      <div className={`details${details ? '' : ' idle'}`} aria-live="polite" data-testid="packet-details">
        {details ?? <span className="muted">{hint}</span>}
      </div>
      {geos && !beside && (
        <div className="headrow" ref={headRow} data-testid="ladder-heads">
          <div className="laddergrid" style={{ gridTemplateColumns: columns }}>{heads}</div>
        </div>
      )}
      <div className={`ladderbody${beside ? ' beside' : ''}`} ref={body}>
        <div
          className="ladderscroll"
          ref={scroller}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={() => (drag.current = null)}
          onScroll={(e) => headRow.current && (headRow.current.scrollLeft = e.currentTarget.scrollLeft)}
          style={beside && geos ? { flex: `0 1 ${geos[0].width * scale + 20}px` } : undefined}
        >
          {message}
          {geos && (
            <div className="laddergrid" style={{ gridTemplateColumns: beside ? `${geos[0].width * scale}px` : columns }}>
              {geos.map((g, i) => (
                <div className="laddercell" key={`l${keys[i]}`} data-ladder={i}>
                  <LaneHeads geo={g} scale={scale} tag={tagFor?.(i)} />
                  <LadderSvg
                    geo={g}
                    scale={scale}
                    index={i}
                    title={`${datas[i].connection.client.ip}:${datas[i].connection.client.port} to ${datas[i].connection.server.ip}:${datas[i].connection.server.port}`}
                    current={current?.ladder === i ? current.at : null}
                    tabStop={!current || current.ladder !== i ? g.closeAt ?? g.arrows[0]?.at ?? null : null}
                    onCurrent={(at, pin) => {
                      if (at === null) return;
                      setCurrent({ ladder: i, at });
                      if (pin) setSelected({ ladder: i, index: datas[i].packets[at].index });
                    }}
                    onKey={onKey(i)}
                  />
                </div>
              ))}
            </div>
          )}
        </div>
        {geos && beside && <aside className="besidehead" data-testid="ladder-heads">{heads}</aside>}
      </div>
      </div>
      {source && geos && (
        // As tall as its rows need (packets, firewall events, the header and a spare row), at most 38% of the view.
        <div className="packetdock" ref={pane} style={{ flexBasis: `min(38%, ${(datas[listLadder].totalPackets + eventCount(datas[listLadder]) + 2) * (large ? 30 : 22) + 12}px)` }}>
          <PacketList
            data={datas[listLadder]}
            geo={geos[listLadder]}
            source={source}
            current={listCurrent}
            selected={selected?.ladder === listLadder ? selected.index : null}
            onHover={onListHover}
            onSelect={onListSelect}
          />
        </div>
      )}
    </section>
  );
}

/**
 * Where a key moves the keyboard focus from arrow `at` of ladder `ladder`: ↓/j ↑/k next/previous, Home/End first/last,
 * ←/→ the arrow nearest in height in the ladder beside; null when the key is ours but there is nowhere to go,
 * undefined when the key is not ours.
 */
function keyTarget(all: ArrowGeo[][], ladder: number, at: number, key: string): { ladder: number; at: number } | null | undefined {
  const arrows = all[ladder];
  const k = arrows.findIndex((a) => a.at === at);
  const here = (a: ArrowGeo | undefined) => (a ? { ladder, at: a.at } : null);
  if (key === 'ArrowDown' || key === 'j') return here(arrows[k + 1]);
  if (key === 'ArrowUp' || key === 'k') return here(arrows[k - 1]);
  if (key === 'Home') return here(arrows[0]);
  if (key === 'End') return here(arrows[arrows.length - 1]);
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const other = ladder + (key === 'ArrowLeft' ? -1 : 1);
    if (!all[other]?.length || k < 0) return null;
    const y = arrows[k].y;
    const near = all[other].reduce((b, a) => (Math.abs(a.y - y) < Math.abs(b.y - y) ? a : b));
    return { ladder: other, at: near.at };
  }
  return undefined;
}

/** The firewall log's events of a ladder's connection (rows of its packet list besides the packets). */
function eventCount(d: LadderData): number {
  const fw = d.connection.firewall;
  return fw ? (fw.built ? 1 : 0) + (fw.teardown ? 1 : 0) + fw.denies.length : 0;
}

function detailsLine(cur: ArrowGeo, extra: string): string {
  const p = cur.packet;
  return [
    p.fromClient ? 'client → server' : 'server → client',
    flagNames(p.flags),
    `seq ${p.relSeq}${p.flags & 0x10 ? ` ack ${p.relAck}` : ''}`,
    `len ${p.payloadLength}`,
    p.windowShift === undefined ? `win ${p.window} (raw field: scale unknown, the handshake was not captured)` : windowSpoken(p).replace(/^window/, 'win'),
    formatDateTime(p.timeUs),
    cur.deltaUs !== null ? `${formatDuration(cur.deltaUs)} after previous` : '',
    p.frame !== undefined ? `frame ${p.frame}${p.file ? ` of ${p.file}` : ''}` : '',
    cur.anomalies.length ? `⚠ ${cur.anomalies.join(', ')}` : '',
    cur.dropped ?? '',
    extra,
  ].filter(Boolean).join(' · ');
}
