/**
 * Why a firewall denied or dropped a packet, normalised across vendors: each decoder maps its own messages to one
 * of these (ASA/FTD: decode/text/syslog-denies.ts), and the deny columns (model/firewall-store.ts) keep the cause
 * beside the vendor's message id. Declared once here (order = the stored code, name, label, one sentence).
 */
export const DENY_CAUSES = [
  {
    name: 'no-connection',
    label: 'no connection',
    explain: 'The packet belonged to no connection in the firewall\'s table and could not open one (a TCP packet without SYN, an ICMP error or reply for an unknown flow).',
  },
  {
    name: 'access-rule',
    label: 'access rule',
    explain: 'An access rule denied the packet; the rule is named when the log names it.',
  },
  {
    name: 'security-policy',
    label: 'security policy',
    explain: 'The firewall\'s default policy denied the packet without a rule of its own (traffic from a lower security level, ICMP to or through the device).',
  },
  {
    name: 'inspection',
    label: 'inspection',
    explain: 'Application inspection dropped the packet (for example a DNS message the DNS inspection refused).',
  },
  {
    name: 'normalizer',
    label: 'TCP normalizer',
    explain: 'The TCP normalizer dropped a packet that broke the connection\'s rules (a segment larger than the MSS, a SYN with another sequence number).',
  },
  {
    name: 'spoofing',
    label: 'anti-spoofing',
    explain: 'The packet failed an anti-spoofing check: its source cannot be on the interface it came in on (reverse path check), or it is an impossible or spoofed source.',
  },
  {
    name: 'other',
    label: 'other',
    explain: 'Denied or dropped for a reason the log states in its own words.',
  },
] as const;

export type DenyCauseName = (typeof DENY_CAUSES)[number]['name'];

/** Code of a cause (its index in DENY_CAUSES), as stored in FirewallDenyColumns.cause. */
export const DENY_CAUSE: { readonly [K in DenyCauseName]: number } = Object.fromEntries(
  DENY_CAUSES.map((c, i) => [c.name, i]),
) as { [K in DenyCauseName]: number };
