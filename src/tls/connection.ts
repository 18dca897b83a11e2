/**
 * The TLS view of one connection: its records in both directions (stream.ts), a label for each packet that
 * completes records (as Wireshark's Info column names them), and its alerts with side and packet; decrypted with
 * the key log when it holds this session's secrets (decrypt.ts), which reveals alert descriptions, and in TLS 1.3
 * the alerts hidden in application data records.
 */
import { bytesToHex } from './bytes';
import { Decrypter, type Opened } from './decrypt';
import { clientRandom as helloRandom, parseServerHello, type ServerHello } from './hello';
import type { KeyLog } from './keylog';
import { alertName, handshakeName, recordLabel } from './names';
import { readRecords, type StreamSegment, type TlsRecord } from './stream';
import { SUITES } from './suites';

export interface TlsAlert {
  fromClient: boolean;
  /** Packet index within the connection that completed the alert record. */
  packet: number;
  /** 1 warning, 2 fatal; null when encrypted and not decrypted. */
  level: number | null;
  description: number | null;
  /** e.g. "close_notify"; null when not known. */
  name: string | null;
  /** True when its content was read through decryption. */
  decrypted: boolean;
}

export type Decryption =
  | 'decrypted' // the key log had this session's secrets and records opened
  | 'no-key-log' // no key log loaded
  | 'no-keys' // a key log is loaded but holds nothing for this client random
  | 'unsupported' // a cipher suite Teardown does not decrypt
  | 'failed' // secrets found but records did not open (wrong secrets, or too much missing)
  | 'no-hello'; // the capture has no ClientHello/ServerHello: nothing to derive keys from

export interface TlsView {
  version: number;
  suite: string | null;
  /** Hex of the ClientHello random: the key log line that decrypts this connection starts with it. */
  clientRandom: string | null;
  decryption: Decryption;
  /** Record labels by packet index. */
  labels: Map<number, string[]>;
  alerts: TlsAlert[];
  /** Stream offsets where TLS starts in each direction (> 0: plaintext before it, e.g. STARTTLS); -1 none. */
  start: { client: number; server: number };
  holes: number;
  lostRecords: number;
  truncated: boolean;
}

interface Side {
  fromClient: boolean;
  records: TlsRecord[];
}

/** Handshake messages of a direction's plaintext handshake records (messages may span records). */
function handshakeMessages(records: TlsRecord[], until: number): { record: TlsRecord; msg: Uint8Array }[] {
  const out: { record: TlsRecord; msg: Uint8Array }[] = [];
  let buf = new Uint8Array(0);
  let owner: TlsRecord | null = null;
  for (const r of records) {
    if (r.offset >= until) break;
    if (r.type !== 22) continue;
    if (!buf.length) owner = r;
    const next = new Uint8Array(buf.length + r.body.length);
    next.set(buf);
    next.set(r.body, buf.length);
    buf = next;
    while (buf.length >= 4) {
      const len = 4 + ((buf[1] << 16) | (buf[2] << 8) | buf[3]);
      if (buf.length < len) break;
      out.push({ record: owner!, msg: buf.subarray(0, len) });
      buf = buf.subarray(len);
      owner = r;
    }
  }
  return out;
}

/** Offset after which a TLS <= 1.2 direction is encrypted (its ChangeCipherSpec), Infinity when none. */
function ccsEnd(records: TlsRecord[]): number {
  const ccs = records.find((r) => r.type === 20);
  return ccs ? ccs.offset + 1 : Infinity;
}

export async function tlsView(
  client: readonly StreamSegment[], server: readonly StreamSegment[], keyLog: KeyLog | null,
): Promise<TlsView | null> {
  const c = readRecords(client, true);
  const s = readRecords(server, false);
  if (!c.records.length && !s.records.length) return null;
  const view: TlsView = {
    version: 0, suite: null, clientRandom: null, decryption: keyLog && keyLog.size ? 'no-hello' : 'no-key-log',
    labels: new Map(), alerts: [], start: { client: c.start, server: s.start },
    holes: c.holes + s.holes, lostRecords: c.lostRecords + s.lostRecords, truncated: c.truncated || s.truncated,
  };
  const cMsgs = handshakeMessages(c.records, ccsEnd(c.records));
  const sMsgs = handshakeMessages(s.records, ccsEnd(s.records));
  const ch = cMsgs.find((m) => m.msg[0] === 1);
  const random = ch ? helloRandom(ch.msg) : null;
  let hello: ServerHello | null = null;
  for (const m of sMsgs) if (m.msg[0] === 2) hello ??= parseServerHello(m.msg);
  if (random) view.clientRandom = bytesToHex(random);
  if (hello) {
    view.version = hello.version;
    view.suite = SUITES.get(hello.suite)?.name ?? `0x${hello.suite.toString(16).padStart(4, '0')}`;
  }
  const tls13 = view.version === 0x0304;
  // TLS 1.3: only the ServerHello (and the hellos before it) is plaintext; every later record of type 23 is encrypted.
  const sHelloEnd = tls13 ? (sMsgs.find((m) => m.msg[0] === 2)?.record.offset ?? -1) + 1 : ccsEnd(s.records);
  const cEncStart = tls13 ? 0 : ccsEnd(c.records);

  let cDec: Decrypter | null = null;
  let sDec: Decrypter | null = null;
  if (keyLog && keyLog.size && random && hello) {
    const secrets = keyLog.find(random);
    const suite = SUITES.get(hello.suite);
    if (!secrets) view.decryption = 'no-keys';
    else if (!suite) view.decryption = 'unsupported';
    else {
      cDec = await Decrypter.create(secrets, suite, tls13, true, random, hello.random, hello.encryptThenMac);
      sDec = await Decrypter.create(secrets, suite, tls13, false, random, hello.random, hello.encryptThenMac);
      view.decryption = cDec || sDec ? 'failed' : 'no-keys';
    }
  }
  const names = new Map<TlsRecord, string[]>();
  for (const m of [...cMsgs, ...sMsgs]) names.set(m.record, [...(names.get(m.record) ?? []), handshakeName(m.msg[0])]);
  let opened = 0;
  for (const side of [{ fromClient: true, records: c.records }, { fromClient: false, records: s.records }] as Side[]) {
    const dec = side.fromClient ? cDec : sDec;
    const encFrom = side.fromClient ? cEncStart : sHelloEnd;
    for (const r of side.records) {
      const encrypted = r.offset >= encFrom && r.type !== 20 && (tls13 ? r.type === 23 : true) && !(r.type === 21 && r.length === 2);
      let got: Opened | null = null;
      if (encrypted && dec && r.complete) {
        got = await dec.open(r.type, r.version, r.body, r.afterHole);
        if (got) opened++;
      }
      const label = got
        ? recordLabel(r.type, true, { type: got.type, first: got.plain[0] ?? -1, second: got.plain[1] ?? -1 })
        : !encrypted && r.type === 22
          ? (names.get(r)?.join(', ') ?? 'Handshake')
          : !encrypted && r.type === 21 && r.body.length >= 2
            ? `Alert ${alertName(r.body[1])}`
            : recordLabel(r.type, encrypted);
      if (r.packet >= 0) {
        const list = view.labels.get(r.packet) ?? [];
        if (list[list.length - 1] !== label) list.push(label);
        view.labels.set(r.packet, list);
      }
      const isAlert = got ? got.type === 21 : r.type === 21;
      if (!isAlert) continue;
      const plain = got ? got.plain : !encrypted ? r.body : null;
      const level = plain && plain.length >= 2 ? plain[0] : null;
      const description = plain && plain.length >= 2 ? plain[1] : null;
      view.alerts.push({
        fromClient: side.fromClient, packet: r.packet, level, description,
        name: description === null ? null : alertName(description), decrypted: got !== null,
      });
    }
  }
  if (opened > 0) view.decryption = 'decrypted';
  return view;
}
