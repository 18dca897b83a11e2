/**
 * View state only: what is selected, filtered, how ladders are drawn. Never packets or rows:
 * those live in the worker and in the components that show them.
 */
import { create } from 'zustand';
import type { FlowQuery } from '../model/flow-table';
import { DEFAULT_QUERY } from '../model/flow-table';
import type { FocusMode, LabelToggles, TimeMode } from '../render/ladder-types';
import { DEFAULT_LABELS } from '../render/ladder-types';
import type { NumberMode, TwoPointOptions } from '../render/two-points';

/** A ladder on screen: a row of the loaded table, or a built-in example's clean close. */
export type LadderRef = { type: 'row'; row: number } | { type: 'example'; key: string };

export const MAX_LADDERS = 4;

export interface ViewState {
  query: FlowQuery;
  /** Row with keyboard focus in the table. */
  activeRow: number | null;
  ladders: LadderRef[];
  timeMode: TimeMode;
  focus: FocusMode;
  labels: LabelToggles;
  zoom: number;
  tableHidden: boolean;
  /** The packet list (and bytes) under the ladders. */
  packetList: boolean;
  /** The firewall triage panel: shown, hidden, or null until the panel decides from the loaded log. */
  triageVisible: boolean | null;
  /** Two capture points: the user's clock offsets per connection id, and raw or relative numbers per side. */
  points: Required<TwoPointOptions>;
  /** Sets (ms) or clears (null: back to the estimate) a connection's clock offset between its capture points. */
  setClockOffset: (connectionId: string, ms: number | null) => void;
  setPointNumbers: (side: 'client' | 'server', mode: NumberMode) => void;
  setQuery: (patch: Partial<FlowQuery>) => void;
  toggleKind: (kind: FlowQuery['kinds'][number]) => void;
  setActiveRow: (row: number | null) => void;
  /** Show one ladder (replacing the others). */
  openOnly: (ref: LadderRef) => void;
  /** Add a ladder beside the others; past MAX_LADDERS the oldest after the first goes (the first, the one being studied, stays). */
  addLadder: (ref: LadderRef) => void;
  removeLadder: (index: number) => void;
  setTimeMode: (m: TimeMode) => void;
  setFocus: (f: FocusMode) => void;
  toggleLabel: (k: keyof LabelToggles) => void;
  setZoom: (z: number) => void;
  setTableHidden: (h: boolean) => void;
  setPacketList: (shown: boolean) => void;
  setTriageVisible: (v: boolean | null) => void;
  reset: () => void;
}

const same = (a: LadderRef, b: LadderRef) =>
  a.type === b.type && (a.type === 'row' ? a.row === (b as typeof a).row : a.key === (b as typeof a).key);

const initial = {
  query: DEFAULT_QUERY,
  activeRow: null,
  ladders: [] as LadderRef[],
  timeMode: 'compressed' as TimeMode,
  focus: 'close' as FocusMode,
  labels: DEFAULT_LABELS,
  zoom: 1,
  tableHidden: false,
  // Shown at first where the ladders keep room beside it (a 1080-line screen), else behind the Packets button.
  packetList: typeof window !== 'undefined' && window.innerHeight >= 1000,
  triageVisible: null as boolean | null,
  points: { clockOffsetMs: {}, numbers: { client: 'relative', server: 'relative' } } as Required<TwoPointOptions>,
};

export const useView = create<ViewState>()((set) => ({
  ...initial,
  setQuery: (patch) => set((s) => ({ query: { ...s.query, ...patch } })),
  toggleKind: (kind) =>
    set((s) => {
      const has = s.query.kinds.includes(kind);
      return { query: { ...s.query, kinds: has ? s.query.kinds.filter((k) => k !== kind) : [...s.query.kinds, kind] } };
    }),
  setActiveRow: (row) => set({ activeRow: row }),
  openOnly: (ref) => set({ ladders: [ref] }),
  addLadder: (ref) =>
    set((s) => {
      if (s.ladders.some((l) => same(l, ref))) return s;
      const all = [...s.ladders, ref];
      return { ladders: all.length > MAX_LADDERS ? [all[0], ...all.slice(all.length - MAX_LADDERS + 1)] : all };
    }),
  removeLadder: (i) => set((s) => ({ ladders: s.ladders.filter((_, k) => k !== i) })),
  setTimeMode: (timeMode) => set({ timeMode }),
  setFocus: (focus) => set({ focus }),
  toggleLabel: (k) => set((s) => ({ labels: { ...s.labels, [k]: !s.labels[k] } })),
  setZoom: (zoom) => set({ zoom: Math.min(6, Math.max(0.5, zoom)) }),
  setTableHidden: (tableHidden) => set({ tableHidden }),
  setPacketList: (packetList) => set({ packetList }),
  setTriageVisible: (triageVisible) => set({ triageVisible }),
  setClockOffset: (id, ms) =>
    set((s) => {
      const clockOffsetMs = { ...s.points.clockOffsetMs };
      if (ms === null || !Number.isFinite(ms)) delete clockOffsetMs[id];
      else clockOffsetMs[id] = ms;
      return { points: { ...s.points, clockOffsetMs } };
    }),
  setPointNumbers: (side, mode) => set((s) => ({ points: { ...s.points, numbers: { ...s.points.numbers, [side]: mode } } })),
  reset: () => set({ query: DEFAULT_QUERY, activeRow: null, ladders: [], triageVisible: null }),
}));
