/**
 * TLS facts for the report, from what the record walk found during the packet pass (tls-walk.ts):
 * version from the ServerHello, alert records before each side's FIN, or for text captures an alert
 * inferred from segment sizes. RFC 5246 §7.2.1 / RFC 8446 §6.1 (close_notify); formats.md §5.1.
 */
import type { TlsFacts } from '../model/report';
import type { SideFacts } from './conn-state';

function versionName(v: number): string | null {
  switch (v) {
    case 0x0300: return 'SSL 3.0';
    case 0x0301: return 'TLS 1.0';
    case 0x0302: return 'TLS 1.1';
    case 0x0303: return 'TLS 1.2';
    case 0x0304: return 'TLS 1.3';
    default: return v ? `0x${v.toString(16).padStart(4, '0')}` : null;
  }
}

// The notes naming who sent the alert, made once (a capture has them on thousands of connections).
const WHO = ['both sides', 'the client', 'the server'];
const ALERT_NOTES = WHO.map(
  (who) => `An alert record from ${who} came before its FIN: after the handshake that is almost always an encrypted close_notify, i.e. a proper TLS shutdown.`,
);
const INFERRED_NOTES = WHO.map(
  (who) => `No payload in this capture: a segment the size of an encrypted TLS alert came from ${who} right before its FIN, probably a close_notify (inferred from the size only).`,
);

/** Index in WHO of the side(s) flagged: both, client, server; -1 for none. */
function whoIndex(client: boolean, server: boolean): number {
  return client && server ? 0 : client ? 1 : server ? 2 : -1;
}

const HOLE_NOTE = ' Some TLS records were lost to a hole in the capture (bytes it did not record); the reading picked up again at the next record.';

/**
 * Everything tlsFacts reads, packed in one number (bits below): rows with the same key have the same facts, so a
 * writer of many rows can keep the facts' text by key (connection-members.ts) instead of making it per row.
 */
export function tlsKey(tlsSeen: boolean, tlsVersion: number, client: SideFacts, server: SideFacts, hole = false, plain = false): number {
  if (!tlsSeen) return (client.inferredAlert ? K_INFERRED_CLIENT : 0) | (server.inferredAlert ? K_INFERRED_SERVER : 0);
  return K_SEEN | (tlsVersion & 0xffff) | (client.tlsAlertBeforeFin ? K_ALERT_CLIENT : 0) | (server.tlsAlertBeforeFin ? K_ALERT_SERVER : 0) |
    (client.finIndex >= 0 || server.finIndex >= 0 ? K_FIN : 0) | (hole ? K_HOLE : 0) | (plain ? K_PLAIN : 0);
}

// tlsKey's bits above the version (bits 0-15).
const K_SEEN = 1 << 16;
const K_ALERT_CLIENT = 1 << 17;
const K_ALERT_SERVER = 1 << 18;
const K_FIN = 1 << 19;
const K_INFERRED_CLIENT = 1 << 20;
const K_INFERRED_SERVER = 1 << 21;
const K_HOLE = 1 << 22;
const K_PLAIN = 1 << 23;

/** TLS facts for the report, or null when nothing TLS-like was seen. */
export function tlsFacts(tlsSeen: boolean, tlsVersion: number, client: SideFacts, server: SideFacts, hole = false, plain = false): TlsFacts | null {
  return tlsFactsOfKey(tlsKey(tlsSeen, tlsVersion, client, server, hole, plain));
}

/** The TLS facts of rows with tlsKey `key` (a fresh object). */
export function tlsFactsOfKey(key: number): TlsFacts | null {
  const tlsSeen = (key & K_SEEN) !== 0;
  const facts = tlsFactsOf(tlsSeen, key & 0xffff, key);
  if (facts && tlsSeen) {
    if (key & K_HOLE) {
      facts.note += HOLE_NOTE;
      facts.holes = 1;
    }
    if (key & K_PLAIN) facts.plaintextBefore = true;
  }
  return facts;
}

function tlsFactsOf(tlsSeen: boolean, tlsVersion: number, key: number): TlsFacts | null {
  if (tlsSeen) {
    const version = versionName(tlsVersion);
    if (tlsVersion === 0x0304) {
      return {
        version,
        alertBeforeFin: null,
        inferred: false,
        note:
          'TLS 1.3 encrypts alerts and sends them as application data records, so whether a close_notify was sent cannot be seen on the wire.',
      };
    }
    const ab = { client: (key & K_ALERT_CLIENT) !== 0, server: (key & K_ALERT_SERVER) !== 0 };
    const who = whoIndex(ab.client, ab.server);
    const note = who >= 0
      ? ALERT_NOTES[who]
      : key & K_FIN
        ? 'No alert record before the FIN: the TLS session was not closed with close_notify (the application closed the socket without a TLS shutdown).'
        : 'No FIN was seen; no TLS close to judge.';
    return { version, alertBeforeFin: ab, inferred: false, note };
  }
  if (key & (K_INFERRED_CLIENT | K_INFERRED_SERVER)) {
    const ab = { client: (key & K_INFERRED_CLIENT) !== 0, server: (key & K_INFERRED_SERVER) !== 0 };
    return { version: null, alertBeforeFin: ab, inferred: true, note: INFERRED_NOTES[whoIndex(ab.client, ab.server)] };
  }
  return null;
}
