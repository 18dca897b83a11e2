/**
 * Everything decided about one connection before its packets are made: endpoints, TCP options,
 * timing, what is exchanged and how it ends. Drawn from a per-connection Rng so connection i is the
 * same whatever the interleaving; the first two draws (kind, volume weight) are also made up front
 * by `sizeWeights` to share the data budget out.
 */
import { Rng } from './prng';
import { K, KINDS, KIND_TOTAL, KIND_WEIGHTS } from './kinds';
import { HostPools, type Client, type Server } from './hosts';
import { HTTP_REQUEST, httpResponse, SSH_BANNER, StreamContent, TLS12, TLS13, type TlsTemplate } from './content';

export type OptStyle = 0 | 1 | 2; // 0 linux (mss,sack,ts,ws), 1 windows (mss,ws,sack), 2 bare (mss)

export interface Exchange {
  /** Which side sends: 0 client, 1 server. */
  dir: number;
  bytes: number;
  /** Think time before the first byte, µs. */
  thinkUs: number;
}

export interface ConnPlan {
  index: number;
  kind: number;
  startUs: number;
  ipv6: boolean;
  vlan: number; // 0 = untagged
  client: Client;
  server: Server;
  clientPort: number;
  tls: 0 | 12 | 13;
  style: [OptStyle, OptStyle];
  mss: [number, number];
  /** Receive buffer each side advertises (bytes) and its window-scale shift. */
  rcvBuf: [number, number];
  wscale: [number, number];
  rttUs: number; // capture point <-> client and back
  srvUs: number; // capture point <-> server and back
  usPerByte: number;
  steps: Exchange[];
  content: [StreamContent, StreamContent];
  /** Close initiator (0 client / 1 server) for kinds that have one. */
  initiator: number;
  /** Which sides send a TLS alert (type 21) before their FIN. */
  alert: [boolean, boolean];
  lossPerRound: number;
  zeroWindow: boolean;
  synRetx: boolean;
  midstream: boolean;
  /** abort-mid-transfer: index of the step and offset within it where the RST comes, and who sends it. */
  abortStep: number;
  abortAt: number;
  abortBy: number;
  /** late-rst: delay after the close and who sends it. */
  lateRstUs: number;
  lateRstBy: number;
  /** refused: SYN/RST rounds (Windows retries twice); unanswered: SYNs sent. */
  synTries: number;
  isn: [number, number];
}

const LOG_SIGMA = 1.9;

/** First draws of connection i: its kind and its share weight of the data volume (0 for no data). */
export function drawKindAndWeight(r: Rng): { kind: number; weight: number } {
  const kind = r.weighted(KIND_WEIGHTS, KIND_TOTAL);
  const w = Math.exp(LOG_SIGMA * r.normal());
  return { kind, weight: KINDS[kind].data ? (kind === K.abortMid ? w * 0.5 : w) : 0 };
}

export function connRng(seed: number, index: number): Rng {
  return new Rng(seed ^ Math.imul(index + 1, 0x9e3779b1), index);
}

function rcvBufFor(style: OptStyle, r: Rng): number {
  if (style === 2) return r.pick([8192, 16384, 65535]);
  return r.pick([65536, 131072, 262144, 524288, 1048576, 3145728]);
}

export function makePlan(
  seed: number,
  index: number,
  startUs: number,
  serverBytes: number,
  pools: HostPools,
): ConnPlan {
  const r = connRng(seed, index);
  const { kind } = drawKindAndWeight(r);
  const ipv6 = r.chance(0.15);
  const servers = ipv6 ? pools.v6Servers : pools.v4Servers;
  const clients = ipv6 ? pools.v6Clients : pools.v4Clients;
  const server = servers[Math.floor(servers.length * r.float() ** 2)];
  const client = clients[r.int(0, clients.length - 1)];
  const clientPort = HostPools.takePort(client, r);
  const vlan = r.chance(0.2) ? 100 + 10 * r.int(0, 3) : 0;
  const tls: 0 | 12 | 13 = server.port === 443 || server.port === 8443 ? (r.chance(0.4) ? 12 : 13) : 0;

  const cs = r.float();
  const style: [OptStyle, OptStyle] = [cs < 0.72 ? 0 : cs < 0.95 ? 1 : 2, r.chance(0.93) ? 0 : 1];
  const baseMss = ipv6 ? 1440 : 1460;
  const mss: [number, number] = [r.chance(0.1) ? baseMss - r.pick([80, 100, 120]) : baseMss, r.chance(0.05) ? 1380 : baseMss];
  const rcvBuf: [number, number] = [rcvBufFor(style[0], r), rcvBufFor(style[1], r)];
  const wscale: [number, number] = [style[0] === 2 ? -1 : r.pick([7, 8, 9]), style[1] === 2 ? -1 : r.pick([7, 9, 10])];
  const rttUs = Math.round(Math.min(300_000, Math.max(300, Math.exp(Math.log(25_000) + 1.0 * r.normal()))));
  const srvUs = r.int(40, 400);
  const mbps = r.pick([20, 50, 100, 200, 500, 1000]);
  const usPerByte = 8 / mbps;

  const midstream = KINDS[kind].data && kind !== K.halfClosed && r.chance(0.01);
  const tpl: TlsTemplate | null = tls === 12 ? TLS12 : tls === 13 ? TLS13 : null;
  const http = !tls && server.port === 80;
  const upload = !http && r.chance(0.05);

  // Stream layout: handshake prefixes then requests/responses.
  const steps: Exchange[] = [];
  const nDraw = Math.min(20, 1 + Math.floor(r.exp(1.2)));
  // Plain HTTP: one request and one response with Content-Length, "Connection: close".
  const n = KINDS[kind].data ? (http ? 1 : nDraw) : 0;
  // Record size: what a server would use for responses of this size (whole records only).
  const meanResp = serverBytes / Math.max(1, n);
  const bodies = [16384, 8192, 4096, 1400, 512].filter((b) => b <= Math.max(512, meanResp));
  const recBody: [number, number] = tls ? [r.int(200, 1200), bodies[r.int(0, Math.min(1, bodies.length - 1))]] : [0, 0];
  let prefix: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  let pendingClient = 0;
  if (tpl && !midstream) {
    prefix = [tpl.client, tpl.server];
    steps.push({ dir: 0, bytes: tpl.clientFirst, thinkUs: r.int(50, 600) });
    steps.push({ dir: 1, bytes: tpl.serverFirst, thinkUs: r.int(100, 3000) });
    if (tpl.serverSecond > 0) {
      steps.push({ dir: 0, bytes: tpl.clientSecond, thinkUs: r.int(200, 2000) });
      steps.push({ dir: 1, bytes: tpl.serverSecond, thinkUs: r.int(50, 500) });
    } else {
      pendingClient = tpl.clientSecond; // TLS 1.3: the client Finished goes with the first request
    }
  } else if (!tls && !midstream) {
    if (http) prefix = [HTTP_REQUEST, httpResponse(Math.max(1, Math.round(serverBytes)))];
    if (server.port === 22) {
      prefix = [SSH_BANNER, SSH_BANNER];
      steps.push({ dir: 1, bytes: SSH_BANNER.length, thinkUs: r.int(500, 5000) });
      steps.push({ dir: 0, bytes: SSH_BANNER.length, thinkUs: r.int(100, 2000) });
    }
  }

  if (KINDS[kind].data) {
    const shares: number[] = [];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const s = 0.2 + r.float();
      shares.push(s);
      sum += s;
    }
    for (let i = 0; i < n; i++) {
      let big = Math.max(1, Math.round((serverBytes * shares[i]) / sum));
      let small = r.int(150, 900);
      if (tls) {
        big = Math.max(1, Math.round(big / (recBody[1] + 5))) * (recBody[1] + 5);
        small = r.int(1, 2) * (recBody[0] + 5);
      }
      const first = i === 0;
      let req = (upload ? big : small) + (first ? pendingClient : 0);
      let resp = upload ? small : big;
      if (http && !midstream) {
        req = HTTP_REQUEST.length;
        resp = prefix[1].length + Math.max(1, Math.round(serverBytes));
      }
      steps.push({ dir: 0, bytes: req, thinkUs: first ? r.int(50, 1000) : Math.round(r.exp(300_000)) });
      steps.push({ dir: 1, bytes: resp, thinkUs: Math.round(r.exp(tls ? 8000 : 4000)) });
    }
  }

  const salt0 = r.u32();
  const salt1 = r.u32();
  const content: [StreamContent, StreamContent] = [
    new StreamContent(prefix[0], recBody[0], -1, salt0 & ~1),
    new StreamContent(prefix[1], recBody[1], -1, salt1 & ~1),
  ];

  let initiator = 0;
  if (kind === K.cleanServer) initiator = 1;
  else if (kind === K.finThenRst || kind === K.finRstTogether) initiator = r.chance(0.8) ? 1 : 0;
  else if (kind === K.lateRst || kind === K.simultaneous) initiator = r.int(0, 1);
  const closing = kind <= K.lateRst;
  const alerts = tls === 12 && closing && kind !== K.finThenRst && kind !== K.finRstTogether;
  const alert: [boolean, boolean] = [false, false];
  if (alerts && r.chance(0.6)) {
    alert[initiator] = true;
    if (r.chance(0.3)) alert[1 - initiator] = true;
  }

  // Abort somewhere inside the largest transfer of the connection.
  let abortStep = -1;
  let abortAt = 0;
  if (kind === K.abortMid) {
    let best = -1;
    for (let i = 0; i < steps.length; i++) if (best < 0 || steps[i].bytes > steps[best].bytes) best = i;
    abortStep = best;
    abortAt = Math.floor(steps[best].bytes * (0.1 + 0.8 * r.float()));
  }

  return {
    index,
    kind,
    startUs,
    ipv6,
    vlan,
    client,
    server,
    clientPort,
    tls,
    style,
    mss,
    rcvBuf,
    wscale,
    rttUs,
    srvUs,
    usPerByte,
    steps,
    content,
    initiator,
    alert,
    lossPerRound: r.chance(0.15) ? 0.25 : 0,
    zeroWindow: r.chance(0.03),
    synRetx: r.chance(0.02),
    midstream,
    abortStep,
    abortAt,
    abortBy: r.int(0, 1),
    lateRstUs: r.int(200_000, 5_000_000),
    lateRstBy: r.chance(0.7) ? 1 : 0,
    synTries: kind === K.refused ? (r.chance(0.3) ? 3 : 1) : kind === K.unanswered ? r.int(2, 4) : 1,
    // A few ISNs close to 2^32 so sequence wrap-around happens inside the connection.
    isn: [r.chance(0.02) ? 0xffffffff - r.int(0, 200_000) : r.u32(), r.u32()],
  };
}
