/**
 * Record decryption for one direction (RFC 5246 §6.2.3, RFC 7366, RFC 7905, RFC 8446 §5.2-5.3), once the keys are
 * derived from the key log. Record numbers count every record read after the key change; after a hole (records the
 * capture lost entirely) the next numbers are tried, up to LOOKAHEAD, and the one whose tag or MAC checks is kept.
 * TLS 1.3 moves from the handshake keys to the application keys when a record no longer opens with the former, and
 * follows KeyUpdate messages.
 */
import { aeadOpen, cbcDecryptRaw, makeKey, type RecordKey } from './aead';
import { concat, seq64 } from './bytes';
import { expandLabel, hmac, prf12 } from './kdf';
import type { SessionSecrets } from './keylog';
import type { Suite } from './suites';

const LOOKAHEAD = 64;

/** A decrypted record: its real content type and plaintext. */
export interface Opened {
  type: number;
  plain: Uint8Array;
}

interface Keys {
  key: RecordKey;
  /** AEAD: fixed IV (4 bytes GCM in TLS 1.2, 12 bytes otherwise); CBC: unused. */
  iv: Uint8Array;
  mac: Uint8Array;
  /** TLS 1.3: the traffic secret, for KeyUpdate. */
  secret?: Uint8Array;
}

function xorNonce(iv: Uint8Array, seq: number): Uint8Array {
  const n = iv.slice();
  const s = seq64(seq);
  for (let i = 0; i < 8; i++) n[n.length - 8 + i] ^= s[i];
  return n;
}

async function keys13(secret: Uint8Array, suite: Suite): Promise<Keys> {
  const raw = await expandLabel(secret, 'key', new Uint8Array(0), suite.keyLength, suite.hash);
  const iv = await expandLabel(secret, 'iv', new Uint8Array(0), 12, suite.hash);
  return { key: await makeKey(suite.cipher, raw), iv, mac: new Uint8Array(0), secret };
}

/** The TLS 1.2 key block split for one side. */
async function keys12(master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, suite: Suite, client: boolean): Promise<Keys> {
  const macLen = suite.cipher === 'aes-cbc' ? suite.macLength! : 0;
  const ivLen = suite.cipher === 'aes-gcm' ? 4 : suite.cipher === 'chacha20-poly1305' ? 12 : 0;
  const block = await prf12(master, 'key expansion', concat(serverRandom, clientRandom), 2 * (macLen + suite.keyLength + ivLen), suite.hash);
  let o = 0;
  const take = (n: number) => block.subarray(o, (o += n));
  const cMac = take(macLen), sMac = take(macLen), cKey = take(suite.keyLength), sKey = take(suite.keyLength), cIv = take(ivLen), sIv = take(ivLen);
  return { key: await makeKey(suite.cipher, client ? cKey : sKey), iv: (client ? cIv : sIv).slice(), mac: (client ? cMac : sMac).slice() };
}

export class Decrypter {
  private stages: Keys[] = [];
  private stage = 0;
  private seq = 0;

  private constructor(private readonly suite: Suite, private readonly tls13: boolean, private readonly etm: boolean) {}

  /** Keys for one side, or null when the key log lacks the secrets this version needs. */
  static async create(
    secrets: SessionSecrets, suite: Suite, tls13: boolean, client: boolean, clientRandom: Uint8Array, serverRandom: Uint8Array, etm: boolean,
  ): Promise<Decrypter | null> {
    const d = new Decrypter(suite, tls13, etm);
    if (tls13) {
      const hs = client ? secrets.clientHandshake : secrets.serverHandshake;
      const app = client ? secrets.clientTraffic : secrets.serverTraffic;
      if (hs) d.stages.push(await keys13(hs, suite));
      if (app) d.stages.push(await keys13(app, suite));
    } else if (secrets.master) {
      d.stages.push(await keys12(secrets.master, clientRandom, serverRandom, suite, client));
    }
    return d.stages.length ? d : null;
  }

  /** Opens one encrypted record (header fields and body as captured); null when no key and record number fit. */
  async open(type: number, version: number, body: Uint8Array, afterHole: boolean): Promise<Opened | null> {
    const tries = afterHole ? LOOKAHEAD : 2;
    for (let s = this.stage; s < this.stages.length; s++) {
      const first = s === this.stage ? this.seq : 0;
      for (let n = first; n < first + tries; n++) {
        const got = await this.try(this.stages[s], n, type, version, body);
        if (got) {
          this.stage = s;
          this.seq = n + 1;
          if (this.tls13 && got.type === 22 && got.plain[0] === 24) await this.keyUpdate();
          return got;
        }
      }
    }
    this.seq++; // a record that did not open still used a number
    return null;
  }

  private async keyUpdate(): Promise<void> {
    const cur = this.stages[this.stage];
    if (!cur.secret) return;
    const next = await expandLabel(cur.secret, 'traffic upd', new Uint8Array(0), this.suite.hash === 'SHA-384' ? 48 : 32, this.suite.hash);
    this.stages.splice(this.stage + 1, 0, await keys13(next, this.suite));
    this.stage++;
    this.seq = 0;
  }

  private async try(k: Keys, n: number, type: number, version: number, body: Uint8Array): Promise<Opened | null> {
    const header = (len: number) => new Uint8Array([type, version >> 8, version & 0xff, len >> 8, len & 0xff]);
    if (this.tls13) {
      const plain = await aeadOpen(k.key, xorNonce(k.iv, n), header(body.length), body);
      if (!plain) return null;
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--;
      if (end === 0) return null;
      return { type: plain[end - 1], plain: plain.subarray(0, end - 1) };
    }
    if (this.suite.cipher === 'aes-gcm') {
      if (body.length < 24) return null;
      const nonce = concat(k.iv, body.subarray(0, 8));
      const plain = await aeadOpen(k.key, nonce, concat(seq64(n), header(body.length - 24)), body.subarray(8));
      return plain ? { type, plain } : null;
    }
    if (this.suite.cipher === 'chacha20-poly1305') {
      const plain = await aeadOpen(k.key, xorNonce(k.iv, n), concat(seq64(n), header(body.length - 16)), body);
      return plain ? { type, plain } : null;
    }
    return this.cbc(k, n, type, version, body, header);
  }

  private async cbc(k: Keys, n: number, type: number, version: number, body: Uint8Array, header: (len: number) => Uint8Array): Promise<Opened | null> {
    const macLen = this.suite.macLength!;
    const mac = this.suite.mac!;
    if (this.etm) {
      if (body.length < 16 + 16 + macLen) return null;
      const ct = body.subarray(0, body.length - macLen);
      const want = await hmac(k.mac, mac, concat(seq64(n), header(ct.length), ct));
      if (!sameBytes(want.subarray(0, macLen), body.subarray(body.length - macLen))) return null;
      const plain = await cbcDecryptRaw(k.key, ct.subarray(0, 16), ct.subarray(16));
      if (!plain) return null;
      const pad = plain[plain.length - 1];
      if (pad + 1 > plain.length) return null;
      return { type, plain: plain.subarray(0, plain.length - pad - 1) };
    }
    if (body.length < 16 + 16) return null;
    const plain = await cbcDecryptRaw(k.key, body.subarray(0, 16), body.subarray(16));
    if (!plain) return null;
    const pad = plain[plain.length - 1];
    const contentLen = plain.length - pad - 1 - macLen;
    if (contentLen < 0) return null;
    const content = plain.subarray(0, contentLen);
    const want = await hmac(k.mac, mac, concat(seq64(n), header(contentLen), content));
    if (!sameBytes(want.subarray(0, macLen), plain.subarray(contentLen, contentLen + macLen))) return null;
    return { type, plain: content };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
