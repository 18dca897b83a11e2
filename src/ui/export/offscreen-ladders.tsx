/**
 * Ladders drawn off screen for an export that must not show what the screen shows (pseudonymised addresses): laid
 * out from the given data with the screen's view options and widths, drawn by the same LadderSvg into a hidden
 * holder (in the document, so the stylesheet's computed styles apply as on screen), read, then removed.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { LadderData } from '../../render/ladder-types';
import { layoutLadders, TIME_COL_EXTRA } from '../../render/ladder-geometry';
import { useView } from '../../state/store';
import { LadderSvg } from '../ladder-svg';

const noop = () => {};

/** `datas` drawn as the `live` ladders are (their widths and scale); call dispose() once read. */
export function drawOffscreen(datas: LadderData[], live: SVGSVGElement[]): { svgs: SVGSVGElement[]; dispose: () => void } {
  const v = useView.getState();
  const first = live[0];
  const layoutW = (s: SVGSVGElement) => s.viewBox.baseVal.width;
  // The leftmost ladder carries the time column; the layout width is a ladder's without it.
  const width = live[1] ? layoutW(live[1]) : first ? layoutW(first) - TIME_COL_EXTRA : 600;
  const scale = first && layoutW(first) ? first.width.baseVal.value / layoutW(first) : 1;
  const geos = layoutLadders(datas, { width, timeMode: v.timeMode, focus: v.focus, labels: v.labels, zoom: v.zoom, points: v.points });
  const host = document.createElement('div');
  host.className = 'ladders';
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'position: fixed; left: -100000px; top: 0; width: auto; height: auto;';
  document.body.append(host);
  const root = createRoot(host);
  flushSync(() =>
    root.render(
      <>
        {geos.map((g, i) => (
          <div className="laddercell" key={i}>
            <LadderSvg
              geo={g}
              scale={scale}
              index={i}
              title={`${datas[i].connection.client.ip}:${datas[i].connection.client.port} to ${datas[i].connection.server.ip}:${datas[i].connection.server.port}`}
              current={null}
              tabStop={null}
              onCurrent={noop}
              onKey={noop}
            />
          </div>
        ))}
      </>,
    ),
  );
  return {
    svgs: Array.from(host.querySelectorAll<SVGSVGElement>('svg.ladder')),
    dispose: () => {
      root.unmount();
      host.remove();
    },
  };
}
