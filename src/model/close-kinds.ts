/**
 * Every close kind, declared once: its name (the key), its order (the order of declaration: legends, the kind
 * chart, filters and the typed-array code), its label and one-line meaning, the CSS custom property holding its
 * colour (src/ui/styles.css defines one per kind for each theme; a unit test checks), the built-in lesson that
 * shows its textbook version, how the ladder head says who closed, and which kind is the clean reference the page
 * compares others with. Everything else derives from this table: the CloseKind type, the codes in the flow
 * table's columns, the summary's per-server counts, what a share link may claim, and the explanation (which
 * analysis/explain.ts keys by CloseKind, so the compiler asks for the text of a new kind).
 *
 * Adding a kind: one entry here, one explainer in analysis/explain.ts (a compile error until it exists), one colour
 * per theme in styles.css (a test failure until it exists), and the rule that picks it in analysis/close.ts.
 */

export interface CloseKindInfo {
  label: string;
  /** One line for tooltips and the legend. */
  meaning: string;
  /** CSS custom property holding the colour (themes define both). */
  colorVar: `--kind-${string}`;
  /** Id of the built-in lesson (public/lessons/) that walks through this kind of close. */
  lesson: string;
  /** The lesson when the server closed first, for a kind that has one of its own. */
  serverFirstLesson?: string;
  /** What the ladder head says of who closed, from the close's initiator; null when nobody did. */
  closedBy: (initiator: 'client' | 'server' | null) => string | null;
  /** The textbook close the others are compared with ("Compare with clean"): exactly one kind. */
  reference?: true;
}

const firstCloser = (who: 'client' | 'server' | null) => (who ? `${who} closed first` : null);

const TABLE = {
  clean: {
    label: 'clean', meaning: 'both sides sent FIN, no RST', colorVar: '--kind-clean', lesson: 'clean-close',
    serverFirstLesson: 'clean-close-server-first', closedBy: firstCloser, reference: true,
  },
  'fin-then-rst': { label: 'FIN then RST', meaning: 'FINs, then an RST ended it', colorVar: '--kind-finrst', lesson: 'fin-then-rst', closedBy: firstCloser },
  reset: { label: 'reset', meaning: 'ended by an RST without FINs', colorVar: '--kind-reset', lesson: 'abortive-close', closedBy: firstCloser },
  refused: {
    label: 'refused', meaning: 'SYN answered by RST', colorVar: '--kind-refused', lesson: 'refused',
    closedBy: (who) => `refused by the ${who ?? 'server'}`,
  },
  'half-closed': { label: 'half-closed', meaning: 'only one side sent FIN', colorVar: '--kind-half', lesson: 'half-close', closedBy: firstCloser },
  unanswered: { label: 'unanswered', meaning: 'SYN never answered', colorVar: '--kind-unanswered', lesson: 'unanswered-syn', closedBy: () => 'never answered' },
  open: { label: 'still open', meaning: 'no FIN or RST seen', colorVar: '--kind-open', lesson: 'clean-close', closedBy: firstCloser },
} as const satisfies Record<string, CloseKindInfo>;

export type CloseKind = keyof typeof TABLE;

/** The table itself, typed by kind. */
export const KIND_STYLE: Readonly<Record<CloseKind, CloseKindInfo>> = TABLE;

/** Every kind in display order. */
export const CLOSE_KINDS: readonly CloseKind[] = Object.keys(TABLE) as CloseKind[];

/** The reference kind (the one marked `reference`): what "compare with clean" looks for. */
export const REFERENCE_KIND: CloseKind = CLOSE_KINDS.find((k) => (KIND_STYLE[k] as CloseKindInfo).reference)!;

const CODES = new Map(CLOSE_KINDS.map((k, i) => [k, i]));

/** Index of a kind in CLOSE_KINDS, 255 when unknown (used in typed-array columns). */
export function kindCode(kind: CloseKind | undefined): number {
  return kind === undefined ? 255 : CODES.get(kind) ?? 255;
}

export function kindFromCode(code: number): CloseKind | null {
  return code < CLOSE_KINDS.length ? CLOSE_KINDS[code] : null;
}

/** True when `v` names a close kind (share links and other untrusted input). */
export function isCloseKind(v: unknown): v is CloseKind {
  return typeof v === 'string' && CODES.has(v as CloseKind);
}
