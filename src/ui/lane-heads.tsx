/** The lane names pinned above a ladder while it scrolls (the ladder's own copy scrolls away with it). */
import type { LadderGeometry } from '../render/ladder-geometry';

export function LaneHeads({ geo, scale }: { geo: LadderGeometry; scale: number }) {
  return (
    <div className="lanesticky" aria-hidden="true" style={{ height: 34 * scale, marginBottom: -34 * scale }}>
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
