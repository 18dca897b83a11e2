/// <reference lib="webworker" />
/** The engine in a Web Worker: decoding and analysis never run on the page's thread. */
import { expose, transfer } from 'comlink';
import type { EngineApi } from '../engine/api';
import { createEngineSession } from '../engine/session';
import { flowBuffers } from '../model/flow-table';
import { nestedLogDecode } from './nested-log';

// Big firewall logs are decoded in a second Worker while this one pairs them (worker/nested-log.ts).
const session = createEngineSession({ decode: nestedLogDecode() ?? undefined });

// Typed arrays go back transferred (moved, not copied).
const api: EngineApi = {
  async load(inputs, options, onProgress, showRows) {
    const r = await session.load(inputs, options, onProgress, showRows);
    return transfer(r, [r.flows.kindCounts.buffer, r.flows.logEnds.buffer] as ArrayBuffer[]);
  },
  async flowRows(rows) {
    const w = await session.flowRows(rows);
    return transfer(w, flowBuffers(w));
  },
  cancel: () => session.cancel(),
  async query(q, upTo) {
    const rows = await session.query(q, upTo);
    return transfer(rows, [rows.buffer as ArrayBuffer]);
  },
  ladder: (req) => session.ladder(req),
  cleanCloseFor: (row) => session.cleanCloseFor(row),
  ladderAside: (inputs, options, kind) => session.ladderAside(inputs, options, kind),
  connectionsAside: (inputs, options) => session.connectionsAside(inputs, options),
  async triage(filter) {
    const v = await session.triage(filter);
    const t = v?.timeline;
    return v && t ? transfer(v, [t.denies.buffer, t.builds.buffer, t.teardowns.buffer, t.rows.buffer] as ArrayBuffer[]) : v;
  },
  denies: (q) => session.denies(q),
  report: () => session.report(),
  packetDetail: (row, packetIndex) => session.packetDetail(row, packetIndex),
  connectionTls: (row) => session.connectionTls(row),
  packetPage: (req) => session.packetPage(req),
  async packetBytes(row, packetIndex) {
    const r = await session.packetBytes(row, packetIndex);
    return r ? transfer(r, [r.bytes.buffer as ArrayBuffer]) : null;
  },
  async exportCapture(rows, pseudonyms) {
    const r = await session.exportCapture(rows, pseudonyms);
    return r ? transfer(r, [r.bytes.buffer as ArrayBuffer]) : null;
  },
};

expose(api);
