/**
 * Firewall log facts as typed-array columns (the way packets are kept in packet-table.ts): one row per firewall
 * connection of any protocol (Built and/or Teardown; `proto` says TCP, UDP, ICMP, ...) and one row per packet
 * event (deny, drop, ICMP error) of any protocol, with every string interned in `names`. No object per line or per connection: reports, explanations and
 * the triage input are built from these columns for the rows someone reads (analysis/firewall).
 * Vendor-neutral: a teardown keeps the vendor's reason text and its normalised reason (model/teardown-reasons.ts), a deny
 * keeps a normalised cause (model/deny-causes.ts) and the vendor's message id; another firewall's log fills the
 * same columns from its own decoder.
 */
import { DENY_CAUSE } from './deny-causes';
import { DENY_ROW_KIND } from './firewall';
import { NONE } from './names';

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Int16Array | Float32Array | Float64Array;
type TypedOf<T extends Typed> = { new (n: number): T; new (b: ArrayBuffer): T; readonly BYTES_PER_ELEMENT: number };
/** ES2024 resizable ArrayBuffer (Node 20, Chrome 111, Firefox 128, Safari 16.4), typed here for an ES2022 lib. */
type Resizable = ArrayBuffer & { readonly resizable?: boolean; readonly maxByteLength: number; resize(n: number): void };
const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable;

/** A typed array's constructor of a view of part of a buffer. */
type ViewOf<T extends Typed> = new (b: ArrayBufferLike, at: number, n: number) => T;
/**
 * ES2024 growable SharedArrayBuffer (Node 20), typed here for an ES2022 lib. A page that is not cross-origin isolated
 * has no SharedArrayBuffer at all: nothing here names it unless shareColumns found it.
 */
type Growable = SharedArrayBuffer & { readonly growable?: boolean; readonly maxByteLength: number; grow(n: number): void };
const growableShared = () => SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Growable;

/** Rows a growable column reserves address space for at first (a bigger reservation follows past it, copied). */
const RESERVED_ROWS = 1 << 24;
const canResize = typeof (ArrayBuffer.prototype as Partial<Resizable>).resize === 'function';
/** Whether the store's columns are made shared (sharedColumns). */
let shared = false;

/**
 * From now on the firewall store's columns (FirewallConnColumns, FirewallDenyColumns) are made on growable
 * SharedArrayBuffers, so that another thread can read them without a copy: the command line's writer thread
 * (cli/threaded-write.ts) sets this before a big log is read. A growable shared buffer never shrinks, so the columns
 * cut by trim() keep their pages (no more than they were written to), and nothing else is made shared: the joins'
 * scratch arrays must give their memory back (releasable). Off (the default) in the page and in tests.
 */
export function shareColumns(on = true): void {
  shared = on && typeof SharedArrayBuffer === 'function' && typeof (SharedArrayBuffer.prototype as Partial<Growable>).grow === 'function';
}

/**
 * An array of n zeros that the writer thread reads too (the joins' results, the log-only rows, the report ids): on a
 * SharedArrayBuffer while shareColumns is on (shared, not copied: engine/record-snapshot.ts), else a plain one.
 */
export function shareable<T extends Typed>(type: TypedOf<T>, n: number): T {
  return shared ? new (type as unknown as ViewOf<T>)(new SharedArrayBuffer(n * type.BYTES_PER_ELEMENT), 0, n) : new type(n);
}

/** A column of the store: growable(), on a growable SharedArrayBuffer while shareColumns is on. */
export function column<T extends Typed>(type: TypedOf<T>): T {
  if (shared) {
    try {
      const buf = new (growableShared())(0, { maxByteLength: RESERVED_ROWS * type.BYTES_PER_ELEMENT });
      return new (type as unknown as ViewOf<T>)(buf, 0, 0);
    } catch {
      // address space refused: not shared
    }
  }
  return growable(type);
}

/**
 * An empty column that grows in place: a length-tracking view of a resizable ArrayBuffer, so growing it (grow())
 * copies nothing and leaves no old buffer to be collected, and memory is taken only by the pages rows are written
 * to. Where the engine has no resizable ArrayBuffer, a plain empty array that grow() replaces by doubling copies.
 */
export function growable<T extends Typed>(type: TypedOf<T>): T {
  if (canResize) {
    try {
      return new type(new Resizable(0, { maxByteLength: RESERVED_ROWS * type.BYTES_PER_ELEMENT }));
    } catch {
      // address space refused: plain arrays
    }
  }
  return new type(0);
}

/**
 * An array of n zeros whose memory shrinkTo(a, 0) gives back at once, without waiting for a garbage collection (a
 * resizable buffer of exactly n; a plain array where there is none): for the joins' big scratch arrays, so that
 * they are gone before the next ones are made.
 */
export function releasable<T extends Typed>(type: TypedOf<T>, n: number): T {
  if (canResize) {
    try {
      return new type(new Resizable(n * type.BYTES_PER_ELEMENT, { maxByteLength: n * type.BYTES_PER_ELEMENT }));
    } catch {
      // address space refused: a plain array
    }
  }
  return new type(n);
}

/**
 * `a` with room for at least n entries: a growable column is resized in place (the same array back), any other
 * array is copied into one of double size. Past a growable column's reservation, a reservation 4x bigger is copied into.
 */
export function grow<T extends Typed>(a: T, n: number): T {
  if (n <= a.length) return a;
  const want = Math.max(n, a.length * 2, 1024);
  const buf = a.buffer as Resizable;
  const type = a.constructor as TypedOf<T>;
  if ((buf as unknown as Growable).growable) return growShared(a, n, want);
  if (buf.resizable) {
    const max = buf.maxByteLength / type.BYTES_PER_ELEMENT;
    if (n <= max) {
      const had = buf.byteLength / type.BYTES_PER_ELEMENT;
      // In place a resize copies nothing: grown by an eighth, not doubled, so that a column keeps committed at most
      // an eighth more than its rows (doubling left up to as many again: 1.05 M denies of u5m.log held 2.1 M rows'
      // memory, 67 MB committed and never written, which the browser counts against the worker).
      const step = Math.max(n, had + Math.max(had >> 3, 1024));
      if (Math.min(step, max) > had) buf.resize(Math.min(step, max) * type.BYTES_PER_ELEMENT);
      if (a.length >= n) return a;
      // A view shrinkTo cut: a length-tracking one again, the rows it had cut off zeroed (as grown rows are).
      const b = new type(buf);
      b.fill(0 as never, a.length, had);
      return b;
    }
    const b = new type(new Resizable(want * type.BYTES_PER_ELEMENT, { maxByteLength: Math.max(want, max * 4) * type.BYTES_PER_ELEMENT }));
    b.set(a);
    buf.resize(0);
    return b;
  }
  const b = new type(want);
  b.set(a);
  return b;
}

/**
 * grow() of a column on a growable SharedArrayBuffer (column()): the buffer grown in place by an eighth (past its
 * reservation, a bigger one copied into), and a new view of its whole length returned. Views of a fixed length, not
 * length-tracking ones: V8 reads and writes those as fast as a plain array's, a length-tracking view of a growable
 * shared buffer several times slower (1 M float64 writes and reads: ~0.08 s against ~0.55 s).
 */
function growShared<T extends Typed>(a: T, n: number, want: number): T {
  const buf = a.buffer as unknown as Growable;
  const type = a.constructor as TypedOf<T>;
  const max = buf.maxByteLength / type.BYTES_PER_ELEMENT;
  const had = buf.byteLength / type.BYTES_PER_ELEMENT;
  if (n <= max) {
    const step = Math.min(Math.max(n, had + Math.max(had >> 3, 1024)), max);
    if (step > had) buf.grow(step * type.BYTES_PER_ELEMENT);
    // Rows a shrinkTo view had cut off are zeroed, as grown rows are.
    if (had > a.length) new (type as unknown as ViewOf<T>)(buf, 0, had).fill(0 as never, a.length, had);
    return new (type as unknown as ViewOf<T>)(buf, 0, Math.max(step, had));
  }
  const b = new (type as unknown as ViewOf<T>)(
    new (growableShared())(want * type.BYTES_PER_ELEMENT, { maxByteLength: Math.max(want, max * 4) * type.BYTES_PER_ELEMENT }), 0, want,
  );
  b.set(a);
  return b;
}

/**
 * `a` cut to n entries: a growable column becomes a view of its first n rows on the same buffer (nothing is copied:
 * copying every column at the end of a big log cost ~0.3 CPU-s per million lines and a column's size of memory at a
 * time); a plain array longer than n is copied. Cut to 0 (a scratch array released), the buffer itself is resized
 * to nothing, its memory given back at once (the array is then empty in place).
 * Not resized down to n: V8 zeroes the bytes a resize cuts off, and the rows doubling reserved past n were never
 * written, so zeroing made the system supply every one of those pages (then take them back): 0.85 CPU-s for 30
 * columns cut from 2 M to 1.1 M rows, where the view costs nothing and the untouched pages were never in memory.
 */
export function shrinkTo<T extends Typed>(a: T, n: number): T {
  const buf = a.buffer as Resizable;
  // A shared column (column()) cannot give memory back: cut to a view, as a resizable one is.
  if ((buf as unknown as Growable).growable) return a.length <= n ? a : (new (a.constructor as new (b: ArrayBuffer, at: number, n: number) => T)(buf, 0, n));
  if (!buf.resizable) return a.length === n ? a : (a.slice(0, n) as T);
  if (a.length <= n) return a;
  if (n === 0) {
    buf.resize(0);
    return a;
  }
  return new (a.constructor as new (b: ArrayBuffer, at: number, n: number) => T)(buf, 0, n);
}

/** Every typed-array member of `cols` cut to n rows in place (shrinkTo). */
function shrinkColumns(cols: object, n: number): void {
  const o = cols as Record<string, unknown>;
  for (const k of Object.keys(o)) if (ArrayBuffer.isView(o[k])) o[k] = shrinkTo(o[k] as Typed, n);
}

/** Every typed-array member of `cols` with room for n rows (grow). */
function growColumns(cols: object, n: number): void {
  const o = cols as Record<string, unknown>;
  for (const k of Object.keys(o)) if (ArrayBuffer.isView(o[k])) o[k] = grow(o[k] as Typed, n);
}


export { NONE, ipv4Code, Names } from './names';

/** IP protocol numbers (IANA) of the `proto` columns; PROTO_OTHER when the log names none or one not listed. */
export const PROTO_OTHER = 0;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMP6 = 58;

const PROTO_BY_NAME: Record<string, number> = {
  tcp: 6, udp: 17, icmp: 1, icmp6: 58, 'ipv6-icmp': 58, gre: 47, esp: 50, ah: 51, sctp: 132, igmp: 2, ospf: 89, pim: 103,
  eigrp: 88, ipinip: 4, ip: 0,
};

/**
 * The protocol number of a protocol as a log names it: `tcp`, `UDP`, `icmp6`, `protocol 47`, `47`; PROTO_OTHER
 * when unknown or absent. The common names cost no allocation.
 */
export function protoCode(name: string | null): number {
  if (name === null) return PROTO_OTHER;
  if (name === 'tcp') return PROTO_TCP;
  if (name === 'udp') return PROTO_UDP;
  if (name === 'icmp') return PROTO_ICMP;
  const t = name.trim().toLowerCase();
  const k = PROTO_BY_NAME[t];
  if (k !== undefined) return k;
  const m = /^(?:protocol\s+)?(\d{1,3})$/.exec(t);
  return m && Number(m[1]) < 256 ? Number(m[1]) : PROTO_OTHER;
}

/** Names by protocol number (the first name of each number in PROTO_BY_NAME, not `ipv6-icmp`). */
const PROTO_NAMES: string[] = Array.from({ length: 256 }, (_, code) => `ip-${code}`);
// Last to first, so the first name of a number is the one kept (one pass: this runs at every start of the command).
for (const [name, n] of Object.entries(PROTO_BY_NAME).reverse()) if (name !== 'ipv6-icmp' && n >= 0 && n < 256) PROTO_NAMES[n] = name;

/** Name of a protocol number as reports write it: tcp, udp, icmp, icmp6, gre, ..., else `ip-N` (`ip` for 0). */
export function protoName(code: number): string {
  return PROTO_NAMES[code] ?? `ip-${code}`;
}

/** Direction codes of `direction`. */
export const DIR_NONE = 0;
export const DIR_INBOUND = 1;
export const DIR_OUTBOUND = 2;

/**
 * Firewall connections: Built (302013/302015/302020/302303, FTD 430002) and Teardown (302014/302016/302021/
 * 302304, 430003) paired. Endpoints are client/server (the Built's direction or the event's initiator fields,
 * else the lower port is the server's); addresses are interned as printed (FirewallLog.normId gives each one's
 * id as connection reports write it, for joins). For ICMP the ports are the ICMP identifiers the log prints. Times are µs (NaN when absent),
 * precisions µs (NaN when the stamp had none).
 */
export class FirewallConnColumns {
  count = 0;
  device = column(Uint32Array);
  /** IP protocol number (PROTO_*). */
  proto = column(Uint8Array);
  /** Names ids of the vendor's message ids of the Built and the Teardown as printed ("302013", "430002", ...; NONE when not seen). */
  builtMsg = column(Uint32Array);
  tdMsg = column(Uint32Array);
  /** ICMP type and code when the log prints them (302020/302021, FTD ICMPType/ICMPCode), else -1. */
  icmpType = column(Int16Array);
  icmpCode = column(Int16Array);
  /** Connection ID: its number, or -(names id + 1) when the text is not a plain decimal under 2^50. */
  connId = column(Float64Array);
  direction = column(Uint8Array);
  /** 1 when the client was chosen by the port heuristic (no Built, no initiator fields). */
  byPort = column(Uint8Array);
  /** 1: Built seen; 2: Teardown seen (bits). */
  seen = column(Uint8Array);
  cIface = column(Uint32Array);
  cAddr = column(Uint32Array);
  cPort = column(Int32Array);
  cMapped = column(Uint32Array);
  cMappedPort = column(Int32Array);
  sIface = column(Uint32Array);
  sAddr = column(Uint32Array);
  sPort = column(Int32Array);
  sMapped = column(Uint32Array);
  sMappedPort = column(Int32Array);
  builtInput = column(Uint16Array);
  builtLine = column(Uint32Array);
  builtUs = column(Float64Array);
  builtPrec = column(Float32Array);
  tdInput = column(Uint16Array);
  tdLine = column(Uint32Array);
  tdUs = column(Float64Array);
  tdPrec = column(Float32Array);
  /** Teardown reason as printed ("TCP FINs", "Conn-timeout", ...), and the `from IFACE` interface. */
  tdReason = column(Uint32Array);
  /** The normalised teardown reason: model/teardown-reasons.ts TEARDOWN_REASON code (0 'none' without a teardown). */
  tdReasonCode = column(Uint8Array);
  tdFrom = column(Uint32Array);
  tdBytes = column(Float64Array);
  tdDurationS = column(Float64Array);
  startUs = column(Float64Array);
  endUs = column(Float64Array);

  /** Appends a row (zeroed, times NaN) and returns its index. */
  add(): number {
    const i = this.count++;
    if (i >= this.device.length) growColumns(this, i + 1);
    this.builtUs[i] = NaN;
    this.tdUs[i] = NaN;
    this.startUs[i] = NaN;
    this.endUs[i] = NaN;
    this.builtPrec[i] = NaN;
    this.tdPrec[i] = NaN;
    this.tdReason[i] = NONE;
    this.tdFrom[i] = NONE;
    this.tdBytes[i] = -1;
    this.tdDurationS[i] = -1;
    this.proto[i] = PROTO_TCP;
    this.builtMsg[i] = NONE;
    this.tdMsg[i] = NONE;
    this.icmpType[i] = -1;
    this.icmpCode[i] = -1;
    return i;
  }

  /** Cuts every column to `count` rows (after the last add: frees what doubling reserved). */
  trim(): void {
    shrinkColumns(this, this.count);
  }
}

/**
 * Packet events: denies, drops and ICMP errors of any protocol (106015, 106001, 106006, 106007, 106014, 106023,
 * 106100 denied, 710003, 313001/313004/313005, 419001/419002, ...). Vendor-neutral: `cause` is the normalised
 * why (model/deny-causes.ts DENY_CAUSES index), `messageId` the vendor's id.
 */
export class FirewallDenyColumns {
  count = 0;
  /** What the row is: DENY_ROW_KINDS index (a denied packet, a dropped one, an ICMP error for an untracked flow). */
  kind = column(Uint8Array);
  /** IP protocol number of the denied packet (PROTO_*; for 313005 the flow inside the ICMP error). */
  proto = column(Uint8Array);
  /** Normalised cause: index into model/deny-causes.ts DENY_CAUSES. */
  cause = column(Uint8Array);
  /** The access rule named (106023 access-group, 106100 access-list, 710003, FTD rule), NONE when none. */
  acl = column(Uint32Array);
  /** ICMP type and code when the log prints them, else -1. */
  icmpType = column(Int16Array);
  icmpCode = column(Int16Array);
  input = column(Uint16Array);
  line = column(Uint32Array);
  device = column(Uint32Array);
  timeUs = column(Float64Array);
  precUs = column(Float32Array);
  /** Names id of the vendor's message id as printed ("106015", "106023", ...). */
  messageId = column(Uint32Array);
  /**
   * The flow the event is about (for 313005 the one inside the ICMP error): addresses as printed (NONE when the
   * line gives none); ports -1 when the line gives none (ICMP, `Deny protocol 47`).
   */
  srcAddr = column(Uint32Array);
  srcPort = column(Int32Array);
  dstAddr = column(Uint32Array);
  dstPort = column(Int32Array);
  /** Interface of the deny (`on interface X`, else the source's). */
  iface = column(Uint32Array);
  /** TCP flags (model/segment bits), -1 when not given. */
  flags = column(Int16Array);
  repeat = column(Uint32Array);
  /** 1 when the row can be joined to a TCP connection (a TCP flow with ports and a time). */
  joinable = column(Uint8Array);

  /** Cuts every column to `count` rows (after the last add). */
  trim(): void {
    shrinkColumns(this, this.count);
  }

  /** Row j is a TCP packet denied for having no connection (model/firewall.ts isNoConnectionTcp). */
  noConnectionTcp(j: number): boolean {
    return this.kind[j] === DENY_ROW_KIND.deny && this.cause[j] === DENY_CAUSE['no-connection'] && this.proto[j] === PROTO_TCP;
  }

  add(): number {
    const i = this.count++;
    if (i >= this.input.length) growColumns(this, i + 1);
    return i;
  }
}
