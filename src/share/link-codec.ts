/**
 * Share state <-> URL fragment. The fragment (after '#') is never sent to a server.
 *
 * Grammar:  s=<version>.<view>.<ladder>[.<ladder>...]
 * Each part is base64url(deflate-raw(JSON, preset dictionary dictionary.ts)), compressed separately so that a truncated link loses
 * only its last ladders, not all of them. Packets travel as number arrays:
 *   [t, c, f, s, a, l, w, v, i, ...anomalyNames, [point0, point1]?]   (v: capture points in bits 0-1, the window's shift + 1 above)
 * where a point is [t, seq, ack] or 0 (not seen there): two capture points (SharedPacket.pv). Readers that predate
 * it keep only the strings after i, so they still read the packet.
 * Decoding never throws and never evaluates anything: every value is checked and the caller is told
 * what was dropped.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { decodeBase64url, encodeBase64url } from '../lib/base64url';
import { DEFAULT_VIEW, SHARE_VERSION, type ShareState, type ShareView, type SharedLadder } from './share-state';
import { validateConnection, validatePacket, validateView } from './validate';
import { SHARE_DICTIONARY_V1 } from './dictionary';

export const SHARE_PREFIX = 's=';

function pack(value: unknown): string {
  return encodeBase64url(deflateSync(strToU8(JSON.stringify(value)), { level: 9, mem: 12, dictionary: SHARE_DICTIONARY_V1 }));
}

/**
 * Largest JSON one part may inflate to, checked while inflating (fflate fills the given buffer and stops there).
 * Deflate packs up to ~1000:1, so without a cap a 2 MB fragment would inflate to gigabytes. A 4,000-packet ladder
 * with its connection (states, 1,000 anomalies, the firewall's denies) is about 0.5 MiB.
 */
export const MAX_PART_JSON = 2 * 1024 * 1024;
/** The explorer's own limits: at most 4 ladders side by side, each of at most 4,000 packets. */
export const MAX_SHARED_LADDERS = 4;
export const MAX_SHARED_PACKETS = 4000;

class PartTooLarge extends Error {}

function unpack(part: string): unknown {
  const bytes = decodeBase64url(part);
  if (!bytes) throw new Error('not base64url');
  // fflate fills a given output buffer and stops there: one byte more than allowed tells "too big".
  const json = inflateSync(bytes, { dictionary: SHARE_DICTIONARY_V1, out: new Uint8Array(MAX_PART_JSON + 1) });
  if (json.length > MAX_PART_JSON) throw new PartTooLarge();
  return JSON.parse(strFromU8(json));
}

export function encodeShareFragment(state: ShareState): string {
  const parts = [String(SHARE_VERSION), pack(state.view)];
  for (const ladder of state.ladders) {
    parts.push(
      pack({
        // The id is derived again on reading; it would only repeat the addresses.
        connection: { ...ladder.connection, id: undefined },
        t0Us: ladder.t0Us,
        totalPackets: ladder.totalPackets,
        packets: ladder.packets.map((p) => [p.t, p.c, p.f, p.s, p.a, p.l, p.w, p.v | (p.ws !== undefined ? (p.ws + 1) << 2 : 0), p.i, ...p.x, ...(p.pv ? [p.pv.map((x) => x ?? 0)] : [])]),
      }),
    );
  }
  return SHARE_PREFIX + parts.join('.');
}

export interface DecodedShare {
  state: ShareState;
  /** What could not be shown, in plain words (empty when the link was whole). */
  dropped: string[];
}

/** Reads a fragment (with or without the leading '#'); null when it is not a share link at all. */
export function decodeShareFragment(fragment: string): DecodedShare | null {
  const text = fragment.replace(/^#/, '');
  const param = text.split('&').find((p) => p.startsWith(SHARE_PREFIX));
  if (!param) return null;
  const [versionText, viewPart, ...ladderParts] = param.slice(SHARE_PREFIX.length).split('.');
  const dropped: string[] = [];
  const version = Number(versionText);
  if (!Number.isInteger(version) || version < 1) {
    return { state: { version: SHARE_VERSION, view: DEFAULT_VIEW, ladders: [] }, dropped: ['the link has no version Teardown understands'] };
  }
  if (version > SHARE_VERSION) dropped.push(`the link was made by a newer Teardown (format ${version}); showing what format ${SHARE_VERSION} understands`);

  let view: ShareView = DEFAULT_VIEW;
  try {
    const v = validateView(unpack(viewPart ?? ''));
    if (v) view = v;
    else dropped.push('the view settings were unreadable; default view used');
  } catch {
    dropped.push('the view settings were damaged; default view used');
  }

  const ladders: SharedLadder[] = [];
  // Parts past the fourth are neither inflated nor parsed: a link of 30,000 tiny parts costs nothing.
  if (ladderParts.length > MAX_SHARED_LADDERS) {
    dropped.push(`the link holds ${ladderParts.length} ladders; the first ${MAX_SHARED_LADDERS} are shown (the explorer's limit)`);
  }
  ladderParts.slice(0, MAX_SHARED_LADDERS).forEach((part, n) => {
    let raw: unknown;
    try {
      raw = unpack(part);
    } catch (e) {
      dropped.push(e instanceof PartTooLarge
        ? `ladder ${n + 1} is larger than Teardown draws (over ${MAX_PART_JSON / 1024 / 1024} MiB unpacked) and is not shown`
        : `ladder ${n + 1} was damaged or cut off and is not shown`);
      return;
    }
    const ladder = validateLadder(raw, dropped, n + 1);
    if (ladder) ladders.push(ladder);
  });
  if (ladderParts.length === 0) dropped.push('the link holds no ladder');
  return { state: { version, view, ladders }, dropped };
}

function validateLadder(raw: unknown, dropped: string[], n: number): SharedLadder | null {
  if (typeof raw !== 'object' || raw === null) {
    dropped.push(`ladder ${n} is not readable`);
    return null;
  }
  const r = raw as Record<string, unknown>;
  const connection = validateConnection(r.connection);
  if (!connection) {
    dropped.push(`ladder ${n} has no readable connection`);
    return null;
  }
  const allPackets = Array.isArray(r.packets) ? r.packets : [];
  if (allPackets.length > MAX_SHARED_PACKETS) {
    dropped.push(`ladder ${n} holds ${allPackets.length} packets; the first ${MAX_SHARED_PACKETS} are shown (the explorer's limit)`);
  }
  const rawPackets = allPackets.slice(0, MAX_SHARED_PACKETS);
  const packets = rawPackets.map(validatePacket).filter((p): p is NonNullable<typeof p> => p !== null);
  if (packets.length < rawPackets.length) dropped.push(`ladder ${n}: ${rawPackets.length - packets.length} unreadable packets left out`);
  const t0Us = typeof r.t0Us === 'number' && Number.isFinite(r.t0Us) ? r.t0Us : 0;
  const totalPackets = typeof r.totalPackets === 'number' && Number.isFinite(r.totalPackets) && r.totalPackets >= packets.length ? r.totalPackets : packets.length;
  return { connection, t0Us, packets, totalPackets };
}
