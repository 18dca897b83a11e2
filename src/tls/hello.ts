/**
 * The hello messages' facts decryption needs (RFC 5246 §7.4.1, RFC 8446 §4.1.2-4.1.3): the client random, and from the
 * ServerHello the server random, the cipher suite, the version (supported_versions overrides the legacy field) and
 * whether encrypt_then_mac (RFC 7366) was agreed. Bounds are checked on every read: a short body gives null.
 */
export interface ServerHello {
  random: Uint8Array;
  version: number;
  suite: number;
  encryptThenMac: boolean;
}

/** HelloRetryRequest's fixed "random" (RFC 8446 §4.1.3), first bytes: a retry, not the ServerHello that counts. */
const HRR_PREFIX = [0xcf, 0x21, 0xad, 0x74];

/** Client random of a ClientHello handshake message (type byte first), or null. */
export function clientRandom(msg: Uint8Array): Uint8Array | null {
  if (msg.length < 4 + 2 + 32 || msg[0] !== 1) return null;
  return msg.slice(6, 38);
}

export function parseServerHello(msg: Uint8Array): ServerHello | null {
  if (msg.length < 4 + 2 + 32 + 1 || msg[0] !== 2) return null;
  const end = Math.min(msg.length, 4 + ((msg[1] << 16) | (msg[2] << 8) | msg[3]));
  let version = (msg[4] << 8) | msg[5];
  const random = msg.slice(6, 38);
  if (HRR_PREFIX.every((b, i) => random[i] === b)) return null;
  let i = 38;
  i += 1 + msg[i];
  if (i + 3 > end) return null;
  const suite = (msg[i] << 8) | msg[i + 1];
  i += 3;
  let encryptThenMac = false;
  if (i + 2 <= end) {
    const extEnd = Math.min(end, i + 2 + ((msg[i] << 8) | msg[i + 1]));
    i += 2;
    while (i + 4 <= extEnd) {
      const type = (msg[i] << 8) | msg[i + 1];
      const len = (msg[i + 2] << 8) | msg[i + 3];
      if (type === 0x002b && len === 2 && i + 6 <= extEnd) version = (msg[i + 4] << 8) | msg[i + 5];
      if (type === 0x0016) encryptThenMac = true;
      i += 4 + len;
    }
  }
  return { random, version, suite, encryptThenMac };
}
