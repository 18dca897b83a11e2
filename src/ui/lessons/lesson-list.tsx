/** The lesson list: built-in lessons by link, and how to open your own lesson file. */
import { useEffect, useRef, useState } from 'react';
import { listLessons, type LessonEntry } from './lesson-loader';
import { ThemePicker } from '../theme-picker';

export function LessonList({ onFile, onClose }: { onFile: (f: File) => void; onClose: () => void }) {
  const [list, setList] = useState<LessonEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const first = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    listLessons().then(setList, (e) => setError(String(e instanceof Error ? e.message : e)));
  }, []);
  useEffect(() => first.current?.focus(), [list]);
  return (
    <div className="lesson-list" data-testid="lesson-list">
      <header className="lesson-top">
        <h2>Lessons: how TCP connections end, on real packets</h2>
        <span className="spacer" />
        <ThemePicker />
        <button onClick={onClose}>Close</button>
      </header>
      <p>Each lesson steps through one real connection packet by packet, with each side's TCP state beside its lane, and asks what comes next. Every lesson has its own link for your slides.</p>
      {error && <div className="banner error" role="alert">{error}</div>}
      <ol className="lesson-index">
        {list?.map((l, i) => (
          <li key={l.id}>
            <a href={`#lesson=${l.id}`} ref={i === 0 ? first : undefined}>{l.title}</a> <code className="muted">#lesson={l.id}</code>
          </li>
        ))}
      </ol>
      <h3>Your own lesson</h3>
      <p>
        Drop a lesson file (<code>.json</code>) anywhere on the page, <button onClick={() => input.current?.click()}>choose one…</button>, or
        link to a published one with <code>#lesson-url=https://…/my-lesson.json</code>. The format is described in <code>docs/lessons.md</code>.
      </p>
      <input ref={input} type="file" accept=".json,application/json" hidden onChange={(e) => e.target.files?.[0] && onFile(e.target.files[0])} />
    </div>
  );
}
