/**
 * Firewall message ids (names ids: the vendor's own text, model/firewall-record.ts) as the numbers the flow table's
 * `teardown.message` filter compares: the text read as a decimal number, 0 (none) when it is not one or is absent.
 * Each distinct id is read once.
 */
import { NONE, type Names } from '../../model/firewall-store';

export class MessageNumbers {
  private readonly byId = new Map<number, number>();
  constructor(private readonly names: Names) {}

  of(id: number): number {
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
