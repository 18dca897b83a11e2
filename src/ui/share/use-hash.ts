/**
 * What the page's fragment asks for, beyond `#example=` (app.tsx) and `#lesson=` (lessons):
 *   s=...          a share link: the shared ladders are shown, no file needed (useSharedLink)
 *   capture=<URL>  fetch a published capture and load it like a dropped file (useHashCapture)
 * Both follow `hashchange`, so pasting a link into the same tab works too.
 */
import { createElement, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { InputSpec, LoadOptions } from '../../engine/api';
import { decodeShareFragment, type DecodedShare } from '../../share/link-codec';
import { parseHashParams } from '../../share/hash-params';
import { formatBytes } from '../../render/format';
import { streamToBlob } from './stream-to-blob';

export interface SharedLink {
  decoded: DecodedShare;
  /** Problems with other keys of the fragment. */
  problems: string[];
}

function readShared(): SharedLink | null {
  const decoded = decodeShareFragment(location.hash);
  return decoded ? { decoded, problems: parseHashParams(location.hash, location.href).problems } : null;
}

/** The share link in the fragment (null when there is none) and a way to leave it. */
export function useSharedLink(): [SharedLink | null, () => void] {
  const [shared, setShared] = useState<SharedLink | null>(readShared);
  useEffect(() => {
    const on = () => setShared(readShared());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const leave = useCallback(() => {
    history.replaceState(null, '', location.pathname + location.search);
    setShared(null);
  }, []);
  return [shared, leave];
}

type Fetching = { url: string; received: number; total: number } | { error: string } | null;

/**
 * The file name a capture URL gives (its last path segment, percent-decoded), checked before anything is downloaded:
 * a bad percent-encoding ("a%ZZ.pcap") is refused at once instead of after the whole download.
 */
export function captureFileName(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last) || 'capture';
  } catch {
    throw new Error(`Could not fetch ${url}: its file name "${last.slice(0, 80)}" is not valid percent-encoding`);
  }
}

/** Fetches a capture with CORS, reporting bytes as they come. */
export async function fetchCapture(url: string, onBytes: (received: number, total: number) => void, signal?: AbortSignal): Promise<InputSpec> {
  const name = captureFileName(url);
  let res: Response;
  try {
    res = await fetch(url, { mode: 'cors', credentials: 'omit', signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new Error(
      `Could not fetch ${url}: the server is unreachable, or it does not allow other sites to read the file (it must send Access-Control-Allow-Origin).`,
    );
  }
  if (!res.ok) throw new Error(`Could not fetch ${url}: HTTP ${res.status} ${res.statusText}`.trim());
  const total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body?.getReader();
  if (!reader) {
    const blob = await res.blob();
    onBytes(blob.size, total);
    return { kind: 'blob', name, blob };
  }
  // Folded into Blob parts as it comes: the page never holds the whole capture in its own heap.
  const blob = await streamToBlob(reader, { onBytes: (received) => onBytes(received, total) });
  return { kind: 'blob', name, blob };
}

/**
 * `#capture=<URL>` (repeatable): fetches the captures and hands them to `analyze` like dropped
 * files. Returns a status line to show (fetching, or what went wrong), or null.
 */
export function useHashCapture(analyze: (specs: InputSpec[], options: LoadOptions) => Promise<void> | void): ReactNode {
  const [state, setState] = useState<Fetching>(null);
  const run = useRef(analyze);
  run.current = analyze;
  useEffect(() => {
    let abort: AbortController | null = null;
    const start = async () => {
      const { captureUrls, problems } = parseHashParams(location.hash, location.href);
      if (!captureUrls.length) {
        // The address no longer asks for a capture: a download still running is stopped.
        if (abort) {
          abort.abort();
          abort = null;
          setState(null);
        }
        if (problems.some((p) => p.startsWith('capture'))) setState({ error: problems.filter((p) => p.startsWith('capture')).join('; ') });
        return;
      }
      abort?.abort();
      const mine = (abort = new AbortController());
      try {
        const specs: InputSpec[] = [];
        for (const url of captureUrls) {
          setState({ url, received: 0, total: 0 });
          specs.push(await fetchCapture(url, (received, total) => setState({ url, received, total }), mine.signal));
        }
        setState(null);
        await run.current(specs, {});
      } catch (e) {
        if ((e as Error).name !== 'AbortError') setState({ error: (e as Error).message });
      }
    };
    void start();
    const on = () => void start();
    window.addEventListener('hashchange', on);
    return () => {
      window.removeEventListener('hashchange', on);
      abort?.abort();
    };
  }, []);
  if (!state) return null;
  if ('error' in state) return createElement('div', { className: 'banner error', role: 'alert', 'data-testid': 'capture-error' }, state.error);
  const pct = state.total ? ` (${Math.round((100 * state.received) / state.total)}%)` : '';
  return createElement(
    'div',
    { className: 'banner', role: 'status', 'data-testid': 'capture-progress' },
    `Fetching ${state.url}: ${formatBytes(state.received)}${state.total ? ` of ${formatBytes(state.total)}` : ''}${pct}`,
  );
}
