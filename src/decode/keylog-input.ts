/**
 * TLS key log inputs (NSS SSLKEYLOGFILE format): recognised from content (the first line that is not a comment is
 * `LABEL <64 hex> <hex>` with a key log label), read whole (at most MAX_KEYLOG bytes) and handed to the secrets sink;
 * the engine keeps the secrets (src/tls/keylog.ts) and never puts them in a report. The input report counts the
 * secret lines as its "packets".
 */
import type { ByteSource } from '../lib/byte-source';
import type { InputReport } from '../model/report';
import type { DecodeOptions, InputSinks } from './types';

const MAX_KEYLOG = 64 * 1024 * 1024;
const LABELS = /^(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET|EARLY_EXPORTER_SECRET|CLIENT_EARLY_TRAFFIC_SECRET) [0-9a-fA-F]{64} [0-9a-fA-F]{32,}/;

export function isKeyLog(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 4096));
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    return LABELS.test(line);
  }
  return false;
}

export async function decodeKeyLog(source: ByteSource, sinks: InputSinks, options: DecodeOptions, report: InputReport): Promise<void> {
  const size = source.size ?? MAX_KEYLOG;
  const bytes = await source.read(0, Math.min(size, MAX_KEYLOG));
  report.bytes = bytes.length;
  if (bytes.length >= MAX_KEYLOG) options.problems.warn(`key log larger than ${MAX_KEYLOG} bytes: the rest is not read`, { offset: MAX_KEYLOG });
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const got = sinks.secrets ? sinks.secrets(text) : { secrets: 0, badLine: 0 };
  report.packets = got.secrets;
  if (got.badLine) options.problems.warn(`line ${got.badLine} is not a key log line (LABEL, 64 hex digits, secret); skipped`, { line: got.badLine });
}
