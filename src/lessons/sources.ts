/**
 * Inline lesson captures: standard base64 (RFC 4648 §4) to bytes, without DOM atob, so the core
 * stays pure. Fetching captures given by URL is the caller's job (browser fetch, or fs in tests).
 */
import { decodeBase64url } from '../lib/base64url';

/** Standard base64 (whitespace allowed) to bytes; null when a character is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  // The base64url decoder takes the standard alphabet (+ /) and trailing padding as well.
  return decodeBase64url(text.replace(/\s+/g, ''));
}
