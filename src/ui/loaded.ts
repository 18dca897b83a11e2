/** What the explorer shows: the engine's load result, the inputs it came from, and the example it was (if one). */
import type { InputSpec, LoadResult } from '../engine/api';
import type { Example } from './examples';

export interface Loaded {
  result: LoadResult;
  specs: InputSpec[];
  example: Example | null;
}
