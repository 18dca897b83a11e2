/**
 * Bodies of the ASA/FTD messages Teardown decodes, one targeted reader per message ID (formats.md §1.3-§1.13,
 * Cisco "Secure Firewall ASA Series Syslog Messages"). Each reader gets the text after `NNNNNN: ` and fills the
 * event; it returns false when the text is not the shape it knows (the caller counts and reports that).
 * Samples (anonymised):
 *   302013 Built inbound TCP connection 47772320 for OUTSIDE:198.51.100.77/55132 (198.51.100.77/55132) to INSIDE:10.20.30.15/443 (203.0.113.15/443)
 *   302014 Teardown TCP connection 47772320 for OUTSIDE:198.51.100.77/55132 to INSIDE:10.20.30.15/443 duration 0:02:05 bytes 107244 TCP FINs from INSIDE
 *   106015 Deny TCP (no connection) from 10.20.30.15/443 to 198.51.100.77/55132 flags RST  on interface INSIDE
 *   430003 EventPriority: Low, ..., SrcIP: 10.0.1.20, DstIP: 10.0.100.30, SrcPort: 50815, DstPort: 7680, Protocol: tcp, ...
 * Each reader fills a vendor-neutral event (kind, normalised deny cause, endpoints, reason text); the analysis and
 * views key on those, and show the id as the vendor's text.
 * Not handled: cluster stub connections (302022-302027), GRE/SCTP (302017/302035), 106011, VPN messages; they are
 * counted only.
 */
import type { FirewallEvent } from '../../model/firewall';
import { built, icmpConn, teardown } from './syslog-connections';
import { ftdConnection } from './syslog-ftd-events';
import { teardownReasonName, teardownReasonSpelling } from './syslog-teardown-reasons';
import { aclLog, denyAcl, denyFlags, denyIcmp, denyInbound, denySpoof, denyUdp, icmpDenied, icmpError, localHost, normalizer, toTheBox, xlate } from './syslog-denies';

/** Message IDs with a reader here. */
export const SUPPORTED_IDS: ReadonlySet<number> = new Set([
  302013, 302014, 302015, 302016, 302020, 302021, 302303, 302304,
  106001, 106006, 106007, 106010, 106014, 106015, 106016, 106021, 106022, 106023, 106100,
  609001, 609002, 305011, 305012, 710002, 710003, 419001, 419002, 313001, 313004, 313005,
  430002, 430003,
]);

/**
 * Fill `ev` from the message text s[a..] for message `id`; false when the text is not a shape we know. A teardown
 * gets its normalised reason from its reason text here, whichever reader read it.
 */
export function parseMessageBody(id: number, s: string, a: number, ev: FirewallEvent): boolean {
  const ok = readBody(id, s, a, ev);
  if (ev.kind === 'teardown') {
    ev.teardownReason = teardownReasonName(ev.reason);
    ev.reasonSpelling = teardownReasonSpelling(ev.reason);
  }
  return ok;
}

function readBody(id: number, s: string, a: number, ev: FirewallEvent): boolean {
  switch (id) {
    case 302013:
    case 302015:
    case 302303:
      return built(s, a, ev);
    case 302014:
    case 302016:
    case 302304:
      return teardown(s, a, ev);
    case 302020:
      return icmpConn(s, a, ev, true);
    case 302021:
      return icmpConn(s, a, ev, false);
    case 106015:
      return denyFlags(s, a, ev, false);
    case 106001:
      return denyFlags(s, a, ev, true);
    case 106006:
    case 106007:
      return denyUdp(s, a, ev);
    case 106014:
      return denyIcmp(s, a, ev);
    case 106010:
      return denyInbound(s, a, ev);
    case 106016:
    case 106021:
    case 106022:
      return denySpoof(s, a, ev);
    case 106023:
      return denyAcl(s, a, ev);
    case 106100:
      return aclLog(s, a, ev);
    case 609001:
      return localHost(s, a, ev, true);
    case 609002:
      return localHost(s, a, ev, false);
    case 305011:
      return xlate(s, a, ev, true);
    case 305012:
      return xlate(s, a, ev, false);
    case 710002:
      return toTheBox(s, a, ev, true);
    case 710003:
      return toTheBox(s, a, ev, false);
    case 419001:
      return normalizer(s, a, ev, false);
    case 419002:
      return normalizer(s, a, ev, true);
    case 313001:
      return icmpDenied(s, a, ev, false);
    case 313004:
      return icmpDenied(s, a, ev, true);
    case 313005:
      return icmpError(s, a, ev);
    case 430002:
      return ftdConnection(s, a, ev, true);
    case 430003:
      return ftdConnection(s, a, ev, false);
    default:
      return false;
  }
}

