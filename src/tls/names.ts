/** Names of TLS content types, handshake messages and alerts (RFC 8446 §B.1-B.3, RFC 5246 §7.2, as Wireshark words them). */
const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
  30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate',
  43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown',
  47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error',
  60: 'export_restriction', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension',
  110: 'unsupported_extension', 111: 'certificate_unobtainable', 112: 'unrecognized_name',
  113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity',
  116: 'certificate_required', 120: 'no_application_protocol',
};

const HANDSHAKES: Record<number, string> = {
  0: 'Hello Request', 1: 'Client Hello', 2: 'Server Hello', 4: 'New Session Ticket', 5: 'End Of Early Data',
  8: 'Encrypted Extensions', 11: 'Certificate', 12: 'Server Key Exchange', 13: 'Certificate Request',
  14: 'Server Hello Done', 15: 'Certificate Verify', 16: 'Client Key Exchange', 20: 'Finished', 24: 'Key Update',
};

export function alertName(description: number): string {
  return ALERTS[description] ?? `alert ${description}`;
}

export function handshakeName(type: number): string {
  return HANDSHAKES[type] ?? `Handshake ${type}`;
}

/** A short label for a record on a ladder arrow. */
export function recordLabel(type: number, encrypted: boolean, inner?: { type: number; first: number; second: number }): string {
  if (inner) {
    if (inner.type === 21) return `Alert ${alertName(inner.second)}`;
    if (inner.type === 22) return handshakeName(inner.first);
    if (inner.type === 23) return 'Application Data';
    if (inner.type === 20) return 'Change Cipher Spec';
  }
  switch (type) {
    case 20: return 'Change Cipher Spec';
    case 21: return encrypted ? 'Encrypted Alert' : 'Alert';
    case 22: return encrypted ? 'Encrypted Handshake Message' : 'Handshake';
    case 23: return 'Application Data';
    case 24: return 'Heartbeat';
    default: return `Record ${type}`;
  }
}
