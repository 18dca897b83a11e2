/** Links into lessons: which built-in lesson shows the textbook version of a close kind. */
import type { ConnectionReport } from '../../model/report';
import { KIND_STYLE } from '../../model/close-kinds';

export function lessonForConnection(c: ConnectionReport): string {
  const close = c.close;
  if (!close) return 'clean-close';
  if (close.simultaneous) return 'simultaneous-close';
  if (close.lateRst) return 'too-many-resets';
  const k = KIND_STYLE[close.kind];
  if (!k) return 'clean-close';
  return (close.initiator === 'server' && k.serverFirstLesson) || k.lesson;
}

/** "#lesson=<id>&compare=<connection id>": the lesson with this connection beside it. */
export function textbookHref(c: ConnectionReport): string {
  return `#lesson=${lessonForConnection(c)}&compare=${encodeURIComponent(c.id)}`;
}
