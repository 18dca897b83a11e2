/**
 * Which format an input is, from its first bytes only (never its name): gzip magic 1f 8b, pcap
 * magics (either byte order, µs/ns/Kuznetzov), pcapng SHB with a valid byte-order magic; text
 * formats are asked of the text decoders afterwards (decode/index.ts).
 */
import { hexBytes } from '../lib/bytes';
import { isGzip } from '../lib/gzip-source';
import { isPcapng } from './pcapng';
import { pcapMagic } from './pcap';

export type BinaryFormat = 'gzip' | 'pcap' | 'pcapng';

/** Bytes of the head read for sniffing. */
export const SNIFF_BYTES = 4096;

export function sniffBinary(head: Uint8Array): BinaryFormat | null {
  if (isGzip(head)) return 'gzip';
  if (pcapMagic(head)) return 'pcap';
  if (isPcapng(head)) return 'pcapng';
  return null;
}

/** The message for an input that is no format Teardown reads. */
export function unknownFormatMessage(head: Uint8Array): string {
  if (head.length === 0) return 'not a capture or log Teardown can read: the input is empty';
  return `not a capture or log Teardown can read: starts with bytes ${hexBytes(head, 8)}${head.length > 8 ? ' ...' : ''}`;
}
