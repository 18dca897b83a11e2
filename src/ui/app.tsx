/** Top level: the start page until something is loaded, then the explorer. */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { InputSpec, LoadOptions, LoadProgress, LoadResult } from '../engine/api';
import { cancelLoad, cleanCloseFor, loadInputs } from '../worker/client';
import { useView } from '../state/store';
import { StartPage } from './start-page';
import { ProgressPanel } from './progress-panel';
import { Explorer, SourceChips } from './explorer';
import { exampleInputs, listExamples, type Example } from './examples';
import { HelpDialog } from './help-dialog';
import { LessonHost } from './lessons/lesson-host';
import { SharedPage } from './share/shared-page';
import { useHashCapture, useSharedLink } from './share/use-hash';
import { ViewBoundary } from './view-boundary';
import { ExplorerDrop, PickFilesButton } from './open-files';
import type { Loaded } from './loaded';
import { inputBytes, LIVE_EVERY_MS, LIVE_ROWS_BYTES, liveLoaded, ReportGate } from './live-table';
import { ThemePicker } from './theme-picker';

const blobSpecs = (files: File[]): InputSpec[] => files.map((f) => ({ kind: 'blob', name: f.name, blob: f }));

export function App() {
  const [examples, setExamples] = useState<Example[] | null>(null);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [showStart, setShowStart] = useState(true);
  const [help, setHelp] = useState(false);
  const busy = useRef(false);
  const loadedNow = useRef<Loaded | null>(null);
  loadedNow.current = loaded;
  const liveLoads = useRef(0);
  const reports = useRef(new ReportGate());

  useEffect(() => {
    listExamples().then(setExamples, (e) => setError(`Could not list the built-in examples: ${String(e)}`));
  }, []);

  // `showRows`: a load that replaces what is shown shows a big firewall log's rows as they come (ui/live-table.ts).
  const analyze = useCallback(async (specs: InputSpec[], options: LoadOptions, example: Example | null, showRows = true) => {
    if (busy.current || !specs.length) return;
    busy.current = true;
    setError(null);
    setNotice(null);
    setProgress({ phase: 'reading', file: null, bytesRead: 0, bytesTotal: 0, packets: 0, connections: 0 });
    // Progress comes through its own message channel, so a report ("done") can arrive after the load's result: once
    // this load has settled its reports are dropped, or the start page would show a finished load as running.
    let live = true;
    // What was shown before the rows of this load replaced it (put back when the load is cancelled and the engine keeps it).
    const before = { loaded: loadedNow.current, view: useView.getState() };
    const generation = -++liveLoads.current;
    let rowsAt = -Infinity;
    let rowsShown = false;
    // A load that ends with nothing new (cancelled with the last analysis kept, or failed) puts back what it showed.
    const putBack = () => {
      if (!rowsShown) return;
      const { query, activeRow, ladders } = before.view;
      startTransition(() => {
        useView.setState({ query, activeRow, ladders });
        setLoaded(before.loaded);
        setShowStart(true);
      });
    };
    // The last report of the reading put on the page; a report shown later than one after it is dropped.
    let shownSeq = 0;
    let seq = 0;
    // Once a log's rows are shown, every count of them on the page is of one progress report (issue #11: the panel's,
    // the top bar's, the note's, the summary's and the table's): a report is taken with the table, about once a
    // second, and shown with the table's answer on its rows (ReportGate). The panel's bytes and bar follow every
    // report; its count of connections is the table's meanwhile (ProgressPanel `tableRows`).
    const onProgress = (p: LoadProgress) => {
      if (!live) return;
      const at = ++seq;
      setProgress(p);
      const n = p.liveRows ?? 0;
      // Once read whole (phase analyzing) no new table: the loaded one comes next, and a table made now would fetch its
      // rows only after the load's end (the worker builds the loaded table in one go meanwhile).
      if (!showRows || p.phase !== 'reading' || n === 0) {
        shownSeq = at;
        return;
      }
      const now = performance.now();
      if (now - rowsAt < LIVE_EVERY_MS) return;
      rowsAt = now;
      const first = !rowsShown;
      rowsShown = true;
      if (first) performance.mark('teardown:live-rows');
      const show = (): boolean => {
        if (!live || at < shownSeq) return false;
        shownSeq = at;
        startTransition(() => {
          if (first) {
            useView.getState().reset();
            setShowStart(false);
          }
          setLoaded(liveLoaded(p, generation, { specs, example, options }));
        });
        return true;
      };
      // The first rows at once: no table is there yet to ask for them.
      if (first) show();
      else reports.current.offer(n, show);
    };
    try {
      performance.mark('teardown:load-start');
      const result = await loadInputs(specs, options, onProgress, showRows && inputBytes(specs) >= LIVE_ROWS_BYTES);
      live = false;
      performance.mark('teardown:result');
      if (result.previousKept) {
        // Cancelled while something was loaded: the engine kept it, and so does the page.
        putBack();
        setNotice('Loading was cancelled; the previous analysis is still loaded.');
        return;
      }
      const row = result.tellingRow;
      // The rows shown while the log was read are the loaded table's (a log alone): the user's selection, ladders and
      // filters stay; where the user chose none, the telling row is selected and opened as after any load.
      const keep = rowsShown && result.packets === 0;
      // A transition: React renders the explorer in slices, so no single task blocks the page.
      startTransition(() => {
        const v = useView.getState();
        if (!keep) v.reset();
        setLoaded({ result, specs, example, options, ...(keep ? { rowsKey: generation } : {}) });
        setShowStart(false);
        if (row !== null && !(keep && (v.activeRow !== null || v.ladders.length))) {
          v.setActiveRow(row);
          v.openOnly({ type: 'row', row });
        }
      });
      if (row !== null) {
        if (example?.compareClean) {
          const clean = await cleanCloseFor(row);
          if (clean !== null && clean !== row) startTransition(() => useView.getState().addLadder({ type: 'row', row: clean }));
        }
      }
    } catch (e) {
      live = false;
      putBack();
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      live = false;
      busy.current = false;
      setProgress(null);
    }
  }, []);

  // A cancel the engine did not take (it came once the inputs were read whole: worker/client.ts cancelLoad) says so.
  const cancel = useCallback(() => {
    cancelLoad().then(
      (stopped) => stopped || setNotice('Cancel came once everything was read: the load went on to its end, and all of it is loaded.'),
      () => {},
    );
  }, []);

  // Opening replaces what is loaded; adding reads the loaded inputs again together with the new files.
  const openFiles = useCallback((more: File[]) => analyze(blobSpecs(more), {}, null), [analyze]);
  // Files added are read while the loaded analysis stays in view (no rows as they come).
  const addFiles = useCallback(
    (more: File[], options?: LoadOptions) => loaded && analyze([...loaded.specs, ...blobSpecs(more)], { ...loaded.options, ...options }, null, false),
    [analyze, loaded],
  );

  const openExample = useCallback(
    async (ex: Example) => {
      try {
        const specs = await exampleInputs(ex);
        await analyze(specs, ex.options ?? {}, ex);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [analyze],
  );

  // #example=seed loads an example at once (handy for demos and `npm run dev`).
  useEffect(() => {
    if (!examples) return;
    const m = /(?:^#|&)example=([\w-]+)/.exec(location.hash);
    const ex = m && examples.find((e) => e.key === m[1]);
    if (ex) void openExample(ex);
  }, [examples, openExample]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select')) return;
      if (e.key === '?') setHelp((h) => !h);
      else if (e.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // #s=... shows a share link's ladders; #capture=<URL> fetches a published capture (src/ui/share/use-hash.ts).
  const [shared, leaveShared] = useSharedLink();
  const captureStatus = useHashCapture((specs, options) => analyze(specs, options, null));
  const start = showStart || !loaded;
  // The rows of a log read whole are shown while the worker builds its loaded table (Explorer, SourceChips say so).
  const finishing = !!loaded?.live && progress?.phase === 'analyzing';
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          <a href="./" onClick={(e) => { e.preventDefault(); setShowStart(true); }}>Teardown</a>
        </h1>
        {start ? (
          <span className="tagline">how did each TCP connection end? Decoded in your browser, nothing is uploaded.</span>
        ) : (
          <ViewBoundary name="sources" resetKey={loaded}><SourceChips loaded={loaded!} finishing={finishing} onReload={(options) => loaded && void analyze(loaded.specs, options, loaded.example, false)} /></ViewBoundary>
        )}
        <span className="spacer" />
        {loaded && start && <button onClick={() => setShowStart(false)}>Back to the connections</button>}
        {loaded && !start && <button onClick={() => setShowStart(true)} title="Open files in place of this analysis">Open other files…</button>}
        {loaded && !start && <PickFilesButton label="Add files to this analysis…" testId="add-file-input" onFiles={(f) => void addFiles(f)} disabled={progress !== null} title="Analyse more files together with the loaded ones" />}
        <a className="toplink" href="#lessons">Lessons</a>
        <ThemePicker />
        <button onClick={() => setHelp(true)} aria-haspopup="dialog" title="Keyboard shortcuts (?)">Keys ?</button>
      </header>
      {error && <div className="banner error" role="alert">{loaded ? `${error.replace(/\.?$/, '.')} The previous analysis is still loaded.` : error}</div>}
      {notice && <div className="banner" role="status" data-testid="load-notice">{notice}</div>}
      {captureStatus}
      {progress && !start && !shared && <div className="loadbar"><ProgressPanel progress={progress} onCancel={cancel} tableRows={loaded?.live ? loaded.result.flows.count : null} /></div>}
      {shared ? (
        <ViewBoundary name="shared ladders" resetKey={shared}><SharedPage link={shared} onLeave={leaveShared} /></ViewBoundary>
      ) : start ? (
        <ViewBoundary name="start page">
        <StartPage
          examples={examples}
          progress={progress}
          lastInputs={loaded?.result.inputs ?? null}
          loadedSpecs={loaded?.specs ?? null}
          onAnalyze={(specs, options) => analyze(specs, options, null)}
          onAdd={loaded ? (more, options) => void addFiles(more, options) : null}
          onExample={openExample}
          onCancel={cancel}
        />
        </ViewBoundary>
      ) : (
        <>
          <Explorer loaded={loaded!} examples={examples ?? []} finishing={finishing} reports={reports.current} />
          <ExplorerDrop onOpen={(f) => void openFiles(f)} onAdd={(f) => void addFiles(f)} />
        </>
      )}
      {help && <ViewBoundary name="help"><HelpDialog onClose={() => setHelp(false)} /></ViewBoundary>}
      <ViewBoundary name="lessons"><LessonHost /></ViewBoundary>
    </div>
  );
}
