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

/** TLS facts for the report, or null when nothing TLS-like was seen. */
export function tlsFacts(tlsSeen: boolean, tlsVersion: number, client: SideFacts, server: SideFacts, hole = false, plain = false): TlsFacts | null {
  const facts = tlsFactsOf(tlsSeen, tlsVersion, client, server);
  if (facts && tlsSeen) {
    if (hole) {
      facts.note += HOLE_NOTE;
      facts.holes = 1;
    }
    if (plain) facts.plaintextBefore = true;
  }
  return facts;
}

function tlsFactsOf(tlsSeen: boolean, tlsVersion: number, client: SideFacts, server: SideFacts): TlsFacts | null {
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
    const ab = { client: client.tlsAlertBeforeFin, server: server.tlsAlertBeforeFin };
    const who = whoIndex(ab.client, ab.server);
    const note = who >= 0
      ? ALERT_NOTES[who]
      : client.finIndex >= 0 || server.finIndex >= 0
        ? 'No alert record before the FIN: the TLS session was not closed with close_notify (the application closed the socket without a TLS shutdown).'
        : 'No FIN was seen; no TLS close to judge.';
    return { version, alertBeforeFin: ab, inferred: false, note };
  }
  if (client.inferredAlert || server.inferredAlert) {
    const ab = { client: client.inferredAlert, server: server.inferredAlert };
    return { version: null, alertBeforeFin: ab, inferred: true, note: INFERRED_NOTES[whoIndex(ab.client, ab.server)] };
  }
  return null;
}
