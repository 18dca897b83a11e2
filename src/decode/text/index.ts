/**
 * The text inputs: ASA/FTD syslog (-> firewall events), ASA `show capture` and tcpdump -n text (-> TCP segments).
 * decode/index.ts sniffs with decode/formats.ts (sniffTextFormat: each text decoder's own vote) and decodes with
 * the format's registry entry; decodeTextInput does the same for a format named by the caller (tests, benches).
 * Never throws: a read failure becomes an error naming the file, after what was decoded.
 */
import type { ByteSource } from '../../lib/byte-source';
import type { InputFormat, InputReport } from '../../model/report';
import { formatEntry } from '../formats';
import type { DecodeOptions, InputSinks } from '../types';

export { dateFromFirewallEvents } from '../../model/firewall';

export async function decodeTextInput(
  format: InputFormat,
  source: ByteSource,
  input: number,
  sinks: InputSinks,
  options: DecodeOptions,
  report: InputReport,
): Promise<void> {
  const entry = formatEntry(format);
  if (entry?.sniff && entry.decode) await entry.decode(source, input, sinks, options, report);
  else options.problems.error(`not a text format Teardown reads: ${format}`, { line: 1 });
}
