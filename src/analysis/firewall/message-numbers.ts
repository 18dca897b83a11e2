/**
 * Firewall message ids (names ids: the vendor's own text, model/firewall-record.ts) as the numbers the flow table's
 * `teardown.message` filter compares: the text read as a decimal number, 0 (none) when it is not one or is absent.
 * Each distinct id is read once.
 */
import { NONE, type FirewallDenyColumns, type Names } from '../../model/firewall-store';

/**
 * The vendor's message ids of the log's TCP packets denied for having no connection (FirewallDenyColumns
 * noConnectionTcp; an ASA log: ["106015"]), most first ("message repeated N times" counted N times; ties: the one
 * interned first): what the triage panel's heading and the command line's summary name those denies by.
 */
export function noConnectionMessageIds(d: FirewallDenyColumns, names: Names): string[] {
  const counts = new Map<number, number>();
  // Counted by runs of one id (a log's are few, and mostly one): a Map look-up per run, not per row.
  let runId = -1;
  let runN = 0;
  for (let j = 0; j < d.count; j++) {
    if (!d.noConnectionTcp(j)) continue;
    const id = d.messageId[j];
    if (id !== runId) {
      if (runId >= 0) counts.set(runId, (counts.get(runId) ?? 0) + runN);
      runId = id;
      runN = 0;
    }
    runN += d.repeat[j];
  }
  if (runId >= 0) counts.set(runId, (counts.get(runId) ?? 0) + runN);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => names.list[id]);
}

export class MessageNumbers {
  private readonly byId = new Map<number, number>();
  /** The id asked last and its number: rows in a row mostly have the same (a table's million rows, a few ids). */
  private lastId = NONE;
  private lastNumber = 0;
  constructor(private readonly names: Names) {}

  of(id: number): number {
    if (id === this.lastId) return this.lastNumber;
    this.lastId = id;
    return (this.lastNumber = this.read(id));
  }

  private read(id: number): number {
    if (id === NONE) return 0;
    let v = this.byId.get(id);
    if (v === undefined) {
      const t = this.names.list[id];
      v = /^[0-9]{1,10}$/.test(t) && Number(t) <= 0xffffffff ? Number(t) : 0;
      this.byId.set(id, v);
    }
    return v;
  }
}
