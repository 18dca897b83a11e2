/**
 * Key derivation on WebCrypto's HMAC (globalThis.crypto.subtle: Node 20 and the worker): the TLS 1.2 PRF
 * (RFC 5246 §5, P_hash) for the key block, and TLS 1.3's HKDF-Expand-Label (RFC 8446 §7.1, RFC 5869 §2.3) for
 * traffic keys and IVs. The key log gives the master / traffic secrets, so no key exchange is redone here.
 */
import { ascii, concat } from './bytes';
import type { Hash } from './suites';

const subtle = () => globalThis.crypto.subtle;

async function hmacKey(secret: Uint8Array, hash: string): Promise<CryptoKey> {
  return subtle().importKey('raw', secret as BufferSource, { name: 'HMAC', hash }, false, ['sign']);
}

export async function hmac(secret: Uint8Array, hash: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', await hmacKey(secret, hash), data as BufferSource));
}

/** TLS 1.2 PRF(secret, label, seed) truncated to `length` bytes. */
export async function prf12(secret: Uint8Array, label: string, seed: Uint8Array, length: number, hash: Hash): Promise<Uint8Array> {
  const key = await hmacKey(secret, hash);
  const sign = async (d: Uint8Array) => new Uint8Array(await subtle().sign('HMAC', key, d as BufferSource));
  const s = concat(ascii(label), seed);
  const out = new Uint8Array(length);
  let a = s;
  let o = 0;
  while (o < length) {
    a = await sign(a);
    const block = await sign(concat(a, s));
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

/** HKDF-Expand-Label(secret, label, context, length) with the "tls13 " prefix. */
export async function expandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number, hash: Hash): Promise<Uint8Array> {
  const full = ascii('tls13 ' + label);
  const info = concat(new Uint8Array([length >> 8, length & 0xff, full.length]), full, new Uint8Array([context.length]), context);
  const key = await hmacKey(secret, hash);
  const out = new Uint8Array(length);
  let t = new Uint8Array(0);
  let o = 0;
  for (let i = 1; o < length; i++) {
    t = new Uint8Array(await subtle().sign('HMAC', key, concat(t, info, new Uint8Array([i])) as BufferSource));
    out.set(t.subarray(0, Math.min(t.length, length - o)), o);
    o += t.length;
  }
  return out;
}
