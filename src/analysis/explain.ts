/**
 * The plain-language account of how a connection closed, generated from its CloseFacts and timings.
 * Aimed at a reader who knows TCP from a textbook: who closed first, what the other side did and in
 * what order, how far apart, whether it matters, and the usual causes.
 */
import type { CloseKind, Side, TlsFacts, ZeekEndReason, ZeekLogEntry } from '../model/report';
import type { CloseDecision } from './side-tables';
import { phrase, phraseText, type Phrase } from '../lib/phrase';

/** How the connection closed (kind, who first, FINs, RSTs, late RST, FIN+RST together) and what the account adds. */
export interface ExplainInput extends CloseDecision {
  simultaneous: boolean;
  dataAfterFin: boolean;
  /** Times (µs) of each side's first FIN / first RST; null when none. */
  finUs: { client: number | null; server: number | null };
  rstUs: { client: number | null; server: number | null };
  /** Whether a side's FIN and RST went in one segment. */
  finRstOneSegment: { client: boolean; server: boolean };
  /** SYNs (without ACK) the client sent. */
  synCount: number;
  serverPort: number;
  packets: { client: number; server: number };
  payloadBytes: { client: number; server: number };
  /** Payload was still flowing in the 2 packets before the first RST (an abort mid-transfer). */
  dataRightBeforeRst: boolean;
  /** Payload bytes each side sent after the other side's FIN. */
  afterPeerFin: { client: number; server: number };
  tls: TlsFacts | null;
  /** An id of `tls` (the same id, the same facts: tls.ts tlsKey), by which its sentence is made once. */
  tlsId?: number;
  /** The conn.log rows Zeek would write, when more than one (zeek-lifetime.ts). */
  zeekLog?: ZeekLogEntry[];
}

function other(s: Side): Side {
  return s === 'client' ? 'server' : 'client';
}

function ms(us: number): string {
  const v = Math.abs(us) / 1000;
  if (v < 1) return `${v.toFixed(3)} ms`;
  if (v < 1000) return `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  return `${(v / 1000).toFixed(v < 10000 ? 2 : 0)} s`;
}

function after(a: number | null, b: number | null): string {
  if (a === null || b === null) return '';
  const d = b - a;
  return d === 0 ? 'in the same instant' : `${ms(d)} later`;
}

/** What a late RST usually meets; with two capture points the analysis says what it met (vantage/explain.ts). */
export const LATE_RST_USUALLY =
  'A stateful firewall that saw both FINs has usually removed the connection already, so it drops that late RST and logs it as a deny for a packet with no connection (Cisco ASA/FTD message 106015; FortiGate "no session matched").';

const ABORT_CAUSES =
  'Usual causes: the application closed its socket with SO_LINGER set to 0 (an abortive close some load balancers, proxies and HTTP clients use on purpose to skip TIME_WAIT), or it called close() while received data was still unread, in which case Linux and other stacks send a RST instead of a FIN (RFC 1122 4.2.2.13, RFC 2525 2.17).';

/**
 * A part of an explanation: a sentence of its own text, the index of a fixed one (`fixed`, `bySide`), or a sentence
 * with values in it (a phrase: lib/phrase.ts), whose fixed pieces and fixed sentences a writer of many explanations
 * keeps as bytes once (explainParts) instead of encoding them again for each connection.
 */
export type ExplainPart = string | number | Phrase;

const FIXED: string[] = [];

/** A fixed sentence, as the index of its text. */
function fixed(text: string): number {
  return FIXED.push(text) - 1;
}

/** A sentence that reads only which side (`i`) it speaks of, as the index of its text for each side. */
function bySide(text: (i: Side, o: Side) => string): Record<Side, number> {
  return { client: fixed(text('client', 'server')), server: fixed(text('server', 'client')) };
}

/** The text of a part. */
export function partText(p: ExplainPart): string {
  return typeof p === 'number' ? FIXED[p] : phraseText(p);
}

/**
 * What to say first about each kind of close. A Record over CloseKind (model/close-kinds.ts): a new kind does not
 * compile until it has its text here.
 */
const EXPLAIN_KIND: Record<CloseKind, (x: ExplainInput, out: ExplainPart[]) => void> = {
  unanswered: (x, out) =>
    out.push(
      phrase`The client sent ${x.synCount > 1 ? `${x.synCount} SYNs (its first one and retransmissions)` : 'a SYN'} to port ${x.serverPort} and nothing came back in this capture.`,
      UNANSWERED,
    ),
  refused: (x, out) =>
    out.push(
      phrase`The client's SYN was answered by a RST from the server: nothing accepted connections on port ${x.serverPort} (or a firewall rejected the attempt on the server's behalf).`,
      REFUSED,
    ),
  clean: cleanClose,
  'fin-then-rst': finThenRst,
  reset,
  'half-closed': (x, out) => {
    const i = x.fin.client ? 'client' : 'server';
    out.push(HALF_CLOSED[i], HALF_CLOSED_MEANS[i]);
  },
  open: (_x, out) => out.push(OPEN),
};

const UNANSWERED = fixed(
  'No connection was made. The server may be down or unreachable, a firewall may be dropping the SYN without answering, or the reply took a path this capture point does not see.',
);
const REFUSED = fixed('This is a refused connection, not a close: no data was exchanged. The client application gets "connection refused".');
const HALF_CLOSED = bySide((i, o) => `Only the ${i} sent a FIN; the ${o} never sent one in this capture.`);
const HALF_CLOSED_MEANS = bySide(
  (i, o) =>
    `That leaves the connection half-closed: the ${i} will send nothing more, but the ${o} may still send (TCP allows this, and some protocols rely on it), or the capture simply ended before the ${o} closed, or its FIN went another way.`,
);
const OPEN = fixed('No FIN and no RST were seen: the connection was still open when the capture ended, or its close was not captured.');
const DATA_AFTER_FIN = fixed(
  'One side sent data after its own FIN. That breaks the TCP rules (a FIN means "I will send nothing more"); the receiver discards such data and usually answers with a RST.',
);

export function explainClose(x: ExplainInput): string {
  return explainParts(x).map(partText).join(' ');
}

/**
 * explainClose's sentences (its text is them joined by spaces): a writer of many explanations keeps the bytes of
 * each distinct one (most are fixed text) instead of encoding a ~700-character string per connection.
 */
export function explainParts(x: ExplainInput): ExplainPart[] {
  const out: ExplainPart[] = [];
  EXPLAIN_KIND[x.kind](x, out);
  if (x.dataAfterFin) out.push(DATA_AFTER_FIN);
  const tls = tlsPart(x);
  if (tls !== '') out.push(tls);
  if (x.zeekLog && x.zeekLog.length > 1) out.push(zeekSentence(x.zeekLog));
  return out;
}

function cleanClose(x: ExplainInput, out: ExplainPart[]): void {
  const i = x.initiator ?? 'client';
  const o = other(i);
  if (x.simultaneous) {
    out.push(
      phrase`Both sides sent their FIN ${after(x.finUs[i], x.finUs[o]) === 'in the same instant' ? 'in the same instant' : `within ${ms((x.finUs[o] ?? 0) - (x.finUs[i] ?? 0))}`}, each before it had seen the other's: a simultaneous close.`,
      SIMULTANEOUS,
    );
    return;
  }
  const more = x.afterPeerFin[o];
  out.push(
    more > 0
      ? phrase`The ${i} closed first: it sent a FIN, meaning it had nothing more to send. The ${o} went on sending (${more} bytes after that FIN: a half-close, which TCP allows because a FIN closes only one direction), then sent its own FIN ${after(x.finUs[i], x.finUs[o])}, which the ${i} acknowledged.`
      : phrase`The ${i} closed first: it sent a FIN, meaning it had nothing more to send. The ${o} acknowledged it and sent its own FIN ${after(x.finUs[i], x.finUs[o])}, which the ${i} acknowledged.`,
    CLEAN[i],
  );
}

const SIMULTANEOUS = fixed(
  'Each side then acknowledged the other FIN. Both directions were shut down in order; this is rare but entirely normal, and nothing was lost.',
);
const CLEAN = bySide(
  (i) => `Both directions were shut down in order: a normal, harmless close. The ${i}, having closed first, keeps the connection in TIME_WAIT for a while.`,
);

function finThenRst(x: ExplainInput, out: ExplainPart[]): void {
  const i = x.initiator ?? 'client';
  const o = other(i);
  const firstIsRst = x.rstUs[i] !== null && (x.finUs[i] === null || (x.rstUs[i] as number) < (x.finUs[i] as number));
  out.push(firstIsRst ? RST_AND_FIN[i] : CLOSED_FIRST[i]);
  // What the other side did.
  const oFin = x.finUs[o];
  const oRst = x.rstUs[o];
  const iRst = x.rstUs[i];
  if (oFin !== null) {
    if (x.finRstOneSegment[o]) {
      out.push(phrase`The ${o} answered ${after(x.finUs[i], oFin)} with a single segment carrying both FIN and RST.`);
    } else if (oRst !== null && oRst >= oFin && oRst - oFin <= 1000) {
      out.push(phrase`The ${o} sent its own FIN ${after(x.finUs[i], oFin)} and, ${oRst === oFin ? 'in the same instant' : `only ${ms(oRst - oFin)} after it`}, a RST: FIN and RST together.`);
    } else {
      out.push(phrase`The ${o} sent its own FIN ${after(x.finUs[i], oFin)}.`);
      if (oRst !== null) out.push(phrase`The ${o} later sent a RST, ${after(oFin, oRst)}.`);
    }
  } else if (oRst !== null) {
    out.push(phrase`The ${o} did not send a FIN; it answered with a RST ${after(x.finUs[i], oRst)}.`);
  }
  if (iRst !== null && !firstIsRst) {
    const ref = oRst ?? oFin ?? x.finUs[i];
    if (x.finRstOneSegment[i]) out.push(FIN_CARRIED_RST[i]);
    else out.push(phrase`The ${i} then sent a RST, ${after(ref, iRst)}${x.lateRst && oFin !== null ? ', after both FINs' : ''}.`);
    if (oFin === null && x.afterPeerFin[o] > 0 && !x.finRstTogether) {
      out.push(
        phrase`In between, the ${o} kept sending (${x.afterPeerFin[o]} bytes after the ${i}'s FIN). That is legal, since a FIN closes only one direction, but the ${i} had closed its socket completely, so its kernel answered the unexpected data with a RST (RFC 793: a segment for a connection that no longer exists is answered with a RST; RFC 1122 4.2.2.13). The ${o}'s application gets "connection reset by peer", and the data it sent after the FIN was never read.`,
      );
      return;
    }
  }
  // Meaning.
  if (x.finRstTogether) {
    const who = x.finRstOneSegment.client || (x.rstUs.client !== null && x.finUs.client !== null && x.rstUs.client - x.finUs.client <= 1000 && x.rstUs.client >= x.finUs.client) ? 'client' : 'server';
    out.push(FIN_RST_TOGETHER[who]);
  } else {
    out.push(RST_CUT_CLOSE);
  }
  if (x.lateRst) out.push(LATE_RST);
  out.push(x.fin.client && x.fin.server ? BOTH_FINISHED : ONE_FINISHED[x.fin.client ? 'client' : 'server']);
}

const RST_AND_FIN = bySide((i) => `The ${i} ended the connection with a RST; a FIN was also seen.`);
const CLOSED_FIRST = bySide((i) => `The ${i} closed first: it sent a FIN, meaning it had nothing more to send.`);
const FIN_CARRIED_RST = bySide((i) => `The ${i}'s FIN carried the RST flag as well.`);
const FIN_RST_TOGETHER = bySide(
  (who) =>
    `A FIN immediately followed by a RST from the same side (here the ${who}) means its socket was closed abortively right after the orderly shutdown began. ${ABORT_CAUSES}`,
);
const RST_CUT_CLOSE = fixed(`The RST cut the close short instead of the last ACK. ${ABORT_CAUSES}`);
const LATE_RST = fixed(
  `A RST sent after both FINs comes from a host that had already closed and then received something it no longer expected (RFC 793: a segment for a connection that no longer exists is answered with a RST). ${LATE_RST_USUALLY}`,
);
const BOTH_FINISHED = fixed(
  'Since both sides had finished sending (both FINs came before the RST), the data itself was delivered: this kind of close is usually harmless, only noisy in firewall logs.',
);
const ONE_FINISHED = bySide(
  (i) =>
    `Only the ${i} had finished sending when the RST came; anything the other side still had in flight was lost, and its application may see "connection reset by peer".`,
);

function reset(x: ExplainInput, out: ExplainPart[]): void {
  const i = x.initiator ?? 'client';
  const o = other(i);
  out.push(ABORTIVE[i]);
  if (x.rst[o]) out.push(phrase`The ${o} sent a RST as well, ${after(x.rstUs[i], x.rstUs[o])}.`);
  out.push(x.dataRightBeforeRst ? ABORTED_MID_WAY[o] : RESET_SEEN[o], RESET_CAUSES);
}

const ABORTIVE = bySide((i) => `The ${i} ended the connection with a RST, without a FIN first: an abortive close.`);
const ABORTED_MID_WAY = bySide(
  (o) => `Data was still flowing just before the RST, so the transfer was aborted mid-way: data in flight is lost and the ${o}'s application sees "connection reset by peer".`,
);
const RESET_SEEN = bySide((o) => `The ${o}'s application sees "connection reset by peer" if it still reads or writes; any data not yet delivered is lost.`);
const RESET_CAUSES = fixed(
  `${ABORT_CAUSES} Other causes: the process crashed or was killed with data unread, an idle timeout in a middlebox, or a firewall or load balancer that had already dropped the connection and resets it on the next packet.`,
);

/** The TLS sentence, as a fixed part made once per tlsId and sides that sent a FIN when the input has an id. */
function tlsPart(x: ExplainInput): ExplainPart {
  if (!x.tls) return '';
  if (x.tlsId === undefined || TLS_PARTS.size >= MAX_TLS_PARTS) return tlsCloseSentence(x.tls, x.fin);
  const key = x.tlsId * 4 + (x.fin.client ? 2 : 0) + (x.fin.server ? 1 : 0);
  let part = TLS_PARTS.get(key);
  if (part === undefined) {
    const text = tlsCloseSentence(x.tls, x.fin);
    part = text === '' ? '' : fixed(text);
    TLS_PARTS.set(key, part);
  }
  return part;
}

const TLS_PARTS = new Map<number, ExplainPart>();
/** Distinct TLS sentences kept at most (a capture has a few dozen). */
const MAX_TLS_PARTS = 4096;

/** The sentence a (decrypted or read-again) alert list gives: facts with side and frame. */
function alertSentence(t: TlsFacts, fin: { client: boolean; server: boolean }): string {
  const decrypted = t.decryption === 'decrypted';
  const parts: string[] = [];
  for (const side of ['client', 'server'] as Side[]) {
    const mine = t.alerts!.filter((a) => a.side === side);
    const named = mine.filter((a) => a.name);
    if (named.length) {
      const a = named[named.length - 1];
      const what = a.name === 'close_notify' ? 'close_notify' : `a ${a.level ? `${a.level} ` : ''}${a.name} alert`;
      parts.push(`the ${side} sent ${what} (frame ${a.frame}${a.decrypted ? ', decrypted with the key log' : ''})${fin[side] ? ' before its FIN' : ''}`);
    } else if (mine.length) {
      parts.push(`the ${side} sent an encrypted alert record (frame ${mine[mine.length - 1].frame})${fin[side] ? ' before its FIN' : ''}, probably its close_notify`);
    } else if (fin[side] && (decrypted || t.version !== 'TLS 1.3')) {
      parts.push(`the ${side} closed the TCP connection without sending close_notify${decrypted ? ' (its records are decrypted: none is an alert)' : ''}`);
    }
  }
  if (!parts.length) return '';
  const s = parts.join('; ');
  const missing = parts.some((p) => p.includes('without sending close_notify'));
  const lost = t.lostRecords ? ` ${t.lostRecords} TLS record${t.lostRecords === 1 ? ' was' : 's were'} lost to holes in the capture, so an alert in them cannot be seen.` : '';
  return `${s[0].toUpperCase()}${s.slice(1)}.${missing ? ' A missing close_notify means the application closed the TCP connection without shutting TLS down (RFC 5246 7.2.1, RFC 8446 6.1).' : ''}${lost}`;
}

/** The TLS part of a close's explanation (also used to restate it once a key log decrypted the connection). */
export function tlsCloseSentence(t: TlsFacts, fin: { client: boolean; server: boolean }): string {
  if (t.alerts && (t.decryption === 'decrypted' || t.version !== 'TLS 1.3')) return alertSentence(t, fin);
  if (t.version === 'TLS 1.3') return `The connection used TLS 1.3: ${t.note}`;
  if (!t.alertBeforeFin) return '';
  const parts: string[] = [];
  for (const side of ['client', 'server'] as Side[]) {
    if (!fin[side]) continue;
    parts.push(
      t.alertBeforeFin[side]
        ? `the ${side} sent a TLS alert record (${t.inferred ? 'inferred from its size' : 'seen'}) right before its FIN, probably its close_notify`
        : t.inferred
          ? `nothing the size of an alert came from the ${side} right before its FIN (without payload this cannot be checked further)`
          : `the ${side} sent its FIN without a TLS alert first, i.e. without close_notify`,
    );
  }
  if (!parts.length) return '';
  const s = parts.join('; ');
  const anyMissing = (['client', 'server'] as Side[]).some((side) => fin[side] && !t.alertBeforeFin![side]);
  if (!anyMissing || t.inferred) return `${s[0].toUpperCase()}${s.slice(1)}.`;
  return `${s[0].toUpperCase()}${s.slice(1)}. A missing close_notify means the application closed the TCP connection without shutting TLS down properly (RFC 5246 7.2.1, RFC 8446 6.1); a peer that still had something to send or read then often answers with a RST.`;
}

const ZEEK_ENDS: Record<ZeekEndReason, string> = {
  'attempt-timer': 'Zeek gives up on a SYN that has had no answer for 5 s',
  closed: 'Zeek forgets a connection 5 s after both sides closed or one reset it',
  'expire-timer': 'Zeek drops a connection that one side has closed once it has been quiet for more than 5 s',
  inactivity: 'Zeek drops a connection after 5 minutes without a packet',
  reuse: 'for Zeek a SYN after a close, or with a new initial sequence number, starts a new connection',
};

/** For readers holding a Zeek conn.log: why Zeek shows this one TCP stream as several rows. */
function zeekSentence(log: readonly ZeekLogEntry[]): string {
  const reasons = [...new Set(log.flatMap((z) => (z.endedBy ? [ZEEK_ENDS[z.endedBy]] : [])))];
  const rows = log.map((z) => `${z.zeekState} ${z.history}`).join(', then ');
  return `Zeek would log this as ${log.length} connections (${rows}): ${reasons.join('; ')}. tshark, like Teardown, keeps one stream; the Zeek state given for it is the last row's.`;
}

