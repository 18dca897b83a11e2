/** Each input with its format, size, packet/line count, warnings and errors. */
import { formatInfo } from '../model/formats';
import type { InputReport } from '../model/report';
import { formatProblem } from '../model/problems';
import { formatBytes, formatCount } from '../render/format';

const CONTAINERS: Record<string, string> = { csv: 'CSV export', 'json-lines': 'JSON lines', kiwi: 'Kiwi' };

export function formatName(i: InputReport): string {
  const inside = i.container ? ` in ${CONTAINERS[i.container] ?? i.container}` : '';
  return `${formatInfo(i.format).label}${inside}${i.gzip ? ' (gzip)' : ''}`;
}

export function SourceList({ inputs }: { inputs: InputReport[] }) {
  return (
    <ul className="sources" aria-label="Loaded sources">
      {inputs.map((i, k) => {
        const skipped = Object.entries(i.skipped).filter(([, n]) => n > 0);
        return (
          <li key={k} data-format={i.format}>
            <div className="name">{i.file}</div>
            <div className="facts">
              {formatName(i)} · {formatBytes(i.bytes)} · {formatCount(i.packets)} {formatInfo(i.format).unit} · {formatCount(i.tcpPackets)} TCP
              {skipped.length > 0 && ` · skipped ${skipped.map(([r, n]) => `${formatCount(n)} ${r}`).join(', ')}`}
            </div>
            {i.errors.slice(0, 5).map((p, j) => <div key={`e${j}`} className="problem error">✕ {formatProblem(p)}</div>)}
            {i.warnings.slice(0, 5).map((p, j) => <div key={`w${j}`} className="problem warning">⚠ {formatProblem(p)}</div>)}
            {i.errors.length + i.warnings.length > 10 && (
              <div className="problem warning">… {i.errors.length + i.warnings.length - 10} more</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
