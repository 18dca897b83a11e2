/** Built-in examples, listed in public/examples/index.json and fetched from the site itself. */
import type { InputSpec, LoadOptions } from '../engine/api';

export interface Example {
  key: string;
  title: string;
  description: string;
  /** Paths relative to examples/. */
  files: string[];
  options?: LoadOptions;
  /** Open the most telling connection beside the nearest clean close right away. */
  compareClean?: boolean;
  /** Files holding a clean close to compare with when a capture has none of its own. */
  clean?: string[];
}

const base = () => new URL('examples/', document.baseURI).href;

export async function listExamples(): Promise<Example[]> {
  const res = await fetch(`${base()}index.json`);
  if (!res.ok) throw new Error(`examples/index.json: HTTP ${res.status}`);
  return (await res.json()) as Example[];
}

/** Fetches an example's files as Blobs (read by the worker in slices like any dropped file). */
export async function exampleInputs(ex: Example, only?: string[]): Promise<InputSpec[]> {
  const files = only ? ex.files.filter((f) => only.includes(f)) : ex.files;
  return Promise.all(
    files.map(async (path) => {
      const res = await fetch(base() + path);
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      const name = path.split('/').pop()!;
      return { kind: 'blob' as const, name, blob: await res.blob() };
    }),
  );
}
