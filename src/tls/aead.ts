/**
 * The record ciphers: AES-GCM and AES-CBC from WebCrypto, ChaCha20-Poly1305 from @noble/ciphers (audited; WebCrypto
 * has no ChaCha). Each returns the plaintext, or null when the key, nonce or tag does not fit (wrong key or record
 * number): a failed decryption is an answer here, never an exception.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { Cipher } from './suites';

const subtle = () => globalThis.crypto.subtle;

export interface RecordKey {
  cipher: Cipher;
  raw: Uint8Array;
  /** WebCrypto key, imported once. */
  key?: CryptoKey;
}

export async function makeKey(cipher: Cipher, raw: Uint8Array): Promise<RecordKey> {
  if (cipher === 'chacha20-poly1305') return { cipher, raw };
  const name = cipher === 'aes-gcm' ? 'AES-GCM' : 'AES-CBC';
  const usages: KeyUsage[] = cipher === 'aes-gcm' ? ['decrypt'] : ['decrypt', 'encrypt'];
  return { cipher, raw, key: await subtle().importKey('raw', raw as BufferSource, { name }, false, usages) };
}

/** AEAD open: ciphertext with its 16-byte tag at the end. */
export async function aeadOpen(k: RecordKey, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array | null> {
  if (sealed.length < 16) return null;
  try {
    if (k.cipher === 'chacha20-poly1305') return chacha20poly1305(k.raw, nonce, aad).decrypt(sealed);
    const out = await subtle().decrypt({ name: 'AES-GCM', iv: nonce as BufferSource, additionalData: aad as BufferSource, tagLength: 128 }, k.key!, sealed as BufferSource);
    return new Uint8Array(out);
  } catch {
    return null;
  }
}

/**
 * AES-CBC without padding removal (TLS pads its own way, RFC 5246 §6.2.3.2, which WebCrypto's PKCS#7 check rejects):
 * one more block is appended that decrypts to a full PKCS#7 padding block, made by encrypting sixteen 0x10 bytes
 * chained on the last ciphertext block; WebCrypto then strips exactly that block and returns the record's own bytes.
 */
export async function cbcDecryptRaw(k: RecordKey, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array | null> {
  if (data.length === 0 || data.length % 16 !== 0) return null;
  try {
    const last = data.subarray(data.length - 16);
    const pad = new Uint8Array(16).fill(16);
    const extra = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: last as BufferSource }, k.key!, pad as BufferSource)).subarray(0, 16);
    const all = new Uint8Array(data.length + 16);
    all.set(data);
    all.set(extra, data.length);
    return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: iv as BufferSource }, k.key!, all as BufferSource));
  } catch {
    return null;
  }
}
