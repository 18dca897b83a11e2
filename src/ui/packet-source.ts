/** Where a packet list gets its rows and bytes: the worker (a row of the loaded data) or a ladder's own packets. */
import type { LadderData } from '../render/ladder-types';
import type { PacketBytes, PacketPage } from '../engine/api';
import { lastAtOrBefore } from '../render/packet-list';

/** Where the list's packets come from: the worker (a loaded row) or the ladder's own data (a built-in example). */
export interface PacketSource {
  /** A stable key: the list starts over when it changes. */
  key: string;
  page: (from: number, count: number, times: number[]) => Promise<PacketPage | null>;
  /** The packet's captured bytes (null: none, e.g. a text capture). */
  bytes: (index: number) => Promise<PacketBytes | null>;
}

/** A source over packets already here (the whole connection is in the ladder's data). */
export function localSource(key: string, data: LadderData): PacketSource {
  return {
    key,
    page: async (from, count, times) => ({
      total: data.packets.length, from, packets: data.packets.slice(from, from + count),
      before: times.map((t) => lastAtOrBefore(data.packets, t)),
    }),
    bytes: async () => null,
  };
}
