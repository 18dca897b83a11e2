/** What the UI imports to talk to the engine worker. */
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi, InputSpec, LoadOptions, LoadProgress, LoadResult } from '../engine/api';

let remote: Remote<EngineApi> | null = null;

function engine(): Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'teardown-engine' });
    remote = wrap<EngineApi>(worker);
  }
  return remote;
}

export function loadInputs(inputs: InputSpec[], options: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
  return engine().load(inputs, options, proxy(onProgress)) as Promise<LoadResult>;
}

export const cancelLoad = () => engine().cancel();
export const queryFlows: EngineApi['query'] = (q) => engine().query(q);
export const fetchLadder: EngineApi['ladder'] = (req) => engine().ladder(req);
export const cleanCloseFor: EngineApi['cleanCloseFor'] = (row) => engine().cleanCloseFor(row);
export const ladderAside: EngineApi['ladderAside'] = (inputs, options, kind) => engine().ladderAside(inputs, options, kind);
export const connectionsAside: EngineApi['connectionsAside'] = (inputs, options) => engine().connectionsAside(inputs, options);
export const fullReport: EngineApi['report'] = () => engine().report();
export const exportCapture: EngineApi['exportCapture'] = (rows) => engine().exportCapture(rows);
/** Starts the worker now (its script is fetched once, with the page), so loading a file later makes no request at all. */
export const startEngine = (): void => void engine();
