/** The lane names pinned above a ladder while it scrolls (the ladder's own copy scrolls away with it). */
import type { LadderGeometry } from '../render/ladder-geometry';

/** `tag` marks a ladder that is not from the loaded data (a built-in example), pinned with the lane names. */
export function LaneHeads({ geo, scale, tag }: { geo: LadderGeometry; scale: number; tag?: string | null }) {
  return (
    <div className="lanesticky" aria-hidden="true" style={{ height: 34 * scale, marginBottom: -34 * scale }}>
      {tag && <span className="lanetag" data-testid="ladder-tag">{tag}</span>}
      <svg width={geo.width * scale} height={34 * scale} viewBox={`0 0 ${geo.width} 34`}>
        {geo.lanes.map((l) => (
          <g key={l.role}>
            <text className="lanelabel" x={l.x} y={14} textAnchor="middle">{l.label}</text>
            {l.sublabel && <text className="lanesub" x={l.subX ?? l.x} y={28} textAnchor="middle">{l.sublabel}</text>}
          </g>
        ))}
      </svg>
    </div>
  );
}
