/**
 * Steps through a loaded lesson: the ladder with the current packet, each side's state, the
 * explanation, and questions asked before a packet is revealed. Keyboard: → Space n next, ← p
 * previous, Home/End first/last step, 1-6 or a-f answer, Shift+L large type, Esc close.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isCorrect, lessonRange, sideNames } from '../../lessons/index';
import type { LoadedLesson } from './lesson-loader';
import { LESSON_SCALE, LessonLadder, lessonGeometry } from './lesson-ladder';
import type { LadderData } from '../../render/ladder-types';
import { useWidth } from '../use-width';
import { Inline, LessonText } from './lesson-text';
import { CompareSlot } from './lesson-compare';
import { ThemePicker } from '../theme-picker';

const KEYS = 'abcdef';

/** A right answer's "why" that opens with its own verdict ("Right. A FIN ..."). */
const SAYS_RIGHT = /^\s*(right|correct|exactly)\b/i;

export function LessonPlayer({ loaded, onClose, compareId, large, onLarge }: {
  loaded: LoadedLesson;
  onClose: () => void;
  compareId: string | null;
  large: boolean;
  onLarge: (v: boolean) => void;
}) {
  const { lesson, ladder, stops } = loaded;
  const [at, setAt] = useState(0);
  const [answers, setAnswers] = useState<Map<number, number[]>>(new Map());
  const stop = stops[at];
  const names = sideNames(lesson);
  const [from] = lessonRange(lesson, ladder.packets.length);
  // "Your close vs. the textbook": side by side on one axis, so the first FINs share a line.
  const [yours, setYours] = useState<LadderData | null>(null);
  const labels = useMemo(() => new Map(lesson.steps.filter((s) => s.label).map((s) => [s.packet, s.label!])), [lesson]);
  const box = useRef<HTMLDivElement>(null);
  const boxWidth = useWidth(box, 700);
  const scale = LESSON_SCALE[yours ? 'beside' : 'alone'][large ? 'large' : 'normal'];
  const geos = useMemo(
    () => lessonGeometry(yours ? [ladder, yours] : [ladder], [{ names: { ...sideNames(lesson), firewall: lesson.firewallName }, notes: labels }], boxWidth - 20, scale),
    [ladder, yours, lesson, labels, boxWidth, scale],
  );
  const picked = answers.get(at) ?? [];
  const asked = stops.filter((s) => s.kind === 'ask').length;
  const right = [...answers.entries()].filter(([i, p]) => stops[i].question && isCorrect(stops[i].question!, p[0])).length;

  const last = stops.length - 1;
  const step = useCallback((d: number) => setAt((a) => Math.max(0, Math.min(last, a + d))), [last]);
  const jump = useCallback((i: number) => setAt(Math.max(0, Math.min(last, i))), [last]);
  const answer = useCallback(
    (choice: number) => {
      if (!stop.question || choice >= stop.question.choices.length) return;
      setAnswers((m) => {
        const list = m.get(at) ?? [];
        if (list.includes(choice)) return m;
        return new Map(m).set(at, [...list, choice]);
      });
    },
    [at, stop],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select')) return;
      const k = e.key;
      if (k === 'ArrowRight' || k === ' ' || k === 'n' || k === 'PageDown') step(1);
      else if (k === 'ArrowLeft' || k === 'p' || k === 'PageUp') step(-1);
      else if (k === 'Home') jump(0);
      else if (k === 'End') jump(last);
      else if (k === 'L') onLarge(!large); // Shift+L, as in the explorer (where l steps into the ladder)
      else if (k === 'Escape') onClose();
      else if (/^[1-6]$/.test(k)) answer(Number(k) - 1);
      else if (stop.question && KEYS.includes(k.toLowerCase()) && k.length === 1) answer(KEYS.indexOf(k.toLowerCase()));
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [step, jump, last, answer, stop, large, onLarge, onClose]);

  const packetNo = stop.packet >= 0 ? stop.packet : null;
  const heading =
    stop.kind === 'intro' ? 'Introduction'
    : stop.kind === 'end' ? 'What we saw'
    : stop.kind === 'ask' ? `Question before packet ${packetNo! + 1}`
    : `Packet ${packetNo! + 1} of ${ladder.packets.length}`;
  const lastPicked = picked[picked.length - 1];
  const solved = stop.question ? picked.some((c) => isCorrect(stop.question!, c)) : false;

  return (
    <div className={`lesson-player${large ? ' large' : ''}`} data-testid="lesson-player" data-stop={at} data-kind={stop.kind}>
      <header className="lesson-top">
        <h2>{lesson.title}</h2>
        <span className="spacer" />
        <span className="lesson-progress" aria-live="polite">step {at + 1} / {stops.length}{answers.size ? ` · ${right} of ${answers.size} answered right first time` : asked ? ` · ${asked} question${asked > 1 ? 's' : ''}` : ''}</span>
        <button onClick={() => onLarge(!large)} aria-pressed={large} title="Large type for projectors (L)">Large type</button>
        <ThemePicker />
        <button onClick={onClose} title="Close the lesson (Esc)">Close</button>
      </header>
      {loaded.mismatches.length > 0 && (
        <div className="banner warn" role="status">
          <strong>This lesson disagrees with the analysis of its capture:</strong>
          <ul>{loaded.mismatches.map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}
      {loaded.warnings.length > 0 && (
        <details className="lesson-warnings"><summary>{loaded.warnings.length} note(s) about the lesson file</summary><ul>{loaded.warnings.map((m, i) => <li key={i}>{m}</li>)}</ul></details>
      )}
      <div className="lesson-body">
        <div className="lesson-ladders">
          <div className="lesson-ladder-box" ref={box}>
            {yours && <div className="compare-head"><strong>Textbook</strong> <span className="muted">{lesson.title}</span></div>}
            <LessonLadder
              geo={geos[0]}
              steps={{ upTo: stop.visibleUpTo, current: stop.kind === 'show' ? stop.packet : -1, asking: stop.kind === 'ask' ? stop.packet : -1, from }}
              states={stop.states}
              changed={stop.changed}
              scale={scale}
              index={0}
              title={`Ladder of ${lesson.title}`}
            />
          </div>
          <CompareSlot compareId={compareId} geo={geos[1] ?? null} scale={scale} onData={setYours} />
        </div>
        <section className="lesson-explain" aria-live="polite" data-testid="lesson-explain">
          <h3>{heading}</h3>
          {stop.kind === 'ask' && stop.question ? (
            <>
              <LessonText className="prompt" text={stop.question.prompt} />
              <ol className="choices" data-testid="choices">
                {stop.question.choices.map((c, i) => {
                  const was = picked.includes(i);
                  const cls = was ? (c.correct ? 'right' : 'wrong') : solved && c.correct ? 'right' : '';
                  return (
                    <li key={i} className={cls}>
                      <button onClick={() => answer(i)} aria-pressed={was} data-choice={i}>
                        <kbd>{i + 1}</kbd> {c.text}
                      </button>
                    </li>
                  );
                })}
              </ol>
              {lastPicked !== undefined && (
                <div className={`verdict ${isCorrect(stop.question, lastPicked) ? 'right' : 'wrong'}`} role="status" data-testid="verdict">
                  {/* A lesson's own "why" often starts with its verdict ("Right. ..."): never say it twice. */}
                  {!(isCorrect(stop.question, lastPicked) && SAYS_RIGHT.test(stop.question.choices[lastPicked].why)) && <><strong>{isCorrect(stop.question, lastPicked) ? 'Right.' : 'Not quite.'}</strong>{' '}</>}
                  <span>{stop.question.choices[lastPicked].why}</span>
                  {!isCorrect(stop.question, lastPicked) && <span className="muted"> Try another answer, or press → to see the packet.</span>}
                </div>
              )}
              {lastPicked === undefined && <p className="muted">Answer with 1–{stop.question.choices.length} (or click), or press → to skip and see the packet.</p>}
            </>
          ) : (
            <>
              <LessonText text={stop.text || (stop.kind === 'intro' ? 'Press → to start.' : '')} />
              {stop.kind === 'show' && !stop.authored && <p className="muted small">(Teardown's own description of this packet.)</p>}
            </>
          )}
          {stop.kind === 'end' && (
            <div className="lesson-end">
              {lesson.references && (
                <>
                  <h4>Read more</h4>
                  <ul>{lesson.references.map((r, i) => <li key={i}>{r.url ? <a href={r.url} target="_blank" rel="noopener noreferrer">{r.title}</a> : r.title}</li>)}</ul>
                </>
              )}
              <h4>Where the packets come from</h4>
              <ul>{lesson.captures.map((c, i) => <li key={i}><code>{c.name}</code>{c.note ? <>: <Inline text={c.note} /></> : ''}</li>)}</ul>
              {lesson.credits && <p className="small">{lesson.credits}</p>}
              {ladder.connection.close?.explanation && (
                <details className="small"><summary>Teardown's analysis of this connection</summary><p>{ladder.connection.close.explanation}</p></details>
              )}
            </div>
          )}
          <nav className="lesson-nav">
            <button onClick={() => step(-1)} disabled={at === 0} title="Previous step (←)">← Back</button>
            {at < last ? (
              <button onClick={() => step(1)} className="primary" title="Next step (→ or Space)" data-testid="lesson-next">
                {stop.kind === 'ask' ? 'Show the packet →' : 'Next →'}
              </button>
            ) : (
              <a className="button primary" href="#lessons">All lessons</a>
            )}
          </nav>
          <p className="keys muted small">Keys: → / Space next · ← back · 1–{Math.max(2, ...stops.map((s) => s.question?.choices.length ?? 0))} answer · Shift+L large type · Esc close</p>
        </section>
      </div>
    </div>
  );
}
