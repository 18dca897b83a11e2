/** The ladder toolbar's "Share…" and "Export" (shown once ladders are drawn). */
import { useState } from 'react';
import type { LadderData } from '../../render/ladder-types';
import { ExportMenu } from '../export/export-menu';
import { ShareDialog } from './share-dialog';

export function LadderActions({ datas, withCapture = true }: { datas: LadderData[]; withCapture?: boolean }) {
  const [sharing, setSharing] = useState(false);
  return (
    <div className="ladder-actions">
      <button onClick={() => setSharing(true)} disabled={!datas.length} data-testid="share-open" aria-haspopup="dialog" title="A link that shows these ladders, with no file">
        Share…
      </button>
      <ExportMenu datas={datas} withCapture={withCapture} />
      {sharing && datas.length > 0 && <ShareDialog datas={datas} onClose={() => setSharing(false)} />}
    </div>
  );
}
