/**
 * The head read to tell an input's format from its first bytes only (never its name): gzip (lib/gzip-source.ts
 * isGzip), then the registry's magic numbers and text sniffs (decode/formats.ts); and the message when none fits.
 */
import { hexBytes } from '../lib/bytes';

/** Bytes of the head read for sniffing. */
export const SNIFF_BYTES = 4096;

/** The message for an input that is no format Teardown reads. */
export function unknownFormatMessage(head: Uint8Array): string {
  if (head.length === 0) return 'not a capture or log Teardown can read: the input is empty';
  return `not a capture or log Teardown can read: starts with bytes ${hexBytes(head, 8)}${head.length > 8 ? ' ...' : ''}`;
}
