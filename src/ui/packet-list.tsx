/**
 * The packet list of one ladder's connection (Wireshark's packet pane), in step with the ladder: the row of the
 * arrow under the pointer is highlighted, pointing at a row highlights its arrow, a click or ↑↓ selects (and the
 * ladder scrolls to the arrow). Virtualised with fixed-height rows (row-window.ts): only the rows in view exist,
 * and their packets are fetched from the worker a page at a time, so a connection of millions of packets costs
 * one screen of objects. Firewall events sit between the packets where the ladder places them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LadderData, LadderPacket } from '../render/ladder-types';
import type { LadderGeometry } from '../render/geometry-types';
import { entryAt, listMarks, markTime, packetCells, rowOfPacket, unmatchedTimes, type ListMark } from '../render/packet-list';
import { itemTime, twoPointPlan } from '../render/two-points';
import { useView } from '../state/store';
import { useRowWindow } from './row-window';
import { useLarge } from './large-type';
import { PacketBytesPane } from './packet-bytes';
import type { PacketSource } from './packet-source';
import './packet-list.css';

const PAGE = 100;
const HEADS: [string, boolean][] = [['#', true], ['Time', true], ['Direction', false], ['Flags', false], ['Seq', true], ['Ack', true], ['Len', true], ['Win', true], ['Anomalies', false], ['Frame', true]];
const ROW = { normal: 22, large: 30 } as const;

interface Props {
  data: LadderData;
  geo: LadderGeometry;
  source: PacketSource;
  /** Packet index of the arrow under the pointer or keyboard in this ladder, else null. */
  current: number | null;
  selected: number | null;
  onHover: (index: number | null) => void;
  onSelect: (index: number) => void;
}

export function PacketList({ data, geo, source, current, selected, onHover, onSelect }: Props) {
  const large = useLarge();
  const rowH = large ? ROW.large : ROW.normal;
  // The pages fetched so far (kept in a ref, mutated as answers come; `bump` draws them).
  const store = useRef<{ key: string; total: number; got: Map<number, LadderPacket[]>; marks: ListMark[] | null; asked: Set<number> } | null>(null);
  if (store.current?.key !== source.key) store.current = { key: source.key, total: data.totalPackets, got: new Map(), marks: null, asked: new Set() };
  const state = store.current;
  const [, bump] = useState(0);
  // Events that match no packet of the ladder are placed by time in the whole connection: the worker answers.
  const times = useMemo(() => unmatchedTimes(data.connection, data.packets), [data]);
  const marks = state.marks ?? (times.length ? null : listMarks(data.connection, data.packets, []));
  const count = state.total + (marks?.length ?? 0);
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const view = useRowWindow(scroller, body, count, rowH);
  const { scrollToIndex } = view;

  const fetchPage = useCallback((p: number, withTimes: boolean) => {
    const s = store.current!;
    if (s.asked.has(p)) return;
    s.asked.add(p);
    source.page(p * PAGE, PAGE, withTimes ? times : []).then((r) => {
      if (store.current !== s) return; // another connection since
      if (!r) return;
      s.total = r.total;
      s.got.set(p, r.packets);
      // A long list scrolled far keeps the pages near the view only.
      if (s.got.size > 40) {
        for (const k of s.got.keys()) {
          if (Math.abs(k - p) <= 20) continue;
          s.got.delete(k);
          s.asked.delete(k);
        }
      }
      if (withTimes) s.marks = listMarks(data.connection, data.packets, r.before);
      bump((n) => n + 1);
    }, () => s.asked.delete(p));
  }, [source, times, data]);

  // The pages of the rows in view (the first one also places the unmatched events).
  const rows = view.rows;
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? 0;
  const nMarks = marks?.length ?? 0;
  useEffect(() => {
    if (!state.marks && times.length) fetchPage(0, true);
    const lo = Math.floor(Math.max(0, firstRow - nMarks) / PAGE);
    const hi = Math.floor(Math.max(0, lastRow) / PAGE);
    for (let p = lo; p <= hi && p * PAGE < Math.max(state.total, 1); p++) if (!state.got.has(p)) fetchPage(p, false);
  });

  const packetAt = (index: number): LadderPacket | undefined => state.got.get(Math.floor(index / PAGE))?.[index % PAGE];

  // The row of the arrow under the pointer (or the selection) comes into view.
  const focusIndex = current ?? selected;
  useEffect(() => {
    if (focusIndex !== null && marks) scrollToIndex(rowOfPacket(focusIndex, marks));
  }, [focusIndex, marks, scrollToIndex]);

  const names = { client: laneName(geo, 'client'), server: laneName(geo, 'server') };
  // Two capture points: a packet's time is where the ladder puts it, when the point on its sender's side saw it.
  const pointOptions = useView((s) => s.points);
  const plan = useMemo(() => twoPointPlan(data, pointOptions), [data, pointOptions]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const total = state.total;
    if (!total) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 200) / rowH) - 2);
    const at = selected ?? -1;
    let to: number;
    switch (e.key) {
      case 'ArrowDown': case 'j': to = at + 1; break;
      case 'ArrowUp': case 'k': to = at < 0 ? 0 : at - 1; break;
      case 'PageDown': to = at + page; break;
      case 'PageUp': to = at - page; break;
      case 'Home': to = 0; break;
      case 'End': to = total - 1; break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
    onSelect(Math.max(0, Math.min(total - 1, to)));
  };

  const drawn = useMemo(() => new Set(geo.arrows.map((a) => a.packet.index)), [geo]);
  const bytesIndex = current ?? selected;
  return (
    <div className="packetpane" data-testid="packet-pane">
      <div
        ref={scroller}
        className="packetlist"
        role="grid"
        aria-label={`Packets of ${data.connection.client.ip}:${data.connection.client.port} to ${data.connection.server.ip}:${data.connection.server.port}`}
        aria-rowcount={count + 1}
        aria-activedescendant={selected !== null ? `pkt-${selected}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => selected === null && state.total > 0 && onSelect(current ?? 0)}
        onMouseLeave={() => onHover(null)}
        data-testid="packet-list"
      >
        <div className="prow phead" role="row" aria-rowindex={1}>
          {HEADS.map(([h, num]) => <div role="columnheader" key={h} className={num ? 'num' : undefined}>{h}</div>)}
        </div>
        <div ref={body} role="rowgroup" style={{ height: view.height, position: 'relative' }}>
          {marks && rows.map((v) => {
            const entry = entryAt(v.index, marks);
            const style = { transform: `translateY(${v.top}px)`, height: rowH };
            if (entry.type === 'mark') {
              const m = marks[entry.mark];
              return (
                <div key={`m${entry.mark}`} role="row" aria-rowindex={v.index + 2} className={`prow event ${m.kind}`} style={style} title={m.detail} data-event={m.kind}>
                  <div role="gridcell" />
                  <div role="gridcell" className="num">{markTime(m, geo.alignUs, geo.timeUnit)}</div>
                  <div role="gridcell">{laneName(geo, 'firewall')}</div>
                  <div role="gridcell" className="evtext"><bdi>{m.text}</bdi></div>
                </div>
              );
            }
            const p = packetAt(entry.index);
            const cls = `prow ${p ? (p.fromClient ? 'c2s' : 's2c') : 'pending'}${entry.index === selected ? ' selected' : ''}${entry.index === current ? ' current' : ''}${drawn.has(entry.index) ? '' : ' undrawn'}`;
            if (!p) {
              return <div key={`p${entry.index}`} role="row" aria-rowindex={v.index + 2} className={cls} style={style}><div role="gridcell" className="num">{entry.index + 1}</div></div>;
            }
            const c = packetCells(p, geo.alignUs, geo.timeUnit, names, plan ? itemTime(plan, p) : p.timeUs);
            return (
              <div
                key={`p${entry.index}`}
                id={`pkt-${entry.index}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={entry.index === selected}
                className={cls}
                style={style}
                data-packet={entry.index}
                title={drawn.has(entry.index) ? undefined : 'Not drawn in the ladder (show the whole connection to draw it)'}
                onMouseEnter={() => onHover(entry.index)}
                onClick={() => onSelect(entry.index)}
              >
                <div role="gridcell" className="num">{entry.index + 1}</div>
                <div role="gridcell" className="num" data-col="time">{c.time}</div>
                <div role="gridcell">{c.direction}</div>
                <div role="gridcell" className="flags" data-col="flags">{c.flags}</div>
                <div role="gridcell" className="num" data-col="seq">{c.seq}</div>
                <div role="gridcell" className="num" data-col="ack">{c.ack}</div>
                <div role="gridcell" className="num" data-col="len">{c.len}</div>
                <div role="gridcell" className="num" data-col="win">{c.win}</div>
                <div role="gridcell" className="anom" title={c.anomalies}>{c.anomalies}</div>
                <div role="gridcell" className="num" title={p.file ? `frame ${p.frame} of ${p.file}` : undefined}>{p.frame ?? ''}</div>
              </div>
            );
          })}
        </div>
      </div>
      <PacketBytesPane source={source} index={bytesIndex} />
    </div>
  );
}

function laneName(geo: LadderGeometry, role: 'client' | 'firewall' | 'server'): string {
  return geo.lanes.find((l) => l.role === role)?.label ?? role;
}
