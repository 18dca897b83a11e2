/**
 * Where lessons live on the page: an overlay over the explorer (which keeps what it has loaded, so
 * "your close vs. the textbook" can use it), opened by the URL fragment:
 *   #lessons                      the list
 *   #lesson=<id>[&compare=<connection id>][&large=1]    a built-in lesson
 *   #lesson-url=<URL>             a lesson file published elsewhere (the host must allow CORS)
 * or by dropping a lesson .json file anywhere on the page.
 */
import { useCallback, useEffect, useState } from 'react';
import { parseHashParams } from '../../share/hash-params';
import { LessonError, loadBuiltInLesson, loadLessonFile, loadLessonUrl, type LoadedLesson } from './lesson-loader';
import { LessonPlayer } from './lesson-player';
import { LessonList } from './lesson-list';
import './lessons.css';

type Route = { kind: 'none' } | { kind: 'list' } | { kind: 'id'; id: string } | { kind: 'url'; url: string } | { kind: 'file'; file: File };

function readHash(): { route: Route; compare: string | null; large: boolean; problems: string[] } {
  const hash = location.hash;
  const p = parseHashParams(hash, location.href);
  const keys = new Set(hash.replace(/^#/, '').split('&').map((kv) => kv.split('=')[0]));
  const compare = p.compare ?? null;
  const large = p.large === true;
  const problems = p.problems.filter((x) => x.startsWith('lesson') || x.startsWith('compare'));
  if (p.lesson) return { route: { kind: 'id', id: p.lesson }, compare, large, problems };
  if (p.lessonUrl) return { route: { kind: 'url', url: p.lessonUrl }, compare, large, problems };
  if (keys.has('lessons')) return { route: { kind: 'list' }, compare, large, problems };
  return { route: { kind: 'none' }, compare, large, problems };
}

export function LessonHost() {
  const [state, setState] = useState(readHash);
  const [route, setRoute] = useState<Route>(state.route);
  const [loaded, setLoaded] = useState<LoadedLesson | null>(null);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [large, setLarge] = useState(state.large || localStorage.getItem('teardown.lessons.large') === '1');

  useEffect(() => {
    const onHash = () => {
      const s = readHash();
      setState(s);
      setRoute(s.route);
      if (s.large) setLarge(true);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A dropped .json file is a lesson, wherever it lands (captures are never JSON).
  useEffect(() => {
    const isJson = (f: File) => /\.json$/i.test(f.name) || f.type === 'application/json';
    const onDragOver = (e: DragEvent) => {
      if ([...(e.dataTransfer?.items ?? [])].some((i) => i.kind === 'file' && i.type === 'application/json')) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      const files = [...(e.dataTransfer?.files ?? [])];
      const lesson = files.find(isJson);
      if (!lesson) return;
      e.preventDefault();
      e.stopPropagation();
      setRoute({ kind: 'file', file: lesson });
    };
    window.addEventListener('dragover', onDragOver, true);
    window.addEventListener('drop', onDrop, true);
    return () => {
      window.removeEventListener('dragover', onDragOver, true);
      window.removeEventListener('drop', onDrop, true);
    };
  }, []);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setError(null);
    if (route.kind === 'none' || route.kind === 'list') return;
    // Leaving the lesson (or opening another) stops its downloads.
    const abort = new AbortController();
    const p = route.kind === 'id' ? loadBuiltInLesson(route.id, abort.signal)
      : route.kind === 'url' ? loadLessonUrl(route.url, abort.signal)
      : loadLessonFile(route.file, abort.signal);
    p.then(
      (l) => live && setLoaded(l),
      (e) => live && setError({ message: e instanceof Error ? e.message : String(e), details: e instanceof LessonError ? e.details : [] }),
    );
    return () => {
      live = false;
      abort.abort();
    };
  }, [route]);

  const setLargeSaved = useCallback((v: boolean) => {
    setLarge(v);
    localStorage.setItem('teardown.lessons.large', v ? '1' : '0');
  }, []);
  const close = useCallback(() => {
    setRoute({ kind: 'none' });
    if (/lesson/.test(location.hash)) history.pushState(null, '', location.pathname + location.search);
  }, []);

  if (route.kind === 'none') return null;
  return (
    <div className={`lesson-overlay${large ? ' large' : ''}`} role="dialog" aria-modal="true" aria-label="Lesson">
      {state.problems.map((p, i) => <div key={i} className="banner error" role="alert">{p}</div>)}
      {route.kind === 'list' && <LessonList onFile={(file) => setRoute({ kind: 'file', file })} onClose={close} />}
      {error && (
        <div className="lesson-error" role="alert" data-testid="lesson-error">
          <header className="lesson-top"><h2>This lesson could not be opened</h2><span className="spacer" /><a href="#lessons">All lessons</a><button onClick={close}>Close</button></header>
          <p>{error.message}</p>
          {error.details.length > 0 && <ul>{error.details.map((d, i) => <li key={i}><code>{d}</code></li>)}</ul>}
        </div>
      )}
      {!error && route.kind !== 'list' && !loaded && <p className="lesson-loading">Loading the lesson and analysing its capture…</p>}
      {loaded && <LessonPlayer key={loaded.source} loaded={loaded} onClose={close} compareId={state.compare} large={large} onLarge={setLargeSaved} />}
    </div>
  );
}
