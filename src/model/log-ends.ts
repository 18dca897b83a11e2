/**
 * How connections known only from a firewall log ended, as the log says (their Teardown's normalised reason,
 * model/teardown-reasons.ts), grouped for the summary beside the capture's close kinds: a log has no packets, so no
 * close kind, but its Teardown lines do say why each connection went. Reasons that tell the user the same thing are
 * one group (ASA's idle, conn- and flow timeouts; the unknown reasons); a connection with no Teardown is still open.
 * Each group names the reason codes it counts, which is also what clicking it filters on (FlowQuery.reasonKinds),
 * and borrows the colour of the close kind it is closest to, so the two summaries read alike.
 */
import { TEARDOWN_REASON, type TeardownReasonName } from './teardown-reasons';
import { NO_REASON_KIND } from './flow-columns';

export interface LogEndGroup {
  key: string;
  label: string;
  /** One line for the tooltip. */
  meaning: string;
  /** Teardown reason codes (TEARDOWN_REASON; NO_REASON_KIND: no Teardown) counted in this group. */
  codes: readonly number[];
  /** A close kind's colour (model/close-kinds.ts): the kind the group is closest to. */
  colorVar: `--kind-${string}`;
}

const group = (key: string, label: string, meaning: string, names: readonly TeardownReasonName[], colorVar: `--kind-${string}`): LogEndGroup => ({
  key, label, meaning, codes: names.map((n) => TEARDOWN_REASON[n]), colorVar,
});

/** In display order: endpoint closes first (clean, then resets), then the firewall's own reasons, then the rest. */
export const LOG_END_GROUPS: readonly LogEndGroup[] = [
  group('fins', 'TCP FINs', 'torn down after FINs from both ends: a normal close', ['fins'], '--kind-clean'),
  group('reset-inside', 'reset, inside', 'an RST from the inside (higher-security) interface', ['reset-inside'], '--kind-reset'),
  group('reset-outside', 'reset, outside', 'an RST from the outside (lower-security) interface', ['reset-outside'], '--kind-reset'),
  group('reset-client', 'reset, client', 'an RST from the client (the side that opened it)', ['reset-client'], '--kind-reset'),
  group('reset-server', 'reset, server', 'an RST from the server', ['reset-server'], '--kind-reset'),
  group('reset-by-firewall', 'firewall reset', 'an RST the firewall itself sent', ['reset-by-firewall'], '--kind-finrst'),
  group('syn-timeout', 'SYN timeout', 'the handshake did not complete in time (embryonic timeout)', ['syn-timeout'], '--kind-unanswered'),
  group('fin-timeout', 'FIN timeout', 'half-closed, waiting too long for the last FIN or ACK', ['fin-timeout'], '--kind-half'),
  group(
    'idle-timeout', 'idle timeout', 'idle past the firewall\'s timeout (idle, conn-, flow timeout; with resets too)',
    ['idle-timeout', 'conn-timeout', 'flow-timed-out', 'connection-timeout', 'timed-out-with-reset'], '--kind-half',
  ),
  group('inspection', 'inspection', 'ended by application inspection or IPS', ['closed-by-inspection', 'inspection-deny'], '--kind-refused'),
  group('admin-clear', 'cleared', 'an administrator cleared the connection', ['admin-clear'], '--kind-refused'),
  group('other', 'other reason', 'a Teardown whose reason the decoder does not know (or none given)', ['none', 'other', 'other-reset', 'other-fin'], '--kind-unanswered'),
  { key: 'open', label: 'still open', meaning: 'no Teardown in the log: still open when it ends', codes: [NO_REASON_KIND], colorVar: '--kind-open' },
];

export interface LogEndCount {
  group: LogEndGroup;
  count: number;
}

/** The groups that occur in `perReason` (connections per reason code, 256 entries: FlowOverview.logEnds), in order. */
export function logEndCounts(perReason: ArrayLike<number>): LogEndCount[] {
  const out: LogEndCount[] = [];
  for (const g of LOG_END_GROUPS) {
    let count = 0;
    for (const code of g.codes) count += perReason[code] ?? 0;
    if (count > 0) out.push({ group: g, count });
  }
  return out;
}

/** Whether every code of `g` is in the query's reason kinds (its bar is pressed). */
export const groupSelected = (g: LogEndGroup, reasonKinds: readonly number[] | undefined): boolean =>
  !!reasonKinds?.length && g.codes.every((c) => reasonKinds.includes(c));

/** The query's reason kinds with `g` toggled: its codes added, or taken out when all were in. */
export function toggleGroup(g: LogEndGroup, reasonKinds: readonly number[] | undefined): number[] {
  const now = reasonKinds ?? [];
  return groupSelected(g, now) ? now.filter((c) => !g.codes.includes(c)) : [...now, ...g.codes.filter((c) => !now.includes(c))];
}

/** The group a reason code is counted in (every code 0..NO_REASON_KIND in the table is in one). */
export const groupOfCode = (code: number): LogEndGroup | undefined => LOG_END_GROUPS.find((g) => g.codes.includes(code));
