/**
 * The few platform globals the pure core may use, for its DOM-free type-check (tsconfig.core.json).
 * Each exists alike in browsers, Web Workers and Node; nothing DOM-only belongs here.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly pathname: string;
}
declare function queueMicrotask(callback: () => void): void;
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare const console: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
/** WebCrypto, the part src/tls uses (browsers, workers and Node 20 have globalThis.crypto.subtle). */
type BufferSource = ArrayBufferView | ArrayBuffer;
type KeyUsage = 'encrypt' | 'decrypt' | 'sign' | 'verify';
interface CryptoKey {
  readonly type: string;
}
interface SubtleCrypto {
  importKey(format: 'raw', keyData: BufferSource, algorithm: { name: string; hash?: string }, extractable: boolean, usages: KeyUsage[]): Promise<CryptoKey>;
  sign(algorithm: 'HMAC', key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  encrypt(algorithm: { name: string; iv: BufferSource }, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  decrypt(
    algorithm: { name: string; iv: BufferSource; additionalData?: BufferSource; tagLength?: number },
    key: CryptoKey,
    data: BufferSource,
  ): Promise<ArrayBuffer>;
}
declare var crypto: { readonly subtle: SubtleCrypto };
