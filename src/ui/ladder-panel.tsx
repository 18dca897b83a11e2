/**
 * The explorer's ladders: fetches the ladder data of the rows (and built-in examples) the view lists from the
 * worker, and draws them with the ladder view shared with a shared link's page (ladder-view.tsx).
 */
import { startTransition, useEffect, useMemo, useState } from 'react';
import type { LadderData } from '../render/ladder-types';
import { REFERENCE_KIND } from '../model/close-kinds';
import { fetchLadder, ladderAside, packetBytes, packetDetail, packetPage } from '../worker/client';
import { localSource, type PacketSource } from './packet-source';
import { describeDetail } from './packet-detail-text';
import { useView, type LadderRef } from '../state/store';
import { exampleInputs, type Example } from './examples';
import { LadderView } from './ladder-view';

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
              const d = await ladderAside(await exampleInputs(ex, ex.clean), ex.options ?? {}, REFERENCE_KIND);
              return d ? { ...d, origin: `built-in example: ${ex.title}` } : null;
            })();
      p.then(
        (d) => startTransition(() => setCache((m) => new Map(m).set(k, d))),
        () => setCache((m) => new Map(m).set(k, null)),
      );
    }
  }, [refs, cache, examples]);
  return useMemo(() => refs.map((r) => cache.get(refKey(r))), [refs, cache]);
}

export function LadderPanel({ examples, generation, onCompare }: {
  examples: Example[];
  generation: number;
  onCompare: (row: number) => void;
}) {
  const refs = useView((s) => s.ladders);
  const removeLadder = useView((s) => s.removeLadder);
  const cached = useLadderData(refs, examples, generation);
  const ready = cached.every((d) => d && d !== 'loading');
  const shown = useMemo(() => (ready ? cached.filter((d): d is LadderData => !!d && d !== 'loading') : []), [ready, cached]);
  const shownRefs = refs.filter((_, i) => !!cached[i] && cached[i] !== 'loading');
  // A new load may reuse row numbers: keys carry the load's generation.
  const keys = shownRefs.map((r) => `${generation}:${refKey(r)}`);
  // Options and IP facts are not in the table: the engine re-reads the frame from the file.
  const extraFor = async (ladder: number, index: number) => {
    const ref = shownRefs[ladder];
    if (ref?.type !== 'row') return '';
    const d = await packetDetail(ref.row, index);
    return d ? describeDetail(d) : '';
  };
  // One source per ladder, kept while its key stays (the list keeps its pages as long as its source).
  const sources = useMemo(() => new Map<string, PacketSource>(), [generation]);
  const listSource = (i: number): PacketSource | null => {
    const ref = shownRefs[i];
    const key = keys[i];
    if (!ref || !key) return null;
    let src = sources.get(key);
    if (!src) {
      src = ref.type === 'row'
        ? { key, page: (from, count, times) => packetPage({ row: ref.row, from, count, times }), bytes: (index) => packetBytes(ref.row, index) }
        : localSource(key, shown[i]);
      sources.set(key, src);
    }
    return src;
  };
  return (
    <LadderView
      listSource={listSource}
      datas={shown}
      keys={keys}
      wholeLabel="whole connection"
      withCapture
      onRemove={removeLadder}
      compareFor={(i) =>
        shownRefs[i]?.type === 'row' && shown[i].connection.close?.kind !== REFERENCE_KIND && !shown.some((o) => o.connection.close?.kind === REFERENCE_KIND)
          ? () => onCompare((shownRefs[i] as { row: number }).row)
          : null}
      extraFor={extraFor}
      tagFor={(i) => (shownRefs[i]?.type === 'example' ? 'Built-in example · not from your files' : null)}
      hint={<>Aligned on each first FIN/RST. Point at an arrow, or press <kbd>l</kbd> then ↑ ↓ to step through packets; Shift+click a row to add a ladder beside.</>}
      message={
        <>
          {refs.length === 0 && <p className="nothing">Pick a connection in the table to draw its ladder.</p>}
          {refs.length > 0 && !ready && <p className="nothing">Drawing…</p>}
          {refs.length > 0 && cached.some((d) => d === null) && <p className="nothing">A ladder could not be drawn (connection not found).</p>}
        </>
      }
    />
  );
}
