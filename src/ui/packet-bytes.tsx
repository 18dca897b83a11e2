/**
 * The bytes of the packet under the cursor (Wireshark's bytes pane): hex and ASCII, read again from the file by the
 * worker when asked (the page never holds the capture). Asked a moment after the cursor settles, so sweeping the
 * pointer over the list reads one frame, not every one it crossed.
 */
import { useEffect, useRef, useState } from 'react';
import type { PacketBytes } from '../engine/api';
import { hexLines } from '../render/packet-list';
import { formatCount } from '../render/format';
import { useWidth } from './use-width';
import type { PacketSource } from './packet-source';

const SETTLE_MS = 60;

export function PacketBytesPane({ source, index }: { source: PacketSource; index: number | null }) {
  const [shown, setShown] = useState<{ key: string; bytes: PacketBytes | null } | null>(null);
  const key = index === null ? '' : `${source.key}:${index}`;
  const box = useRef<HTMLDivElement>(null);
  // 16 bytes a line where there is room (Wireshark's), else 8.
  const perLine = useWidth(box, 520) >= 500 ? 16 : 8;
  useEffect(() => {
    if (index === null) return;
    let live = true;
    const timer = setTimeout(() => {
      source.bytes(index).then(
        (bytes) => live && setShown({ key, bytes }),
        () => live && setShown({ key, bytes: null }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, source, index]);
  const here = shown && shown.key === key ? shown.bytes : undefined;
  return (
    <div className="packetbytes" ref={box} data-testid="packet-bytes" aria-label="Packet bytes" role="region">
      {index === null ? (
        <p className="muted">Point at a packet (row or arrow) to see its bytes.</p>
      ) : here === undefined ? (
        <p className="muted">Reading packet {index + 1}…</p>
      ) : here === null ? (
        <p className="muted">No bytes for packet {index + 1}: text captures (show capture, tcpdump -n) and examples carry none.</p>
      ) : (
        <>
          <p className="bytesfacts">
            Packet {index + 1} · frame {here.frame} of <bdi>{here.file}</bdi> · {formatCount(here.bytes.length)} bytes captured
            {here.originalLength > here.bytes.length ? ` of ${formatCount(here.originalLength)} on the wire` : ''}
          </p>
          <pre data-testid="hex-dump">{hexLines(here.bytes, perLine).join('\n')}</pre>
        </>
      )}
    </div>
  );
}
