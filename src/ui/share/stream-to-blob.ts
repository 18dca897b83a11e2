/**
 * Reads a byte stream into a Blob without holding the whole body as chunks in the JavaScript heap: every `foldBytes`
 * the chunks read so far are folded into a Blob part. A browser keeps Blob data in its blob storage (outside the page's
 * heap, written to disk past its memory quota), so a page downloading a capture of gigabytes holds at most about
 * `foldBytes` of it in its own memory, and the worker then reads the Blob in slices like a dropped File.
 */
export const FOLD_BYTES = 8 << 20;

export interface StreamToBlobOptions {
  onBytes?: (received: number) => void;
  foldBytes?: number;
  /** For tests and the bench: the most bytes held as unfolded chunks at any time. */
  onPending?: (pendingBytes: number) => void;
}

export async function streamToBlob(reader: ReadableStreamDefaultReader<Uint8Array>, options: StreamToBlobOptions = {}): Promise<Blob> {
  const fold = options.foldBytes ?? FOLD_BYTES;
  const parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let received = 0;
  const flush = () => {
    if (!pending.length) return;
    parts.push(new Blob(pending as BlobPart[]));
    pending = [];
    pendingBytes = 0;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending.push(value);
    pendingBytes += value.length;
    received += value.length;
    options.onPending?.(pendingBytes);
    options.onBytes?.(received);
    if (pendingBytes >= fold) flush();
  }
  flush();
  return new Blob(parts);
}
