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

  useEffect(() => {
    listExamples().then(setExamples, (e) => setError(`Could not list the built-in examples: ${String(e)}`));
  }, []);

  const analyze = useCallback(async (specs: InputSpec[], options: LoadOptions, example: Example | null) => {
    if (busy.current || !specs.length) return;
    busy.current = true;
    setError(null);
    setNotice(null);
    setProgress({ phase: 'reading', file: null, bytesRead: 0, bytesTotal: 0, packets: 0, connections: 0 });
    // Progress comes through its own message channel, so a report ("done") can arrive after the load's result: once
    // this load has settled its reports are dropped, or the start page would show a finished load as running.
    let live = true;
    try {
      performance.mark('teardown:load-start');
      const result = await loadInputs(specs, options, (p) => live && setProgress(p));
      performance.mark('teardown:result');
      if (result.previousKept) {
        // Cancelled while something was loaded: the engine kept it, and so does the page.
        setNotice('Loading was cancelled; the previous analysis is still loaded.');
        return;
      }
      const row = result.tellingRow;
      // A transition: React renders the explorer in slices, so no single task blocks the page.
      startTransition(() => {
        useView.getState().reset();
        setLoaded({ result, specs, example, options });
        setShowStart(false);
        if (row !== null) {
          useView.getState().setActiveRow(row);
          useView.getState().openOnly({ type: 'row', row });
        }
      });
      if (row !== null) {
        if (example?.compareClean) {
          const clean = await cleanCloseFor(row);
          if (clean !== null && clean !== row) startTransition(() => useView.getState().addLadder({ type: 'row', row: clean }));
        }
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      live = false;
      busy.current = false;
      setProgress(null);
    }
  }, []);

  // Opening replaces what is loaded; adding reads the loaded inputs again together with the new files.
  const openFiles = useCallback((more: File[]) => analyze(blobSpecs(more), {}, null), [analyze]);
  const addFiles = useCallback(
    (more: File[], options?: LoadOptions) => loaded && analyze([...loaded.specs, ...blobSpecs(more)], { ...loaded.options, ...options }, null),
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
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          <a href="./" onClick={(e) => { e.preventDefault(); setShowStart(true); }}>Teardown</a>
        </h1>
        {start ? (
          <span className="tagline">how did each TCP connection end? Decoded in your browser, nothing is uploaded.</span>
        ) : (
          <ViewBoundary name="sources" resetKey={loaded}><SourceChips loaded={loaded!} onReload={(options) => loaded && void analyze(loaded.specs, options, loaded.example)} /></ViewBoundary>
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
      {progress && !start && !shared && <div className="loadbar"><ProgressPanel progress={progress} onCancel={() => void cancelLoad()} /></div>}
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
          onCancel={() => void cancelLoad()}
        />
        </ViewBoundary>
      ) : (
        <>
          <Explorer loaded={loaded!} examples={examples ?? []} />
          <ExplorerDrop onOpen={(f) => void openFiles(f)} onAdd={(f) => void addFiles(f)} />
        </>
      )}
      {help && <ViewBoundary name="help"><HelpDialog onClose={() => setHelp(false)} /></ViewBoundary>}
      <ViewBoundary name="lessons"><LessonHost /></ViewBoundary>
    </div>
  );
}
