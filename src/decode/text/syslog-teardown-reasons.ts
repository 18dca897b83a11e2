/**
 * ASA/FTD teardown reason text (302014/302304 tail, FTD 430003 `Reason`; Cisco 302014 reasons table, formats.md
 * §1.3) to the normalised reason (model/teardown-reasons.ts). Spellings vary ("TCP Reset - I" and "TCP Reset-I"
 * are one reason, case varies between releases), so each reason is a pattern. A text matching none is 'other',
 * or 'other-reset' / 'other-fin' when its words name the close packet ("Flow reset by IPS", "Probe received FIN").
 */
import { TEARDOWN_REASON, unknownReasonName, type TeardownReasonName } from '../../model/teardown-reasons';

const PATTERNS: [RegExp, TeardownReasonName][] = [
  [/^TCP FINs$/i, 'fins'],
  [/^TCP Reset\s*-\s*I$/i, 'reset-inside'],
  [/^TCP Reset\s*-\s*O$/i, 'reset-outside'],
  [/^TCP Reset\s*-\s*APPLIANCE$/i, 'reset-by-firewall'],
  [/^SYN Timeout$/i, 'syn-timeout'],
  [/^FIN Timeout$/i, 'fin-timeout'],
  [/^Idle Timeout$/i, 'idle-timeout'],
  [/^Conn-timeout$/i, 'conn-timeout'],
  [/^Flow timed out$/i, 'flow-timed-out'],
  [/^Connection timeout$/i, 'connection-timeout'],
  [/^Flow timed out with reset$/i, 'timed-out-with-reset'],
  [/^Flow closed by inspection$/i, 'closed-by-inspection'],
  [/^Deny Terminate$/i, 'inspection-deny'],
  [/^Xlate Clear$/i, 'admin-clear'],
];

/** Reasons by text already seen (a log has few distinct ones; bounded for one with many free-text ones). */
const seen = new Map<string, TeardownReasonName>();

/** The normalised reason of a reason text as printed (null or blank: 'none'), remembered per text. */
export function teardownReasonName(text: string | null): TeardownReasonName {
  if (text === null) return 'none';
  let name = seen.get(text);
  if (name === undefined) {
    name = classify(text.trim());
    if (seen.size >= 4096) seen.clear();
    seen.set(text, name);
  }
  return name;
}

function classify(t: string): TeardownReasonName {
  if (t === '') return 'none';
  for (const [re, name] of PATTERNS) if (re.test(t)) return name;
  return unknownReasonName(t);
}

/** TEARDOWN_REASON code of a reason text (teardownReasonName). */
export const teardownReasonCode = (text: string | null): number => TEARDOWN_REASON[teardownReasonName(text)];
