// Shared by tests that need connections of known shapes: packets written as ASA `show capture` text lines, read by
// the real decoder and tracker (analyzeSources), so each connection's facts are the ones the engine makes.

/** How a made connection ends (the packets that make the analysis say that close kind). */
export type MadeClose = 'clean' | 'fin-then-rst' | 'reset' | 'refused' | 'half-closed' | 'unanswered';

export interface MadeConnection {
  /** `ip.port`, as the capture writes endpoints. */
  client: string;
  server: string;
  /** Seconds of the day of the first packet and of the close (fin-then-rst: its FINs; the RST is 2 ms later). */
  startSec: number;
  endSec: number;
  close: MadeClose;
  /** Who sends the first FIN or RST (default the client). */
  closer?: 'client' | 'server';
  /** Payload bytes the client sends after the handshake (default none). */
  payload?: number;
}

/** `HH:MM:SS.ffffff` of a second of the day. */
export const hms = (sec: number) => {
  const us = Math.round(sec * 1e6);
  const s = Math.floor(us / 1e6);
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(us % 1e6).padStart(6, '0')}`;
};

/** The capture lines of one connection, without their numbers (captureText numbers them). */
export function connectionLines(m: MadeConnection): string[] {
  // Initial sequence numbers of its own, so a later connection of the same 4-tuple is a new one.
  const c = Math.round(m.startSec * 1000) % 1e9;
  const v = c + 1e9;
  const t0 = hms(m.startSec);
  const t1 = hms(m.endSec);
  const up = `${m.client} > ${m.server}:`;
  const down = `${m.server} > ${m.client}:`;
  const syn = `${t0} ${up} S ${c}:${c}(0) win 65535`;
  if (m.close === 'unanswered') return [syn, `${t1} ${up} S ${c}:${c}(0) win 65535`];
  if (m.close === 'refused') return [syn, `${t1} ${down} R 0:0(0) ack ${c + 1} win 0`];
  const n = m.payload ?? 0;
  const lines = [syn, `${t0} ${down} S ${v}:${v}(0) ack ${c + 1} win 65535`, `${t0} ${up} . ack ${v + 1} win 65535`];
  if (n) lines.push(`${t0} ${up} P ${c + 1}:${c + 1 + n}(${n}) ack ${v + 1} win 65535`, `${t0} ${down} . ack ${c + 1 + n} win 65535`);
  // Each side's next sequence number and the packets of the closer (a) and the other side (b).
  const byClient = (m.closer ?? 'client') === 'client';
  const [aDir, bDir] = byClient ? [up, down] : [down, up];
  const [a, b] = byClient ? [c + 1 + n, v + 1] : [v + 1, c + 1 + n];
  const fin = (dir: string, seq: number, ack: number) => `${t1} ${dir} F ${seq}:${seq}(0) ack ${ack} win 65535`;
  const ack = (dir: string, ackNo: number) => `${t1} ${dir} . ack ${ackNo} win 65535`;
  const rst = (dir: string, seq: number, ackNo: number, t = t1) => `${t} ${dir} R ${seq}:${seq}(0) ack ${ackNo} win 0`;
  switch (m.close) {
    case 'clean':
      return [...lines, fin(aDir, a, b), fin(bDir, b, a + 1), ack(aDir, b + 1)];
    case 'fin-then-rst':
      // The RST 2 ms after the FINs: later than "together" (analysis/close.ts).
      return [...lines, fin(aDir, a, b), fin(bDir, b, a + 1), ack(aDir, b + 1), rst(aDir, a + 1, b + 1, hms(m.endSec + 0.002))];
    case 'reset':
      return [...lines, rst(aDir, a, b)];
    case 'half-closed':
      return [...lines, fin(aDir, a, b), ack(bDir, a + 1)];
  }
}

/** Capture text of lines from connectionLines: in time order (stable), numbered. */
export function captureText(lines: readonly string[]): string {
  const time = (l: string) => l.slice(0, 15);
  const byTime = [...lines].sort((x, y) => (time(x) < time(y) ? -1 : time(x) > time(y) ? 1 : 0));
  return byTime.map((l, i) => `${i + 1}: ${l}\n`).join('');
}
