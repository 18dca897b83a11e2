/**
 * The search box's help: the filter syntax and every field it knows, listed from model/filter/fields.ts so the list
 * is always the one the parser uses.
 */
import { useState } from 'react';
import { FIELDS } from '../model/filter/fields';

const EXAMPLES = [
  'tcp.port == 443',
  'ip.addr == 10.0.0.0/8 && tcp.flags.reset == 1',
  'tcp.dstport in {443 8443} and not tcp.analysis.retransmission',
  'teardown.close == fin-then-rst or teardown.denied',
  'teardown.reason contains "idle"',
];

export function FilterHelp() {
  const [open, setOpen] = useState(false);
  return (
    <span className="filterhelp">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} title="Filter syntax" data-testid="filter-help-toggle">
        ?
      </button>
      {open && (
        <div className="filterhelp-panel" role="dialog" aria-label="Filter syntax" data-testid="filter-help"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <p>
            Type a Wireshark display filter, or plain text to search endpoints, close kinds and reasons. Operators:{' '}
            <code>== != &gt; &lt; &gt;= &lt;=</code> (or <code>eq ne gt lt ge le</code>), <code>in {'{443 8443 9000..9100}'}</code>,{' '}
            <code>contains</code>, <code>and &amp;&amp;</code>, <code>or ||</code>, <code>not !</code>, parentheses. Addresses
            take a network: <code>10.0.0.0/8</code>.
          </p>
          <p>
            A connection matches a packet field when any of its packets does, and <code>not</code> / <code>!=</code> apply to the
            whole connection: <code>not tcp.flags.reset == 1</code> is a connection without any RST.
          </p>
          <p>Examples: {EXAMPLES.map((x) => <code key={x} className="example">{x}</code>)}</p>
          <table>
            <tbody>
              {Object.entries(FIELDS).map(([name, f]) => (
                <tr key={name}><td><code>{name}</code></td><td>{f.help}{f.values ? `: ${f.values.join(', ')}` : ''}</td></tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => setOpen(false)}>Close</button>
        </div>
      )}
    </span>
  );
}
