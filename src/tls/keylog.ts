/**
 * NSS key log files (SSLKEYLOGFILE, written by browsers, curl, OpenSSL and python's ssl; also what a pcapng
 * Decryption Secrets Block of type TLSK carries): one secret per line, `LABEL <client random, 64 hex> <secret hex>`.
 * TLS 1.2 uses CLIENT_RANDOM (the 48-byte master secret); TLS 1.3 the four traffic secrets below. Other labels
 * (EXPORTER_SECRET, EARLY_*, RSA ...) are kept out; comments (#) and blank lines are skipped.
 * Secrets stay in the engine (worker): nothing here is ever put in a report, a share link or an export.
 */
import { hexToBytes } from './bytes';

export interface SessionSecrets {
  master?: Uint8Array;
  clientHandshake?: Uint8Array;
  serverHandshake?: Uint8Array;
  clientTraffic?: Uint8Array;
  serverTraffic?: Uint8Array;
}

const FIELD: Record<string, keyof SessionSecrets> = {
  CLIENT_RANDOM: 'master',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshake',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshake',
  CLIENT_TRAFFIC_SECRET_0: 'clientTraffic',
  SERVER_TRAFFIC_SECRET_0: 'serverTraffic',
};

const LINE = /^([A-Z0-9_]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]{32,256})\s*$/;

/** Secrets by client random (lower-case hex); add files or DSBs to the same store. */
export class KeyLog {
  readonly byRandom = new Map<string, SessionSecrets>();
  /** Lines read that carried a secret used here. */
  lines = 0;

  /** Adds the lines of one key log text; returns how many secrets it carried and the first bad line (1-based) if any. */
  add(text: string): { secrets: number; badLine: number } {
    let secrets = 0;
    let badLine = 0;
    let n = 0;
    for (const raw of text.split('\n')) {
      n++;
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const m = LINE.exec(line);
      if (!m) {
        if (!badLine) badLine = n;
        continue;
      }
      const field = FIELD[m[1]];
      if (!field) continue;
      const random = m[2].toLowerCase();
      let s = this.byRandom.get(random);
      if (!s) this.byRandom.set(random, (s = {}));
      s[field] = hexToBytes(m[3]);
      secrets++;
    }
    this.lines += secrets;
    return { secrets, badLine };
  }

  get size(): number {
    return this.byRandom.size;
  }

  find(clientRandom: Uint8Array): SessionSecrets | undefined {
    return this.byRandom.get(bytesToHexLower(clientRandom));
  }
}

function bytesToHexLower(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** True when text (the head of an input) reads as a key log: its first line that is not a comment is a secret line. */
export function looksLikeKeyLog(head: string): boolean {
  for (const raw of head.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z0-9_]+) [0-9a-fA-F]{64} [0-9a-fA-F]{32,}/.exec(line);
    return m !== null && (m[1] in FIELD || /SECRET|CLIENT_RANDOM|^RSA$/.test(m[1]));
  }
  return false;
}
