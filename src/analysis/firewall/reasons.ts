/**
 * Teardown reasons, normalised (Cisco 302014 reasons table, formats.md §1.3): the vendor's text in one spelling
 * per reason ("TCP Reset - I" and "TCP Reset-I" are one reason), and which of them are timeouts: the firewall
 * removed the connection for inactivity, not because an endpoint closed it.
 */
const CANONICAL: [RegExp, string][] = [
  [/^TCP FINs$/i, 'TCP FINs'],
  [/^TCP Reset\s*-\s*I$/i, 'TCP Reset-I'],
  [/^TCP Reset\s*-\s*O$/i, 'TCP Reset-O'],
  [/^TCP Reset\s*-\s*APPLIANCE$/i, 'TCP Reset-APPLIANCE'],
  [/^SYN Timeout$/i, 'SYN Timeout'],
  [/^FIN Timeout$/i, 'FIN Timeout'],
  [/^Idle Timeout$/i, 'Idle Timeout'],
  [/^Conn-timeout$/i, 'Conn-timeout'],
  [/^Flow timed out$/i, 'Flow timed out'],
  [/^Flow timed out with reset$/i, 'Flow timed out with reset'],
  [/^Connection timeout$/i, 'Connection timeout'],
];

const TIMEOUTS = new Set(['SYN Timeout', 'FIN Timeout', 'Idle Timeout', 'Conn-timeout', 'Flow timed out', 'Flow timed out with reset', 'Connection timeout']);

/** The reason in its one spelling; unknown reasons as printed (trimmed); "" when none. */
export function normalReason(text: string | null): string {
  const t = (text ?? '').trim();
  for (const [re, name] of CANONICAL) if (re.test(t)) return name;
  return t;
}

/** True for Idle Timeout / Conn-timeout / FIN Timeout / SYN Timeout and the FTD "Flow timed out" wordings. */
export function isTimeoutReason(text: string | null): boolean {
  return TIMEOUTS.has(normalReason(text));
}
