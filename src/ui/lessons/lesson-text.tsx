/** Lesson prose as React text: blank lines make paragraphs, `backticks` make code. Never HTML. */
export function LessonText({ text, className }: { text: string; className?: string }) {
  const paras = text.split(/\n\s*\n/).filter((p) => p.trim());
  return (
    <div className={className}>
      {paras.map((p, i) => (
        <p key={i}>
          <Inline text={p} />
        </p>
      ))}
    </div>
  );
}

/** One run of text with `backticks` as code. */
export function Inline({ text }: { text: string }) {
  return <>{text.split('`').map((part, k) => (k % 2 ? <code key={k}>{part}</code> : <span key={k}>{part}</span>))}</>;
}
