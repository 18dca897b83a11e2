/**
 * The text inputs: ASA/FTD syslog (-> firewall events), ASA `show capture` and tcpdump -n text (-> TCP segments).
 * decode/index.ts sniffs with decode/formats.ts (sniffTextFormat) and hands the input to decodeTextInput. Never throws: a read
 * failure (e.g. a damaged gzip stream underneath) becomes an error naming the file, after what was decoded.
 */
import type { ByteSource } from '../../lib/byte-source';
import type { InputFormat, InputReport } from '../../model/report';
import type { DecodeOptions, InputSinks } from '../types';
import { decodeSyslog } from './syslog';
import { decodeTextCapture } from './text-capture';

export { dateFromFirewallEvents } from '../../model/firewall';

export async function decodeTextInput(
  format: InputFormat,
  source: ByteSource,
  input: number,
  sinks: InputSinks,
  options: DecodeOptions,
  report: InputReport,
): Promise<void> {
  try {
    if (format === 'asa-syslog') await decodeSyslog(source, input, sinks, options, report);
    else if (format === 'asa-show-capture') await decodeTextCapture(source, input, sinks, options, report, false);
    else if (format === 'tcpdump-text') await decodeTextCapture(source, input, sinks, options, report, true);
    else options.problems.error(`not a text format Teardown reads: ${format}`, { line: 1 });
  } catch (e) {
    const where = (e as { decompressedOffset?: number })?.decompressedOffset;
    options.problems.error(`could not read the whole input: ${(e as Error)?.message ?? String(e)}; kept what came before`, {
      offset: where ?? report.bytes,
    });
  }
}
