/**
 * ASA/FTD teardown reason text (302014/302304 tail, FTD 430003 `Reason`; Cisco 302014 reasons table, formats.md
 * §1.3) to the normalised reason (model/teardown-reasons.ts) and to Cisco's spelling of it. Spellings vary ("TCP
 * Reset - I" and "TCP Reset-I" are one reason, case varies between releases), so each reason is a pattern with the
 * one spelling the triage prints for it. A text matching none is 'other', or 'other-reset' / 'other-fin' when its
 * words name the close packet (model/teardown-reasons.ts unknownReasonName).
 */
import { TEARDOWN_REASON, unknownReasonName, type TeardownReasonName } from '../../model/teardown-reasons';

/** Each reason the ASA/FTD logs: how its text may be written, the normalised reason, and Cisco's spelling of it. */
export const ASA_TEARDOWN_REASONS: readonly (readonly [RegExp, TeardownReasonName, string])[] = [
  [/^TCP FINs$/i, 'fins', 'TCP FINs'],
  [/^TCP Reset\s*-\s*I$/i, 'reset-inside', 'TCP Reset-I'],
  [/^TCP Reset\s*-\s*O$/i, 'reset-outside', 'TCP Reset-O'],
  [/^TCP Reset\s*-\s*APPLIANCE$/i, 'reset-by-firewall', 'TCP Reset-APPLIANCE'],
  [/^SYN Timeout$/i, 'syn-timeout', 'SYN Timeout'],
  [/^FIN Timeout$/i, 'fin-timeout', 'FIN Timeout'],
  [/^Idle Timeout$/i, 'idle-timeout', 'Idle Timeout'],
  [/^Conn-timeout$/i, 'conn-timeout', 'Conn-timeout'],
  [/^Flow timed out$/i, 'flow-timed-out', 'Flow timed out'],
  [/^Connection timeout$/i, 'connection-timeout', 'Connection timeout'],
  [/^Flow timed out with reset$/i, 'timed-out-with-reset', 'Flow timed out with reset'],
  [/^Flow closed by inspection$/i, 'closed-by-inspection', 'Flow closed by inspection'],
  [/^Deny Terminate$/i, 'inspection-deny', 'Deny Terminate'],
  [/^Xlate Clear$/i, 'admin-clear', 'Xlate Clear'],
];

interface Read {
  readonly name: TeardownReasonName;
  /** Cisco's spelling when the text is written otherwise (case, spaces); null: the text as written is it. */
  readonly spelling: string | null;
}

const NONE_READ: Read = { name: 'none', spelling: null };

/** Reasons by text already seen (a log has few distinct ones; bounded for one with many free-text ones). */
const seen = new Map<string, Read>();

function read(text: string | null): Read {
  if (text === null) return NONE_READ;
  let r = seen.get(text);
  if (r === undefined) {
    r = classify(text);
    if (seen.size >= 4096) seen.clear();
    seen.set(text, r);
  }
  return r;
}

function classify(text: string): Read {
  const t = text.trim();
  if (t === '') return NONE_READ;
  for (const [re, name, spelling] of ASA_TEARDOWN_REASONS) if (re.test(t)) return { name, spelling: spelling === text ? null : spelling };
  return { name: unknownReasonName(t), spelling: null };
}

/** The normalised reason of a reason text as printed (null or blank: 'none'), remembered per text. */
export const teardownReasonName = (text: string | null): TeardownReasonName => read(text).name;

/** TEARDOWN_REASON code of a reason text (teardownReasonName). */
export const teardownReasonCode = (text: string | null): number => TEARDOWN_REASON[read(text).name];

/** Cisco's spelling of a reason text the table knows, when it is written otherwise ("TCP Reset - I": "TCP Reset-I"); else null. */
export const teardownReasonSpelling = (text: string | null): string | null => read(text).spelling;
