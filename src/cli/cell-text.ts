/** How the readable tables (connection-columns.ts, deny-columns.ts) print values more than one column shows. */
import type { Cells } from './table-blocks';
import { NONE, ipv4Code, type Names } from '../model/names';

/** A duration in milliseconds as the tables print it. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
}

/**
 * durationText as a cell, with no string for whole milliseconds (a log's durations are whole seconds): what
 * toFixed(3) prints for them is their digits with the point put in.
 */
export function durationCell(c: Cells, ms: number): void {
  if (!(ms >= 0 && ms < 2 ** 31 && ms === Math.floor(ms))) {
    c.ascii(durationText(ms));
    return;
  }
  if (ms < 1000) {
    c.num(ms);
    c.ascii('.000ms');
    return;
  }
  const s = Math.floor(ms / 1000);
  const f = ms - s * 1000;
  c.num(s);
  c.byte(46);
  c.byte(48 + Math.floor(f / 100));
  c.byte(48 + (Math.floor(f / 10) % 10));
  c.byte(48 + (f % 10));
  c.byte(115);
}

/**
 * durationCell of `us` / 1000 ms, for a whole number of microseconds: under a second (a packet connection's usual
 * duration) its digits with the point put in, which is what toFixed(3) prints (the nearest number of thousandths to
 * us / 1000 is us itself), with no string; otherwise durationCell's way.
 */
export function durationUsCell(c: Cells, us: number): void {
  if (!(us >= 0 && us < 1e6 && us === Math.floor(us))) {
    durationCell(c, us / 1000);
    return;
  }
  const f = us % 1000;
  c.num((us - f) / 1000);
  c.byte(46);
  c.byte(48 + Math.floor(f / 100));
  c.byte(48 + (Math.floor(f / 10) % 10));
  c.byte(48 + (f % 10));
  c.ascii('ms');
}

/** model/endpoint-text.ts ipPort as bytes (no string per cell): "ip:port", an IPv6 address in brackets. */
export function endpointCell(c: Cells, ip: string, port: number): void {
  const v6 = ip.includes(':');
  if (v6) c.byte(91);
  c.text(ip);
  if (v6) c.byte(93);
  c.byte(58);
  c.num(port);
}

/**
 * A firewall log's address cells ("ip:port", or the address alone), by name id. Each id is looked at once: an IPv4
 * address in its canonical form (most of a big log's names; normalIp leaves it as it is) is kept as its value and
 * printed from it, so a row reads no string (a big log's address strings are spread over the heap: reading them was
 * most of what its table rows cost); any other address is written from its normalised text (endpointCell).
 */
/** The AddressCells of a log, shared by its tables (each name is looked at once in all). */
export function addressCells(log: AddressNames): AddressCells {
  let a = shared.get(log);
  if (!a) shared.set(log, (a = new AddressCells(log)));
  return a;
}
const shared = new WeakMap<AddressNames, AddressCells>();

/** What AddressCells reads of a log (analysis/firewall/log.ts FirewallLog): its names, and each one's normalised id. */
export interface AddressNames {
  readonly names: { readonly list: readonly string[] };
  normId(rawId: number): number;
}

/** AddressCells' code of a name whose ipv4Code is `ipv4` (-1: none). */
const codeOf = (ipv4: number): number => (ipv4 > 1 ? ipv4 | 0 : 1);

/**
 * AddressCells' codes of every name of `names`, from the IPv4 value each got when it was interned (model/names.ts
 * ipv4Of: its ipv4Code), without reading a string: for a table written on another thread (cli/threaded-table.ts).
 */
export function addressCodes(names: Pick<Names, 'list' | 'ipv4Of'>): Int32Array {
  const codes = new Int32Array(names.list.length);
  for (let id = 0; id < codes.length; id++) codes[id] = codeOf(names.ipv4Of(id));
  return codes;
}

export class AddressCells {
  /**
   * Per raw name id: its IPv4 value as int32, 0 when not looked at yet, 1 when it is no IPv4 address (0.0.0.0 and
   * 0.0.0.1 are written from their text too). 4 bytes per name: the array is read at random.
   */
  private codes: Int32Array;
  /** `codes`: every name's made already (addressCodes), else each is made when first written. */
  constructor(
    private readonly log: AddressNames,
    codes?: Int32Array,
  ) {
    this.codes = codes ?? new Int32Array(log.names.list.length);
  }

  /** The IPv4 value of name id `id`, or -1 (write its text). */
  private code(id: number): number {
    if (id >= this.codes.length) return -1; // (names interned after the table began: none are)
    let v = this.codes[id];
    if (v === 0) v = this.codes[id] = codeOf(ipv4Code(this.log.names.list[id]));
    return v === 1 ? -1 : v >>> 0;
  }

  /** Raw name id `addr` (NONE: no address) and `port` as endpointCell prints them. */
  endpoint(c: Cells, addr: number, port: number): void {
    const v = addr === NONE ? -1 : this.code(addr);
    if (v < 0) {
      endpointCell(c, addr === NONE ? '' : this.log.names.list[this.log.normId(addr)], port);
      return;
    }
    c.ipv4(v);
    c.byte(58);
    c.num(port);
  }

  /** The address alone (a protocol without ports); `addr` is not NONE. */
  address(c: Cells, addr: number): void {
    const v = this.code(addr);
    if (v < 0) c.text(this.log.names.list[this.log.normId(addr)]);
    else c.ipv4(v);
  }
}

/**
 * Texts of few distinct values (names, file names, causes, protocols, flags) as bytes, each made once from
 * `text(id)` (`id` a small number): null for text that is not printable ASCII, written from its string each time.
 */
export class AsciiCache {
  private readonly byId: (Uint8Array | null | undefined)[] = [];
  constructor(private readonly text: (id: number) => string) {}

  /** Writes the text of `id` into `c`; false (nothing written) when it is empty. */
  cell(c: Cells, id: number): boolean {
    let b = this.byId[id];
    if (b === undefined) b = this.byId[id] = asciiBytes(this.text(id));
    if (!b) c.text(this.text(id)); // not ASCII, so not empty
    else if (b.length) c.bytes(b);
    else return false;
    return true;
  }
}

function asciiBytes(s: string): Uint8Array | null {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) return null;
    b[i] = c;
  }
  return b;
}
