/**
 * What the payload bytes of a generated stream are, as a pure function of the stream offset, so a
 * retransmitted or probed segment carries exactly the bytes it carried the first time.
 *
 * TLS streams: a handshake prefix (ClientHello / ServerHello ... built once below), then
 * application-data records (content type 23) of a fixed size per stream, then optionally one
 * encrypted alert record (content type 21, 26 bytes) right before the FIN. Other streams: an
 * optional text prefix (HTTP or SSH banner) then pseudo-random bytes.
 */
import { Rng } from './prng';

const RAND_BITS = 20;
const RAND_SIZE = 1 << RAND_BITS;
const RAND_MASK = RAND_SIZE - 1;
/** 1 MiB of fixed pseudo-random bytes that every payload is copied from (doubled to avoid wrap). */
const RAND = (() => {
  const r = new Rng(0x5eed, 7);
  const b = new Uint8Array(RAND_SIZE * 2);
  for (let i = 0; i < RAND_SIZE; i += 4) {
    const v = r.u32();
    b[i] = v;
    b[i + 1] = v >>> 8;
    b[i + 2] = v >>> 16;
    b[i + 3] = v >>> 24;
  }
  b.copyWithin(RAND_SIZE, 0, RAND_SIZE);
  return b;
})();

function randomBytes(n: number, at: number): number[] {
  return Array.from(RAND.subarray(at, at + n));
}

const u16 = (v: number) => [v >>> 8, v & 255];
const u24 = (v: number) => [v >>> 16, (v >>> 8) & 255, v & 255];
const record = (type: number, version: number, body: number[]) => [type, ...u16(version), ...u16(body.length), ...body];
const hs = (type: number, body: number[]) => [type, ...u24(body.length), ...body];
const ext = (type: number, body: number[]) => [...u16(type), ...u16(body.length), ...body];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function clientHello(): number[] {
  const name = ascii('www.example.com');
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const exts = [
    ...ext(0x0000, [...u16(name.length + 3), 0, ...u16(name.length), ...name]),
    ...ext(0x000a, [0, 4, 0, 0x1d, 0, 0x17]),
    ...ext(0x000b, [1, 0]),
    ...ext(0x000d, [0, 6, 4, 3, 8, 4, 4, 1]),
    ...ext(0x002b, [4, 3, 4, 3, 3]),
    ...ext(0x0033, [0, 36, 0, 0x1d, 0, 32, ...randomBytes(32, 100)]),
  ];
  const body = [
    3, 3, ...randomBytes(32, 200), 32, ...randomBytes(32, 300),
    ...u16(suites.length * 2), ...suites.flatMap(u16), 1, 0, ...u16(exts.length), ...exts,
  ];
  return record(22, 0x0301, hs(1, body));
}

function serverHello(tls13: boolean): number[] {
  const exts = tls13
    ? [...ext(0x002b, [3, 4]), ...ext(0x0033, [0, 0x1d, 0, 32, ...randomBytes(32, 400)])]
    : [...ext(0xff01, [0]), ...ext(0x000b, [1, 0])];
  const body = [3, 3, ...randomBytes(32, 500), 32, ...randomBytes(32, 700), ...u16(tls13 ? 0x1301 : 0xc02f), 0, ...u16(exts.length), ...exts];
  return record(22, 0x0303, hs(2, body));
}

const CCS = record(20, 0x0303, [1]);

/** Handshake prefixes: what each side sends before its first application-data record. */
export interface TlsTemplate {
  /** ClientHello alone (the first client flight). */
  clientFirst: number;
  /** Server flight answering the ClientHello. */
  serverFirst: number;
  /** Client second flight (key exchange / CCS / Finished). */
  clientSecond: number;
  /** Server second flight (TLS 1.2 only: CCS + Finished); 0 for 1.3. */
  serverSecond: number;
  client: Uint8Array;
  server: Uint8Array;
}

function buildTemplate(tls13: boolean): TlsTemplate {
  const ch = clientHello();
  let sFirst: number[];
  let cSecond: number[];
  let sSecond: number[] = [];
  if (tls13) {
    // Encrypted extensions + certificate + verify + finished travel as one type-23 record.
    sFirst = [...serverHello(true), ...CCS, ...record(23, 0x0303, randomBytes(2900, 1000))];
    cSecond = [...CCS, ...record(23, 0x0303, randomBytes(53, 5000))];
  } else {
    // An empty certificate list keeps dissectors happy (random bytes would not be valid DER);
    // the ECDHE key exchange carries a 256-byte signature so the flight still has a realistic size.
    const certMsg = hs(11, [0, 0, 0]);
    const ske = hs(12, [3, 0, 0x1d, 32, ...randomBytes(32, 6000), 4, 1, 1, 0, ...randomBytes(256, 6100)]);
    sFirst = [...serverHello(false), ...record(22, 0x0303, certMsg), ...record(22, 0x0303, ske), ...record(22, 0x0303, hs(14, []))];
    cSecond = [...record(22, 0x0303, hs(16, [32, ...randomBytes(32, 9000)])), ...CCS, ...record(22, 0x0303, randomBytes(40, 9100))];
    sSecond = [...CCS, ...record(22, 0x0303, randomBytes(40, 9200))];
  }
  return {
    clientFirst: ch.length,
    serverFirst: sFirst.length,
    clientSecond: cSecond.length,
    serverSecond: sSecond.length,
    client: new Uint8Array([...ch, ...cSecond]),
    server: new Uint8Array([...sFirst, ...sSecond]),
  };
}

export const TLS12 = buildTemplate(false);
export const TLS13 = buildTemplate(true);

export const TLS_ALERT_LEN = 31;
const ALERT = new Uint8Array(record(21, 0x0303, randomBytes(26, 12000)));

export const HTTP_REQUEST = new Uint8Array(
  ascii('GET /assets/app.js HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\nConnection: close\r\n\r\n'),
);
/** Response header announcing a body of `length` bytes (one response per connection). */
export function httpResponse(length: number): Uint8Array {
  return new Uint8Array(
    ascii(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`),
  );
}
export const SSH_BANNER = new Uint8Array(ascii('SSH-2.0-OpenSSH_9.6\r\n'));

export class StreamContent {
  /**
   * @param prefix bytes at the start of the stream
   * @param recordBody TLS application-data record body size; 0 for a non-TLS stream
   * @param alertAt stream offset of the closing alert record, -1 for none
   */
  constructor(
    readonly prefix: Uint8Array,
    readonly recordBody: number,
    public alertAt: number,
    private readonly salt: number,
  ) {}

  /** Write stream bytes [off, off + len) into dst at pos. */
  fill(dst: Uint8Array, pos: number, off: number, len: number): void {
    const h = this.prefix.length;
    const rb = this.recordBody;
    while (len > 0) {
      let n: number;
      if (off < h) {
        n = Math.min(len, h - off);
        dst.set(this.prefix.subarray(off, off + n), pos);
      } else if (this.alertAt >= 0 && off >= this.alertAt && off < this.alertAt + TLS_ALERT_LEN) {
        const a = off - this.alertAt;
        n = Math.min(len, TLS_ALERT_LEN - a);
        dst.set(ALERT.subarray(a, a + n), pos);
      } else if (rb > 0 && (this.alertAt < 0 || off < this.alertAt)) {
        const rel = off - h;
        const rs = rb + 5;
        const r = rel % rs;
        if (r < 5) {
          n = Math.min(len, 5 - r);
          for (let i = 0; i < n; i++) {
            const k = r + i;
            dst[pos + i] = k === 0 ? 23 : k < 3 ? 3 : k === 3 ? rb >>> 8 : rb & 255;
          }
        } else {
          n = Math.min(len, rs - r);
          if (this.alertAt >= 0) n = Math.min(n, this.alertAt - off);
          const at = (rel + this.salt) & RAND_MASK;
          dst.set(RAND.subarray(at, at + n), pos);
        }
      } else {
        // Plain payload (or bytes past a TLS stream's alert): pseudo-random, at most 1 MiB a copy.
        n = Math.min(len, RAND_SIZE);
        if (this.alertAt >= 0 && off < this.alertAt) n = Math.min(n, this.alertAt - off);
        const at = (off + this.salt) & RAND_MASK;
        dst.set(RAND.subarray(at, at + n), pos);
      }
      pos += n;
      off += n;
      len -= n;
    }
  }
}
