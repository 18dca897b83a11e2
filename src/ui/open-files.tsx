/**
 * Opening and adding files once something is loaded. Opening replaces the analysis; adding is its own named action
 * ("Add files to this analysis"), so two unrelated captures are never merged by surprise. Files dropped on the
 * explorer land on one of two targets saying which.
 */
import { useEffect, useRef, useState } from 'react';

/** A button that picks files and hands them over (its own hidden file input). */
export function PickFilesButton({ label, onFiles, disabled, testId, title, className }: {
  label: string;
  onFiles: (files: File[]) => void;
  disabled?: boolean;
  testId: string;
  title?: string;
  className?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button className={className} onClick={() => input.current?.click()} disabled={disabled} title={title}>{label}</button>
      <input
        ref={input}
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}

const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

/**
 * While files are dragged over the window, two drop targets over the explorer: open them instead of what is loaded,
 * or add them to it. Dropped anywhere else, the browser would open the file itself: that is prevented.
 */
export function ExplorerDrop({ onOpen, onAdd }: { onOpen: (files: File[]) => void; onAdd: (files: File[]) => void }) {
  const [dragging, setDragging] = useState(false);
  const [over, setOver] = useState<'open' | 'add' | null>(null);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const overWindow = (e: DragEvent) => hasFiles(e) && e.preventDefault();
    const end = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
      depth = 0;
      setDragging(false);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', end);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', end);
    };
  }, []);
  if (!dragging) return null;
  const target = (kind: 'open' | 'add', title: string, text: string) => (
    <div
      className={`droptarget${over === kind ? ' over' : ''}`}
      data-testid={`drop-${kind}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(kind);
      }}
      onDragLeave={() => setOver(null)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(null);
        setDragging(false);
        const files = [...e.dataTransfer.files];
        if (files.length) (kind === 'open' ? onOpen : onAdd)(files);
      }}
    >
      <p className="big">{title}</p>
      <p className="muted">{text}</p>
    </div>
  );
  return (
    <div className="dropoverlay" role="region" aria-label="Drop files">
      {target('open', 'Open', 'Analyse only the dropped files; the loaded analysis is replaced.')}
      {target('add', 'Add to this analysis', 'Analyse the dropped files together with the loaded ones (an inside and an outside capture, the firewall log).')}
    </div>
  );
}
