/**
 * Firewall connections as objects, for tests and small reads: the log's events streamed into a FirewallLog (log.ts
 * pairs Built/Teardown per device + connection ID into columns) and every connection made into an object
 * (materialize.ts). The engine never does this for a whole log.
 */
import type { FirewallEvent } from '../../model/firewall';
import { PROTO_TCP } from '../../model/firewall-store';
import { FirewallLog } from './log';
import { connectionAt, type FirewallConnection } from './materialize';

export type { FirewallConnection } from './materialize';

/** Pairs connection events (TCP) in file order (events of several inputs/devices may be interleaved). */
export function pairFirewallConnections(events: readonly FirewallEvent[]): FirewallConnection[] {
  const log = new FirewallLog();
  for (const e of events) {
    log.files[e.input] = e.file;
    log.add(e);
  }
  log.finish();
  const out: FirewallConnection[] = [];
  for (let i = 0; i < log.conns.count; i++) if (log.conns.proto[i] === PROTO_TCP) out.push(connectionAt(log, i));
  return out;
}
