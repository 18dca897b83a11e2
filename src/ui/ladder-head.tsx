/** Above each ladder: who talked, how it ended, the analysis's explanation in plain words. */
import { useLayoutEffect, useRef, useState } from 'react';
import type { LadderData } from '../render/ladder-types';
import type { CloseFacts } from '../model/report';
import { KindBadge } from './kind-badge';
import { CopyFilter } from './copy-filter';
import { textbookHref } from './lessons/lesson-links';
import { hasPointControls, PointControls } from './point-controls';
import { pointName } from '../render/two-points';
import { ipPort } from '../model/endpoint-text';
import { KIND_STYLE, REFERENCE_KIND } from '../model/close-kinds';


function firewallLine(d: LadderData): string | null {
  const fw = d.connection.firewall;
  if (!fw) return null;
  if (fw.explanation) return fw.explanation;
  const parts: string[] = [];
  if (fw.teardown) parts.push(`teardown "${fw.teardown.reason}"${fw.teardown.from ? ` from ${fw.teardown.from}` : ''}`);
  if (fw.denies.length) parts.push(`${fw.denies.length} deny${fw.denies.length > 1 ? 'ies' : ''} (${fw.denies.map((x) => `${x.messageId} ${x.flags.trim()}`).join(', ')})`);
  return parts.length ? `${fw.device || 'Firewall'}: ${parts.join(' · ')}` : null;
}

function vantageLine(d: LadderData): string | null {
  const v = d.connection.vantage;
  if (!v || v.points.length < 2) return null;
  const n = v.dropped.length;
  const sides = v.clientSide === undefined ? v.points.join(' and ')
    : `${pointName(v.points[v.clientSide])} (the client's side) and ${pointName(v.points[1 - v.clientSide])} (the server's side)`;
  return `Seen at ${sides}${n ? `: ${n} packet${n > 1 ? 's' : ''} seen at one point only` : ': every packet was seen at both'}; clocks ${v.clockOffsetMs ? `${v.clockOffsetMs.toFixed(3)} ms apart (estimated)` : 'agree (estimated offset 0)'}.`;
}

export function LadderHead({ data, onRemove, onCompare, onWhole, hiddenBefore, firewallNote = '', roomy = false, short = false }: {
  data: LadderData;
  /** How the firewall log's events are placed and its clock (render/firewall-clock.ts); '' for none. */
  firewallNote?: string;
  /** Beside a single ladder: room for the whole explanation. */
  roomy?: boolean;
  /**
   * Above ladders that have little height: the verdict and one line of the explanation, everything else (the
   * endpoints, which the lane names show too, the Wireshark filter) behind "read all", so the close stays in view.
   */
  short?: boolean;
  onRemove: () => void;
  onCompare: (() => void) | null;
  onWhole: (() => void) | null;
  hiddenBefore: number;
}) {
  const [moreClicked, setMore] = useState(false);
  // Folded (little height): the clock offset and per-point numbers open from the verdict line on their own.
  const [clocksOpen, setClocks] = useState(false);
  const more = roomy || moreClicked;
  const [overflows, setOverflows] = useState(false);
  const text = useRef<HTMLDivElement>(null);
  // "more" only when something is cut: a clamped paragraph overflows, or the TLS note is hidden.
  useLayoutEffect(() => {
    const el = text.current;
    if (!el || more) return;
    const cut = [...el.querySelectorAll<HTMLElement>('.clamped')].some((p) => p.scrollHeight > p.clientHeight + 1);
    setOverflows(cut || short || !!c.close?.tls?.note || !!fwl || !!vl);
  });
  const c = data.connection;
  const close = c.close;
  const fwl = firewallLine(data);
  const vl = vantageLine(data);
  const initiator =
    (close && KIND_STYLE[close.kind].closedBy(close.initiator)) ??
    (c.source === 'syslog' ? 'known from the firewall log only' : 'nobody closed');
  const extras = [
    close?.simultaneous ? 'simultaneous close' : '',
    close?.finRstTogether ? 'FIN+RST together' : '',
    close?.lateRst ? 'late RST' : '',
    close?.dataAfterFin ? 'data after FIN' : '',
    close?.tls?.version ? (close.tls.version.startsWith('TLS') ? close.tls.version : `TLS ${close.tls.version}`) + (close.tls.decryption === 'decrypted' ? ' (decrypted)' : '') : '',
  ].filter(Boolean);
  const folded = short && !more;
  const reference = KIND_STYLE[REFERENCE_KIND].label;
  const twoPoints = hasPointControls(data);
  const actions = (
    <div className="actions">
      {onCompare && <button onClick={onCompare} title={`Put the nearest ${reference} close beside this one (c)`}>Compare with {reference}</button>}
      <a className="textbook" href={textbookHref(c)} title="Open the matching lesson with this connection beside it">Textbook</a>
      <button onClick={onRemove} aria-label="Close this ladder" title="Close this ladder">✕</button>
    </div>
  );
  return (
    <div className={`ladderhead${folded ? ' short' : ''}`} data-testid="ladder-head">
      <div className={`titleline${folded ? ' visually-hidden' : ''}`}>
        <h3>
          <span className="ep">{ipPort(c.client.ip, c.client.port)} ⇄ {ipPort(c.server.ip, c.server.port)}</span>
          {data.origin && <span className="origin">({data.origin})</span>}
        </h3>
        {!folded && actions}
      </div>
      <div className="verdict">
        <span className="vtext">
          <KindBadge kind={close?.kind ?? null} /> {initiator}
          {extras.length > 0 && <span className="muted"> · {extras.join(' · ')}</span>}
          {close?.zeekState && <span className="muted" title={zeekTitle(close)}> · Zeek {close.zeekLog ? close.zeekLog.map((z) => z.zeekState).join(' + ') : close.zeekState}</span>}
        </span>
        {!roomy && (overflows || more) && (
          <button className="more" onClick={() => setMore((m) => !m)} aria-expanded={more} title={more ? 'Fold the explanation' : 'The whole explanation, with the firewall and capture-point notes'}>{more ? 'less' : 'read all'}</button>
        )}
        {folded && (twoPoints || firewallNote) && (
          <button className="more" onClick={() => setClocks((o) => !o)} aria-expanded={clocksOpen} title="The clock offset between the capture points, raw or relative numbers per point, the firewall log's clock">clocks</button>
        )}
        {folded && actions}
      </div>
      <div ref={text}>
        {close?.explanation && (
          <p className={`explain${more ? '' : folded ? ' clamped one' : ' clamped'}`} data-testid="explanation">{close.explanation}</p>
        )}
        {/* Side by side the diagram matters most: the firewall and capture-point notes (their events
            are drawn on the firewall lane anyway) wait behind "read all" so the close stays in view. */}
        {fwl && <p className={`fwexp${more ? '' : ' folded'}`} data-testid="firewall-explanation">{fwl}</p>}
        {vl && <p className={`fwexp${more ? '' : ' folded'}`}>{vl}</p>}
        {firewallNote && <p className={`fwexp${more || (folded && clocksOpen) ? '' : ' folded'}`} data-testid="firewall-clock">{firewallNote}</p>}
        {more && close?.tls?.note && <p className="fwexp">{close.tls.note}</p>}
        {close?.tls?.keyLogHint && <p className="fwexp tlshint" data-testid="tls-keylog-hint">{close.tls.keyLogHint}</p>}
      </div>
      {(!folded || clocksOpen) && <PointControls data={data} />}
      {!folded && <CopyFilter connection={c} />}
      {!folded && onWhole && hiddenBefore > 0 && (
        <div className="actions"><button onClick={onWhole}>Whole connection ({data.totalPackets} packets)</button></div>
      )}
    </div>
  );
}

/** The Zeek facts as a tooltip: conn_state and history, one line per conn.log row when Zeek would split the connection. */
function zeekTitle(close: CloseFacts): string {
  if (!close.zeekLog) return `Zeek conn_state ${close.zeekState}, history ${close.history}`;
  const rows = close.zeekLog.map((z) => `${z.zeekState} ${z.history} (from packet ${z.firstPacket + 1}${z.endedBy ? `, ended by ${z.endedBy.replace('-', ' ')}` : ''})`);
  return `Zeek would log ${rows.length} connections here (its timers or a reused 4-tuple end one): ${rows.join('; ')}`;
}
