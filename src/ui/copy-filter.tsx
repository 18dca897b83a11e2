/** "Wireshark filter" above a ladder: copies a display filter that finds this connection in Wireshark or tshark. */
import { useState } from 'react';
import type { ConnectionReport } from '../model/report';
import { streamFilter, tupleFilter } from '../render/wireshark-filter';

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard (an insecure origin, or permission refused): the text is shown instead
  }
}

export function CopyFilter({ connection }: { connection: ConnectionReport }) {
  const [shown, setShown] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  if (connection.source === 'syslog') return null;
  const filters: [string, string, string][] = [];
  if (connection.tcpStream !== undefined) filters.push(['stream', streamFilter(connection.tcpStream), "tshark's stream number in this capture"]);
  filters.push(['4-tuple', tupleFilter(connection.client, connection.server), 'addresses and ports: also in another capture of the same traffic']);
  const pick = async (f: string) => {
    const ok = await copy(f);
    setCopied(ok ? f : null);
    setShown(ok ? null : f);
    if (ok) setTimeout(() => setCopied((c) => (c === f ? null : c)), 1500);
  };
  return (
    <div className="actions copyfilter" data-testid="copy-filter">
      <span className="muted">Wireshark filter:</span>
      {filters.map(([label, f, why]) => (
        <button key={label} onClick={() => void pick(f)} title={`Copy the Wireshark display filter ${f} (${why})`} data-filter={f}>
          {copied === f ? 'copied' : label === 'stream' ? `tcp.stream eq ${connection.tcpStream}` : '4-tuple'}
        </button>
      ))}
      {shown && <input className="filtertext" readOnly value={shown} aria-label="Wireshark display filter" onFocus={(e) => e.currentTarget.select()} autoFocus />}
    </div>
  );
}
