import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['↑ ↓  j k', 'move through connections (table) or packets (ladder)'],
  ['PgUp PgDn Home End', 'jump in the table'],
  ['Enter', 'open the connection\'s ladder'],
  ['Shift+Enter  a', 'add it beside the open ladders (up to 4)'],
  ['c', 'compare with the nearest clean close'],
  ['l', 'jump to the ladder; Tab / arrows step through its packets'],
  ['← →', 'in a ladder: move to the ladder beside'],
  ['t', 'time axis: compressed → proportional → even'],
  ['f', 'focus: the close ↔ whole connection'],
  ['+ −  0', 'zoom in, out, reset'],
  ['/', 'filter the connections'],
  ['h', 'hide / show the table'],
  ['p', 'show / hide the packet list (in it: ↑ ↓ PgUp PgDn Home End)'],
  ['Shift+L', 'large type for projectors (also #large=1)'],
  ['?  Esc', 'this help / close it'],
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div onClick={(e) => e.stopPropagation()}>
        <h2 style={{ marginTop: 0 }}>Keyboard</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, v]) => (
              <tr key={k}><td className="keys">{k.split(/\s+/).map((x) => <kbd key={x}>{x}</kbd>)}</td><td>{v}</td></tr>
            ))}
          </tbody>
        </table>
        <p><button ref={ref} onClick={onClose}>Close</button></p>
      </div>
    </div>
  );
}
