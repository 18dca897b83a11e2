/** Drop zone, file picker, paste box and the built-in examples. */
import { useState } from 'react';
import type { InputSpec, LoadOptions, LoadProgress } from '../engine/api';
import type { InputReport } from '../model/report';
import type { Example } from './examples';
import { ProgressPanel } from './progress-panel';
import { PickFilesButton } from './open-files';
import { SourceList } from './source-list';
import { formatBytes } from '../render/format';
import { dateProblem, MAX_YEAR, MIN_YEAR, yearProblem } from '../model/load-options';

interface Props {
  examples: Example[] | null;
  progress: LoadProgress | null;
  lastInputs: InputReport[] | null;
  /** The inputs of the loaded analysis (null: nothing loaded). */
  loadedSpecs: InputSpec[] | null;
  /** Open: analyse these in place of what is loaded. */
  onAnalyze: (specs: InputSpec[], options: LoadOptions) => void;
  /** Add files to the loaded analysis (null: nothing loaded). */
  onAdd: ((files: File[], options: LoadOptions) => void) | null;
  onExample: (ex: Example) => void;
  onCancel: () => void;
}

const PASTED = 'pasted text';

export function StartPage({ examples, progress, lastInputs, loadedSpecs, onAnalyze, onAdd, onExample, onCancel }: Props) {
  const [paste, setPaste] = useState('');
  const [over, setOver] = useState(false);
  const [year, setYear] = useState('');
  const [date, setDate] = useState('');
  // The loaded analysis's files, read again by "Analyse" (with the text and the Year and Date); Clear forgets them.
  const [kept, setKept] = useState<InputSpec[]>(() => (loadedSpecs ?? []).filter((s) => s.name !== PASTED));

  const options = (): LoadOptions => ({
    ...(year ? { year: Number(year) } : {}),
    ...(date ? { date } : {}),
  });
  const withPaste = (list: InputSpec[]): InputSpec[] => [
    ...list,
    ...(paste.trim() ? [{ kind: 'text' as const, name: PASTED, text: paste }] : []),
  ];
  const open = (more: File[]) => {
    if (!more.length) return;
    onAnalyze(withPaste(more.map((f) => ({ kind: 'blob' as const, name: f.name, blob: f }))), options());
  };
  const busy = progress !== null;

  return (
    <main className="start">
      <section aria-labelledby="open-h">
        <h2 id="open-h">Open captures and firewall logs</h2>
        <div
          className={`dropzone${over ? ' over' : ''}`}
          onDragOver={(e) => { e.preventDefault(); setOver(true); }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            open([...e.dataTransfer.files]);
          }}
        >
          <p className="big">Drop files here</p>
          <p className="muted">pcap, pcapng (also .gz), Cisco ASA/FTD syslog, FortiGate traffic logs, <code>tcpdump -n</code> or ASA <code>show capture</code> text. Several at once: an inside and an outside capture and the firewall's log go together.</p>
          <p className="row" style={{ justifyContent: 'center' }}>
            <PickFilesButton className="primary" label="Choose files…" testId="file-input" onFiles={open} disabled={busy} title={onAdd ? 'Open files in place of the loaded analysis' : undefined} />
            {onAdd && <PickFilesButton label="Add files to this analysis…" testId="add-file-input" onFiles={(f) => onAdd(f, options())} disabled={busy} title="Analyse more files together with the loaded ones" />}
          </p>
          {onAdd && <p className="muted">Opening replaces the loaded analysis; adding analyses the new files together with it.</p>}
        </div>
        {kept.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <div className="row">
              <span className="muted">In the loaded analysis ({kept.length}); <strong>Analyse</strong> reads them again with the text and the Year and Date below:</span>
              <button onClick={() => setKept([])} disabled={busy}>Clear</button>
            </div>
            <ul className="chosen">
              {kept.map((f, i) => <li key={i}><bdi>{f.name}</bdi>{f.kind === 'blob' && <span className="muted"> · {formatBytes(f.blob.size)}</span>}</li>)}
            </ul>
          </div>
        )}
        <div className="paste" style={{ marginTop: 14 }}>
          <label htmlFor="paste"><strong>…or paste text</strong> <span className="muted">(syslog lines, tcpdump or show capture output)</span></label>
          <textarea
            id="paste"
            value={paste}
            onChange={(e) => setPaste(e.target.value)}
            placeholder={'12:00:47.907301 10.20.30.15.443 > 198.51.100.77.55132: F 2320205170:2320205170(0) ack 991843171 win 65535'}
            spellCheck={false}
          />
        </div>
        <div className="row options" style={{ marginTop: 8 }}>
          <label title="For syslog stamps without a year">Year <input type="number" value={year} min={MIN_YEAR} max={MAX_YEAR} style={{ width: 84 }} onChange={(e) => setYear(e.target.value)} placeholder="auto" aria-invalid={!!year && !!yearProblem(Number(year))} title={year ? (yearProblem(Number(year)) ?? undefined) : undefined} data-testid="year" /></label>
          <label title="For text captures whose stamps have only a time of day">Date <input type="text" value={date} style={{ width: 120 }} onChange={(e) => setDate(e.target.value)} placeholder="YYYY-MM-DD" pattern="\d{4}-\d{2}-\d{2}" aria-invalid={!!date && !!dateProblem(date)} title={date ? (dateProblem(date) ?? undefined) : undefined} data-testid="date" /></label>
          <span className="spacer" style={{ flex: 1 }} />
          <button className="primary" disabled={busy || (!kept.length && !paste.trim())} onClick={() => onAnalyze(withPaste(kept), options())}>
            Analyse{kept.length || paste.trim() ? ` ${kept.length + (paste.trim() ? 1 : 0)} source${kept.length + (paste.trim() ? 1 : 0) > 1 ? 's' : ''}` : ''}
          </button>
        </div>
        {progress && <ProgressPanel progress={progress} onCancel={onCancel} />}
        {lastInputs && !progress && (
          <>
            <h2 style={{ marginTop: 16 }}>Loaded</h2>
            <SourceList inputs={lastInputs} />
          </>
        )}
      </section>
      <section aria-labelledby="ex-h">
        <h2 id="ex-h">Examples</h2>
        {!examples && <p className="muted">Listing examples…</p>}
        <ul className="examples">
          {examples?.map((ex, i) => (
            <li key={ex.key}>
              <button className={i === 0 ? 'first' : ''} onClick={() => onExample(ex)} disabled={busy} data-example={ex.key}>
                <strong>{ex.title}</strong>
                <span>{ex.description}</span>
              </button>
            </li>
          ))}
        </ul>
        <p className="muted" style={{ fontSize: 13, marginTop: 14 }}>
          Everything is decoded here, in this tab. Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
      </section>
    </main>
  );
}
