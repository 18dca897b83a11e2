/** What the explorer shows: the engine's load result, the inputs it came from (with their options), and the example it was (if one). */
import type { InputSpec, LoadOptions, LoadResult } from '../engine/api';
import type { Example } from './examples';

export interface Loaded {
  result: LoadResult;
  specs: InputSpec[];
  example: Example | null;
  /** The options it was read with (files added to it are read with them too). */
  options: LoadOptions;
  /** Rows of a load still running (ui/live-table.ts): the result has no inputs yet, the rows are those read so far. */
  live?: boolean;
  /** The same for the tables of one log's load, as it is read and once loaded: their rows are the same connections. */
  rowsKey?: number;
}
