/** What the UI imports to talk to the engine worker. */
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi, InputSpec, LoadOptions, LoadProgress, LoadResult } from '../engine/api';

let remote: Remote<EngineApi> | null = null;
/** Rejects when the worker dies (script failed to load, out of memory): calls in flight settle instead of hanging. */
let crashed: Promise<never> = new Promise(() => {});

function engine(): Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'teardown-engine' });
    let fail: (e: Error) => void = () => {};
    crashed = new Promise<never>((_, reject) => (fail = reject));
    crashed.catch(() => {}); // observed through guard(); never an unhandled rejection
    const die = (what: string) => {
      worker.terminate();
      remote = null; // the next call starts a fresh worker
      fail(new Error(`The analysis engine stopped (${what}); load the files again to retry.`));
    };
    worker.addEventListener('error', (e) => die(e.message || 'it crashed or ran out of memory'));
    worker.addEventListener('messageerror', () => die('a message could not be read'));
    remote = wrap<EngineApi>(worker);
  }
  return remote;
}

function guard<T>(call: (e: Remote<EngineApi>) => Promise<T>): Promise<T> {
  const e = engine();
  return Promise.race([call(e), crashed]);
}

/** `showRows`: the table's queries answer the rows of a firewall log as they come (EngineApi.load). */
export function loadInputs(inputs: InputSpec[], options: LoadOptions, onProgress: (p: LoadProgress) => void, showRows = false): Promise<LoadResult> {
  return guard((e) => e.load(inputs, options, proxy(onProgress), showRows) as Promise<LoadResult>);
}

export const cancelLoad = () => guard((e) => e.cancel());
export const queryFlows: EngineApi['query'] = (q, upTo) => guard((e) => e.query(q, upTo));
export const fetchFlowRows: EngineApi['flowRows'] = (rows) => guard((e) => e.flowRows(rows));
export const fetchLadder: EngineApi['ladder'] = (req) => guard((e) => e.ladder(req));
export const cleanCloseFor: EngineApi['cleanCloseFor'] = (row) => guard((e) => e.cleanCloseFor(row));
export const ladderAside: EngineApi['ladderAside'] = (inputs, options, kind) => guard((e) => e.ladderAside(inputs, options, kind));
export const connectionsAside: EngineApi['connectionsAside'] = (inputs, options) => guard((e) => e.connectionsAside(inputs, options));
export const fetchTriage: EngineApi['triage'] = (filter) => guard((e) => e.triage(filter));
export const fetchDenies: EngineApi['denies'] = (q) => guard((e) => e.denies(q));
export const fullReport: EngineApi['report'] = () => guard((e) => e.report());
export const exportCapture: EngineApi['exportCapture'] = (rows, pseudonyms) => guard((e) => e.exportCapture(rows, pseudonyms));
export const packetDetail: EngineApi['packetDetail'] = (row, index) => guard((e) => e.packetDetail(row, index));
export const packetPage: EngineApi['packetPage'] = (req) => guard((e) => e.packetPage(req));
export const packetBytes: EngineApi['packetBytes'] = (row, index) => guard((e) => e.packetBytes(row, index));
export const connectionTls: EngineApi['connectionTls'] = (row) => guard((e) => e.connectionTls(row));
/** Starts the worker now (its script is fetched once, with the page), so loading a file later makes no request at all. */
export const startEngine = (): void => void engine();
