// The least a Node program can do with a pcap and still say how connections ended: a floor for the whole-process
// table of `npm run bench`, next to tcptrace and tshark. One thread reads the file in 4 MiB slices (readSync into
// one buffer), walks the record headers, reads Ethernet (802.1Q/QinQ), IPv4/IPv6 and TCP, and counts packets, FINs
// and RSTs per side of each 4-tuple in an open-addressing table over typed arrays. No sequence numbers, no close
// analysis, no report: what Teardown does on top of this walk is its own cost. IPv6 addresses are folded to 32 bits
// (enough for a floor, not for a tool). Prints one line per connection, as the tools it stands beside print theirs.
//
//   node bench/lib/header-walk.mjs FILE.pcap
import { closeSync, openSync, readSync } from 'node:fs';

const SLICE = 4 << 20;
const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(SLICE + 262144);
let have = 0;
let at = 0;
let fileAt = 0;
/** Keeps the unread tail and reads after it; false at the end of the file. */
const fill = () => {
  buf.copy(buf, 0, at, have);
  have -= at;
  at = 0;
  const n = readSync(fd, buf, have, buf.length - have, fileAt);
  fileAt += n;
  have += n;
  return n > 0;
};
fill();
const magic = buf.readUInt32LE(0);
if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error('header-walk reads little-endian pcap only');
if (buf.readUInt32LE(20) !== 1) throw new Error('header-walk reads Ethernet captures only');
at = 24;

let cap = 1 << 18;
let used = 0;
let keyA = new Uint32Array(cap), keyB = new Uint32Array(cap), keyP = new Uint32Array(cap), slotId = new Int32Array(cap).fill(-1);
let packets = new Uint32Array(cap), fins = new Uint32Array(cap * 2), rsts = new Uint32Array(cap * 2);
const hash = (a, b, p) => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(p, 0xc2b2ae35)) >>> 0;
function slotOf(a, b, p) {
  let s = hash(a, b, p) & (cap - 1);
  while (slotId[s] !== -1 && (keyA[s] !== a || keyB[s] !== b || keyP[s] !== p)) s = (s + 1) & (cap - 1);
  return s;
}
function grow() {
  const [oA, oB, oP, oId] = [keyA, keyB, keyP, slotId];
  cap *= 2;
  keyA = new Uint32Array(cap); keyB = new Uint32Array(cap); keyP = new Uint32Array(cap); slotId = new Int32Array(cap).fill(-1);
  for (let s = 0; s < oId.length; s++) if (oId[s] !== -1) {
    const t = slotOf(oA[s], oB[s], oP[s]);
    keyA[t] = oA[s]; keyB[t] = oB[s]; keyP[t] = oP[s]; slotId[t] = oId[s];
  }
  const more = (old, n) => { const a = new Uint32Array(n); a.set(old); return a; };
  packets = more(packets, cap); fins = more(fins, cap * 2); rsts = more(rsts, cap * 2);
}

let frames = 0;
for (;;) {
  if (have - at < 16 && !fill() && have - at < 16) break;
  const incl = buf.readUInt32LE(at + 8);
  if (have - at < 16 + incl) {
    if (!fill()) break;
    continue;
  }
  let p = at + 16;
  at = p + incl;
  frames++;
  let type = buf.readUInt16BE(p + 12);
  p += 14;
  while (type === 0x8100 || type === 0x88a8) (type = buf.readUInt16BE(p + 2)), (p += 4);
  let a, b;
  if (type === 0x0800) {
    if (buf[p + 9] !== 6) continue;
    a = buf.readUInt32BE(p + 12);
    b = buf.readUInt32BE(p + 16);
    p += (buf[p] & 15) * 4;
  } else if (type === 0x86dd) {
    if (buf[p + 6] !== 6) continue;
    a = (buf.readUInt32BE(p + 8) ^ buf.readUInt32BE(p + 12) ^ buf.readUInt32BE(p + 16) ^ buf.readUInt32BE(p + 20)) >>> 0;
    b = (buf.readUInt32BE(p + 24) ^ buf.readUInt32BE(p + 28) ^ buf.readUInt32BE(p + 32) ^ buf.readUInt32BE(p + 36)) >>> 0;
    p += 40;
  } else continue;
  const sp = buf.readUInt16BE(p);
  const dp = buf.readUInt16BE(p + 2);
  const flags = buf[p + 13];
  // One key for both directions: the lower (address, port) first.
  const forward = a < b || (a === b && sp <= dp);
  const s = forward ? slotOf(a, b, ((sp << 16) | dp) >>> 0) : slotOf(b, a, ((dp << 16) | sp) >>> 0);
  let id = slotId[s];
  if (id === -1) {
    id = slotId[s] = used++;
    keyA[s] = forward ? a : b;
    keyB[s] = forward ? b : a;
    keyP[s] = forward ? ((sp << 16) | dp) >>> 0 : ((dp << 16) | sp) >>> 0;
    if (used * 2 > cap) grow();
  }
  packets[id]++;
  const side = id * 2 + (forward ? 0 : 1);
  if (flags & 1) fins[side]++;
  if (flags & 4) rsts[side]++;
}
closeSync(fd);

const lines = [];
for (let id = 0; id < used; id++) lines.push(`${id} ${packets[id]} fin ${fins[id * 2]}/${fins[id * 2 + 1]} rst ${rsts[id * 2]}/${rsts[id * 2 + 1]}`);
process.stdout.write(`${lines.join('\n')}\n${frames} frames, ${used} connections\n`);
