/** Each input with its format, size, packet/line count, warnings and errors. */
import type { InputReport } from '../model/report';
import { formatProblem } from '../model/problems';
import { formatBytes, formatCount } from '../render/format';

const FORMAT_NAMES: Record<string, string> = {
  pcap: 'pcap',
  pcapng: 'pcapng',
  'asa-syslog': 'ASA syslog',
  'asa-show-capture': 'ASA show capture',
  'tcpdump-text': 'tcpdump text',
  'tls-keylog': 'TLS key log',
  unknown: 'not recognised',
};

export function formatName(i: InputReport): string {
  return `${FORMAT_NAMES[i.format] ?? i.format}${i.gzip ? ' (gzip)' : ''}`;
}

function unit(i: InputReport): string {
  return i.format === 'pcap' || i.format === 'pcapng' ? 'packets' : 'lines';
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
              {formatName(i)} · {formatBytes(i.bytes)} · {formatCount(i.packets)} {unit(i)} · {formatCount(i.tcpPackets)} TCP
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
