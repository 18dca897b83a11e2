/**
 * The cipher suites Teardown decrypts (IANA TLS Cipher Suites registry): AEAD suites (AES-GCM, ChaCha20-Poly1305)
 * for TLS 1.2 and 1.3, and TLS 1.2 AES-CBC suites with HMAC-SHA1/SHA256/SHA384.
 */
export type Cipher = 'aes-gcm' | 'chacha20-poly1305' | 'aes-cbc';
export type Hash = 'SHA-256' | 'SHA-384';

export interface Suite {
  name: string;
  cipher: Cipher;
  keyLength: number;
  /** PRF / HKDF hash. */
  hash: Hash;
  /** CBC suites: the record MAC's hash and key length. */
  mac?: 'SHA-1' | 'SHA-256' | 'SHA-384';
  macLength?: number;
}

const gcm = (name: string, keyLength: number, hash: Hash): Suite => ({ name, cipher: 'aes-gcm', keyLength, hash });
const chacha = (name: string): Suite => ({ name, cipher: 'chacha20-poly1305', keyLength: 32, hash: 'SHA-256' });
const cbc = (name: string, keyLength: number, mac: 'SHA-1' | 'SHA-256' | 'SHA-384'): Suite => ({
  name, cipher: 'aes-cbc', keyLength, hash: mac === 'SHA-384' ? 'SHA-384' : 'SHA-256', mac,
  macLength: mac === 'SHA-1' ? 20 : mac === 'SHA-256' ? 32 : 48,
});

export const SUITES: ReadonlyMap<number, Suite> = new Map<number, Suite>([
  [0x1301, gcm('TLS_AES_128_GCM_SHA256', 16, 'SHA-256')],
  [0x1302, gcm('TLS_AES_256_GCM_SHA384', 32, 'SHA-384')],
  [0x1303, chacha('TLS_CHACHA20_POLY1305_SHA256')],
  [0xc02f, gcm('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 16, 'SHA-256')],
  [0xc02b, gcm('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 16, 'SHA-256')],
  [0x009c, gcm('TLS_RSA_WITH_AES_128_GCM_SHA256', 16, 'SHA-256')],
  [0x009e, gcm('TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 16, 'SHA-256')],
  [0xc030, gcm('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 32, 'SHA-384')],
  [0xc02c, gcm('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 32, 'SHA-384')],
  [0x009d, gcm('TLS_RSA_WITH_AES_256_GCM_SHA384', 32, 'SHA-384')],
  [0x009f, gcm('TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 32, 'SHA-384')],
  [0xcca8, chacha('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256')],
  [0xcca9, chacha('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256')],
  [0xccaa, chacha('TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256')],
  [0xc013, cbc('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 16, 'SHA-1')],
  [0xc014, cbc('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 32, 'SHA-1')],
  [0xc009, cbc('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 16, 'SHA-1')],
  [0xc00a, cbc('TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 32, 'SHA-1')],
  [0x002f, cbc('TLS_RSA_WITH_AES_128_CBC_SHA', 16, 'SHA-1')],
  [0x0035, cbc('TLS_RSA_WITH_AES_256_CBC_SHA', 32, 'SHA-1')],
  [0x0033, cbc('TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 16, 'SHA-1')],
  [0x0039, cbc('TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 32, 'SHA-1')],
  [0xc027, cbc('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 16, 'SHA-256')],
  [0xc023, cbc('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 16, 'SHA-256')],
  [0x003c, cbc('TLS_RSA_WITH_AES_128_CBC_SHA256', 16, 'SHA-256')],
  [0x003d, cbc('TLS_RSA_WITH_AES_256_CBC_SHA256', 32, 'SHA-256')],
  [0x0067, cbc('TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 16, 'SHA-256')],
  [0x006b, cbc('TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 32, 'SHA-256')],
  [0xc028, cbc('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 32, 'SHA-384')],
  [0xc024, cbc('TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 32, 'SHA-384')],
]);
