/**
 * "Share": a link whose fragment carries the ladders on screen (src/share/). Addresses are
 * pseudonymised unless unticked; the link's length is shown before it is copied.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LadderData } from '../../render/ladder-types';
import { makeShareState } from '../../share/make-share';
import { encodeShareFragment } from '../../share/link-codec';
import type { ShareView } from '../../share/share-state';
import { useView } from '../../state/store';
import { CLOSE_LEAD, CLOSE_SPAN } from '../../model/close-window';
import './share.css';

/** Links longer than this get cut by some chat tools and mail clients. */
const LONG_LINK = 2000;

/** The share URL for the shown ladders (pseudonyms also replace file names: src/share/anonymise.ts). */
export function shareLink(datas: LadderData[], view: ShareView, o: { anonymise: boolean; ports: boolean; whole: boolean }): string {
  const state = makeShareState(
    datas.map((d) => ({ connection: d.connection, packets: d.packets })),
    view,
    o,
  );
  return `${location.origin}${location.pathname}${location.search}#${encodeShareFragment(state)}`;
}

async function copyText(text: string, field: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or an insecure origin): select it so Ctrl+C does it.
    field?.focus();
    field?.select();
    return false;
  }
}

export function ShareDialog({ datas, onClose }: { datas: LadderData[]; onClose: () => void }) {
  const timeMode = useView((s) => s.timeMode);
  const focus = useView((s) => s.focus);
  const labels = useView((s) => s.labels);
  const [anonymise, setAnonymise] = useState(true);
  const [ports, setPorts] = useState(false);
  const [whole, setWhole] = useState(focus === 'whole');
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const first = useRef<HTMLInputElement>(null);

  const link = useMemo(() => {
    const view: ShareView = { timeMode, focus, labels: { flags: labels.flags, seq: labels.seq, length: labels.length, window: labels.window } };
    return shareLink(datas, view, { anonymise, ports: anonymise && ports, whole });
  }, [datas, timeMode, focus, labels, anonymise, ports, whole]);
  useEffect(() => setCopied(null), [link]);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const packets = datas.reduce((n, d) => n + d.packets.length, 0);
  return (
    <div className="help share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-h" onClick={onClose} data-testid="share-dialog">
      <div onClick={(e) => e.stopPropagation()}>
        <h2 id="share-h" style={{ marginTop: 0 }}>Share {datas.length === 1 ? 'this ladder' : `these ${datas.length} ladders`}</h2>
        <p className="muted">
          The link itself holds the ladders ({whole ? 'whole connections' : 'the close of each connection'}, the analysis and its explanation).
          It is read after the <code>#</code>, which browsers never send to a server: nothing is uploaded.
        </p>
        <fieldset className="share-options">
          <label>
            <input ref={first} type="checkbox" checked={anonymise} onChange={(e) => setAnonymise(e.target.checked)} data-testid="share-anonymise" />
            Replace addresses with stand-ins (192.0.2.x, 2001:db8::x)
          </label>
          <label className={anonymise ? '' : 'disabled'}>
            <input type="checkbox" checked={anonymise && ports} disabled={!anonymise} onChange={(e) => setPorts(e.target.checked)} data-testid="share-ports" />
            Replace client ports too (ports under 1024 stay: they say what the service is)
          </label>
          <label>
            <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} data-testid="share-whole" />
            Whole connection{whole ? '' : ` (now: the close only, as drawn: ${CLOSE_LEAD} packets before the first FIN/RST and up to ${CLOSE_SPAN} from it on)`}
          </label>
        </fieldset>
        {!anonymise && <p className="share-warn" role="note">The link will show the real addresses and ports to whoever opens it.</p>}
        <label htmlFor="share-link" className="share-len" data-testid="share-length" data-length={link.length}>
          Link: <strong>{link.length.toLocaleString('en')}</strong> characters · {packets} packets in {datas.length} ladder{datas.length > 1 ? 's' : ''}
          {link.length > LONG_LINK && <span className="share-warn"> · long: some chat and mail tools cut links past {LONG_LINK.toLocaleString('en')} characters</span>}
        </label>
        <textarea id="share-link" ref={field} className="share-link" readOnly value={link} rows={4} spellCheck={false} onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
        <div className="row" style={{ marginTop: 10 }}>
          <button className="primary" onClick={async () => setCopied((await copyText(link, field.current)) ? 'yes' : 'select')} data-testid="share-copy">
            Copy link
          </button>
          <a href={link} target="_blank" rel="noopener noreferrer">Open in a new tab</a>
          <span className="spacer" style={{ flex: 1 }} />
          <span role="status" className="muted">{copied === 'yes' ? 'Copied.' : copied === 'select' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}</span>
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
