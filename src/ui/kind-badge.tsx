import type { CloseKind } from '../model/report';
import { KIND_STYLE } from '../model/close-kinds';

export function KindBadge({ kind }: { kind: CloseKind | null }) {
  if (!kind) return <span className="muted">—</span>;
  const s = KIND_STYLE[kind];
  return (
    <span className="kindbadge" style={{ background: `var(${s.colorVar})` }} title={s.meaning}>
      {s.label}
    </span>
  );
}
