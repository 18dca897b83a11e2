/**
 * "Export": the ladders on screen as SVG / PNG (either theme) / Mermaid; with a capture loaded
 * also the open connections as pcap (their original frames, re-read by the engine), the flow table
 * as CSV (the rows the filters show) and the whole analysis as JSON (the `analyze --json` schema).
 * Every file is made here and saved through a Blob URL: nothing goes over the network.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LadderData } from '../../render/ladder-types';
import { KIND_STYLE } from '../../model/close-kinds';
import { ladderToMermaid, laddersToMarkdown } from '../../export/mermaid';
import { connectionsToCsv } from '../../export/csv';
import { useView } from '../../state/store';
import { exportCapture, fullReport, queryFlows } from '../../worker/client';
import { ladderDataToShared } from '../share/to-ladder-data';
import { analysisStem, download, fileStem } from './download';
import { exportLaddersSvg, svgToPng, type ExportTheme } from './svg-export';
import { pseudonymiseLadders } from '../../share/anonymise-ladders';
import { drawOffscreen } from './offscreen-ladders';
import '../share/share.css';
import { ipPort } from '../../model/endpoint-text';

const ep = (e: { ip: string; port: number }) => ipPort(e.ip, e.port);

export function ladderCaption(d: LadderData): string {
  const c = d.connection;
  const kind = c.close ? KIND_STYLE[c.close.kind]?.label ?? c.close.kind : 'no close seen';
  return `${ep(c.client)} ⇄ ${ep(c.server)} · ${kind}${c.close?.initiator ? `, ${c.close.initiator} closed first` : ''}${d.origin ? ` (${d.origin})` : ''}`;
}

function stem(datas: LadderData[]): string {
  const c = datas[0]?.connection;
  return c ? fileStem(`teardown-${c.client.ip}-${c.client.port}-${c.server.ip}-${c.server.port}${datas.length > 1 ? `-and-${datas.length - 1}` : ''}`) : 'teardown';
}

export function ExportMenu({ datas: shown, withCapture }: { datas: LadderData[]; withCapture: boolean }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const [theme, setTheme] = useState<ExportTheme>('current');
  // Pseudonyms as a share link makes them (share/anonymise.ts): the ladders, their captions and file names, and the
  // pcap's IP headers all use the same ones.
  const [pseudo, setPseudo] = useState(false);
  const pseudonymous = useMemo(() => (pseudo ? pseudonymiseLadders(shown) : null), [pseudo, shown]);
  const datas = pseudonymous?.datas ?? shown;
  const [note, setNote] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const ladderRows = useView((s) => s.ladders).flatMap((l) => (l.type === 'row' ? [l.row] : []));

  // A menu closes on a click elsewhere or Escape.
  useEffect(() => {
    const close = (e: Event) => {
      const m = menu.current;
      if (!m?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !m.contains(e.target as Node)) m.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);

  const svgs = () => {
    const section = menu.current?.closest('.ladders');
    return Array.from(section?.querySelectorAll<SVGSVGElement>('svg[data-testid="ladder"]') ?? []);
  };
  const run = (what: string, f: () => Promise<string | void> | string | void) => async () => {
    setBusy(true);
    setNote('');
    try {
      const r = await f();
      setNote(r || `${what}: saved.`);
    } catch (e) {
      setNote(`${what} failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const svg = () => {
    const list = svgs();
    if (!list.length) throw new Error('no ladder is drawn');
    if (!pseudonymous) return exportLaddersSvg(list, datas.map(ladderCaption), theme);
    // The screen shows the real addresses: the pseudonymised ladders are drawn aside, as the screen draws them.
    const aside = drawOffscreen(datas, list);
    try {
      return exportLaddersSvg(aside.svgs, datas.map(ladderCaption), theme);
    } finally {
      aside.dispose();
    }
  };
  const suffix = theme === 'current' ? '' : `-${theme}`;

  return (
    <details className="export-menu" ref={menu} data-testid="export-menu">
      <summary aria-label="Export">Export ▾</summary>
      <div className="menu" role="group" aria-label="Export">
        <label style={{ fontSize: 13 }} title="Addresses as a share link replaces them (where the analysis found them), file names as capture N; in the pcap, every IP header (checksums updated)">
          <input type="checkbox" checked={pseudo} onChange={(e) => setPseudo(e.target.checked)} data-testid="export-pseudonymise" /> Pseudonymise addresses (ladders and pcap)
        </label>
        <h4>{datas.length > 1 ? `These ${datas.length} ladders` : 'This ladder'}</h4>
        <label style={{ fontSize: 13 }}>
          Colours{' '}
          <select value={theme} onChange={(e) => setTheme(e.target.value as ExportTheme)} data-testid="export-theme">
            <option value="current">as shown</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <button disabled={busy || !datas.length} data-testid="export-svg" onClick={run('SVG', () => download(`${stem(datas)}${suffix}.svg`, svg().text, 'image/svg+xml'))}>
          SVG (vector, as on screen)
        </button>
        <button
          disabled={busy || !datas.length}
          data-testid="export-png"
          onClick={run('PNG', async () => download(`${stem(datas)}${suffix}.png`, await svgToPng(svg(), 2), 'image/png'))}
        >
          PNG (2× pixels)
        </button>
        <button
          disabled={busy || !datas.length}
          data-testid="export-mermaid"
          onClick={run('Mermaid', () => {
            const shared = datas.map((d) => ladderDataToShared(d));
            if (shared.length === 1) download(`${stem(datas)}.mmd`, ladderToMermaid(shared[0]), 'text/plain');
            else download(`${stem(datas)}.md`, laddersToMarkdown(shared.map((ladder, i) => ({ caption: ladderCaption(datas[i]), ladder }))), 'text/markdown');
          })}
        >
          Mermaid sequence diagram{datas.length > 1 ? 's' : ''}
        </button>
        {withCapture && (
          <>
            <h4>Connections</h4>
            {pseudo && <p className="note" style={{ margin: 0 }}>The flow table (CSV) and the analysis (JSON) keep the real addresses.</p>}
            <button
              disabled={busy || !ladderRows.length}
              data-testid="export-pcap"
              onClick={run('pcap', async () => {
                const r = await exportCapture(ladderRows, pseudonymous ? { addresses: pseudonymous.addresses, names: pseudonymous.names } : undefined);
                if (!r) throw new Error('nothing is loaded');
                if (r.packets) download(`${stem(datas)}.${r.format}`, r.bytes as Uint8Array<ArrayBuffer>, 'application/vnd.tcpdump.pcap');
                return [
                  r.packets ? `${r.format}: ${r.packets} packets of ${r.connections} connection${r.connections > 1 ? 's' : ''} saved.` : 'No packet bytes to save.',
                  r.leftOut.text ? `${r.leftOut.text} packets come from text captures, which hold no packet bytes: left out.` : '',
                  r.leftOut.unread ? `${r.leftOut.unread} packets could not be read again from their file: left out.` : '',
                  r.pseudonymised ? `Addresses pseudonymised in ${r.pseudonymised.headers} IP headers.` : '',
                  r.leftOut.original ? `${r.leftOut.original} packets still held an original address in their payload: left out.` : '',
                ].filter(Boolean).join(' ');
              })}
            >
              Open connections as pcap ({ladderRows.length}), original packets
            </button>
            <button
              disabled={busy}
              data-testid="export-csv"
              onClick={run('CSV', async () => {
                const [report, rows] = await Promise.all([fullReport(), queryFlows(useView.getState().query)]);
                if (!report) throw new Error('nothing is loaded');
                const filtered = rows.length < report.connections.length ? '-filtered' : '';
                download(`${analysisStem(report.inputs.map((i) => i.file))}-connections${filtered}.csv`, connectionsToCsv(Array.from(rows, (r) => report.connections[r])), 'text/csv');
                return `CSV: ${rows.length} connections (as filtered and sorted) saved.`;
              })}
            >
              Flow table as CSV (rows shown)
            </button>
            <button
              disabled={busy}
              data-testid="export-json"
              onClick={run('JSON', async () => {
                const report = await fullReport();
                if (!report) throw new Error('nothing is loaded');
                download(`${analysisStem(report.inputs.map((i) => i.file))}-analysis.json`, JSON.stringify(report, null, 2) + '\n', 'application/json');
                return `JSON: ${report.connections.length} connections saved (the analyze --json document).`;
              })}
            >
              Whole analysis as JSON (analyze --json)
            </button>
          </>
        )}
        {note && <p className="note" role="status" data-testid="export-note">{note}</p>}
      </div>
    </details>
  );
}
