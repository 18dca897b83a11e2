/** Drop zone, file picker, paste box and the built-in examples. */
import { useRef, useState } from 'react';
import type { InputSpec, LoadOptions, LoadProgress } from '../engine/api';
import type { InputReport } from '../model/report';
import type { Example } from './examples';
import { ProgressPanel } from './progress-panel';
import { SourceList } from './source-list';
import { formatBytes } from '../render/format';
import { dateProblem, MAX_YEAR, MIN_YEAR, yearProblem } from '../model/load-options';

interface Props {
  examples: Example[] | null;
  progress: LoadProgress | null;
  lastInputs: InputReport[] | null;
  onAnalyze: (specs: InputSpec[], options: LoadOptions) => void;
  onExample: (ex: Example) => void;
  onCancel: () => void;
  /** Files chosen so far (kept by the app, so more can be added to what is loaded). */
  files: File[];
  setFiles: (f: File[]) => void;
}

export function StartPage({ examples, progress, lastInputs, onAnalyze, onExample, onCancel, files, setFiles }: Props) {
  const [paste, setPaste] = useState('');
  const [over, setOver] = useState(false);
  const [year, setYear] = useState('');
  const [date, setDate] = useState('');
  const input = useRef<HTMLInputElement>(null);

  const options = (): LoadOptions => ({
    ...(year ? { year: Number(year) } : {}),
    ...(date ? { date } : {}),
  });
  const specs = (list: File[]): InputSpec[] => [
    ...list.map((f) => ({ kind: 'blob' as const, name: f.name, blob: f })),
    ...(paste.trim() ? [{ kind: 'text' as const, name: 'pasted text', text: paste }] : []),
  ];
  const add = (more: File[]) => {
    if (!more.length) return;
    const list = [...files, ...more];
    setFiles(list);
    onAnalyze(specs(list), options());
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
            add([...e.dataTransfer.files]);
          }}
        >
          <p className="big">Drop files here</p>
          <p className="muted">pcap, pcapng (also .gz), Cisco ASA/FTD syslog, <code>tcpdump -n</code> or ASA <code>show capture</code> text. Several at once: an inside and an outside capture and the firewall's log go together.</p>
          <p>
            <button className="primary" onClick={() => input.current?.click()} disabled={busy}>Choose files…</button>
          </p>
          <input
            ref={input}
            type="file"
            multiple
            className="visually-hidden"
            aria-label="Capture or log files"
            data-testid="file-input"
            onChange={(e) => {
              add([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </div>
        {files.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <div className="row">
              <span className="muted">Chosen ({files.length}); files you add are analysed together with these:</span>
              <button onClick={() => setFiles([])} disabled={busy}>Clear</button>
            </div>
            <ul className="chosen">
              {files.map((f, i) => <li key={i}>{f.name} <span className="muted">· {formatBytes(f.size)}</span></li>)}
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
          <button className="primary" disabled={busy || (!files.length && !paste.trim())} onClick={() => onAnalyze(specs(files), options())}>
            Analyse{files.length || paste.trim() ? ` ${files.length + (paste.trim() ? 1 : 0)} source${files.length + (paste.trim() ? 1 : 0) > 1 ? 's' : ''}` : ''}
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
