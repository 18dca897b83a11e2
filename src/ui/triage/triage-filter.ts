/**
 * The triage panel keeps no filter of its own: it reads the table's query (time range, deny classes, address), so
 * the brush, a clicked class or host filter the table and every chart at once. Hosts are "ip/port" in the engine's
 * names and "ip:port" / "[v6]:port" in the address filter.
 */
import type { FlowQuery, TriageFilter, TriageView } from '../../engine/api';
import { ipPort } from '../../model/endpoint-text';
import { formatInfo } from '../../model/formats';

export function triageFilterOf(q: FlowQuery): TriageFilter {
  return { fromUs: q.fromUs, toUs: q.toUs, classes: q.denyClasses, host: hostOfAddress(q.address) };
}

/** The host the address filter names exactly ("10.0.0.1", "10.0.0.1:443", "[2001:db8::1]:443"), '' otherwise. */
export function hostOfAddress(address: string): string {
  const s = address.trim();
  let m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(s) ?? /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(s);
  if (m) return `${m[1].toLowerCase()}/${m[2]}`;
  m = /^\d+\.\d+\.\d+\.\d+$/.exec(s) ?? /^[0-9a-fA-F]*:[0-9a-fA-F:.]+$/.exec(s);
  return m ? s.toLowerCase() : '';
}

export function addressOfHost(host: string): string {
  const slash = host.lastIndexOf('/');
  if (slash < 0) return host;
  const ip = host.slice(0, slash);
  return ipPort(ip, host.slice(slash + 1));
}

/** "10.0.0.1/443" as people write it: "10.0.0.1:443". */
export const hostText = (host: string): string => addressOfHost(host);

/**
 * What the panel calls its denies: their message ids as the log prints them ("106015"), from the view, so another
 * vendor's log is named by its own ids; "TCP" when no deny is counted.
 */
export function idsText(view: Pick<TriageView, 'messageIds'>): string {
  return view.messageIds.length ? view.messageIds.join(', ') : 'TCP';
}

/**
 * How to log connection messages, in the terms of each firewall log format read (model/formats.ts
 * connectionLogging): " (ASA/FTD: ...; FortiGate: ...)", empty when no format says.
 */
export function loggingAdvice(view: Pick<TriageView, 'logFormats'>): string {
  const advice = view.logFormats.map((f) => formatInfo(f).connectionLogging).filter(Boolean);
  return advice.length ? ` (${advice.join('; ')})` : '';
}
