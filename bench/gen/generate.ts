/**
 * Drives the generation: plans connections (arrival times as a Poisson process), shares the data
 * budget out by heavy-tailed weights so the file lands near the requested size, interleaves all
 * connections' packets in time order with a heap and streams them to the pcap writer.
 */
import { ConnHeap } from './heap';
import { Conn } from './conn';
import { HostPools } from './hosts';
import { KINDS } from './kinds';
import { connRng, drawKindAndWeight, makePlan } from './plan';
import { PcapOut } from './pcap-out';
import { Rng } from './prng';

export interface GenParams {
  mb: number;
  conns: number;
  seed: number;
}

export interface GenResult {
  bytes: number;
  packets: number;
  /** TCP payload bytes in the file (retransmissions included). */
  payloadBytes: number;
  connections: number;
  captureSeconds: number;
  byKind: Record<string, number>;
  /** Connections per close kind the analysis should report (see kinds.ts). */
  expectedByKind: Record<string, number>;
  ipv6: number;
  vlan: number;
  tls: number;
}

/** Bytes on disk per payload byte (headers, ACKs) and per connection (handshake, close, TLS setup). */
const PAYLOAD_FACTOR = 1.12;
const FIXED_PER_CONN = 3750;

export function generatePcap(path: string, p: GenParams, onProgress?: (bytes: number) => void): GenResult {
  const target = p.mb * 1024 * 1024;
  const n = p.conns;
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = drawKindAndWeight(connRng(p.seed, i)).weight;
    total += weights[i];
  }
  const budget = Math.max(n * 200, (target - 24 - n * FIXED_PER_CONN) / PAYLOAD_FACTOR);
  const perWeight = total > 0 ? budget / total : 0;
  if (process.env.BENCH_GEN_DEBUG) console.error({ budget, total });

  // Arrivals: a Poisson process over a capture of ~6 ms per connection (at least 20 s).
  const span = Math.max(20e6, n * 6000);
  const starts = new Float64Array(n);
  const tr = new Rng(p.seed, 0x7157);
  let t = Date.UTC(2024, 2, 5, 9, 0, 0) * 1000;
  for (let i = 0; i < n; i++) {
    t += tr.exp(span / n);
    starts[i] = Math.round(t);
  }

  const pools = new HostPools(p.seed);
  const out = new PcapOut(path);
  const heap = new ConnHeap();
  const byKind: Record<string, number> = {};
  const expectedByKind: Record<string, number> = {};
  let ipv6 = 0;
  let vlan = 0;
  let tls = 0;
  let next = 0;
  let lastT = 0;
  let reported = 0;
  for (;;) {
    const top = heap.peek();
    if (next < n && (top === undefined || starts[next] <= top.nextT)) {
      const plan = makePlan(p.seed, next, starts[next], weights[next] * perWeight, pools);
      const k = KINDS[plan.kind];
      byKind[k.name] = (byKind[k.name] ?? 0) + 1;
      expectedByKind[k.expect] = (expectedByKind[k.expect] ?? 0) + 1;
      if (plan.ipv6) ipv6++;
      if (plan.vlan) vlan++;
      if (plan.tls) tls++;
      const c = new Conn(plan);
      if (c.refill()) heap.push(c);
      next++;
      continue;
    }
    if (top === undefined) break;
    const pkt = top.q[top.qi++];
    lastT = pkt.t;
    out.write(top, pkt);
    if (top.qi < top.q.length || top.refill()) heap.siftDown();
    else heap.pop();
    if (onProgress && out.packets - reported >= 200_000) {
      reported = out.packets;
      onProgress(out.bytes);
    }
  }
  out.close();
  return {
    bytes: out.bytes,
    packets: out.packets,
    payloadBytes: out.payloadBytes,
    connections: n,
    captureSeconds: (lastT - starts[0]) / 1e6,
    byKind,
    expectedByKind,
    ipv6,
    vlan,
    tls,
  };
}
