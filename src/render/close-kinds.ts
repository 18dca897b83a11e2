/** How each close kind is named and coloured everywhere (badge, summary chart, ladder title). */
import type { CloseKind } from '../model/report';

export const CLOSE_KINDS: readonly CloseKind[] = [
  'clean', 'fin-then-rst', 'reset', 'refused', 'half-closed', 'unanswered', 'open',
];

export interface KindStyle {
  label: string;
  /** One line for tooltips and the legend. */
  meaning: string;
  /** CSS custom property holding the colour (themes define both). */
  colorVar: string;
}

export const KIND_STYLE: Record<CloseKind, KindStyle> = {
  clean: { label: 'clean', meaning: 'both sides sent FIN, no RST', colorVar: '--kind-clean' },
  'fin-then-rst': { label: 'FIN then RST', meaning: 'FINs, then an RST ended it', colorVar: '--kind-finrst' },
  reset: { label: 'reset', meaning: 'ended by an RST without FINs', colorVar: '--kind-reset' },
  refused: { label: 'refused', meaning: 'SYN answered by RST', colorVar: '--kind-refused' },
  'half-closed': { label: 'half-closed', meaning: 'only one side sent FIN', colorVar: '--kind-half' },
  unanswered: { label: 'unanswered', meaning: 'SYN never answered', colorVar: '--kind-unanswered' },
  open: { label: 'still open', meaning: 'no FIN or RST seen', colorVar: '--kind-open' },
};

/** Index of a kind in CLOSE_KINDS, 255 when unknown (used in typed-array columns). */
export function kindCode(kind: CloseKind | undefined): number {
  if (!kind) return 255;
  const i = CLOSE_KINDS.indexOf(kind);
  return i < 0 ? 255 : i;
}

export function kindFromCode(code: number): CloseKind | null {
  return code < CLOSE_KINDS.length ? CLOSE_KINDS[code] : null;
}
