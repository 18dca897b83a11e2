/**
 * Large type for projectors in the explorer, readable from the back of a room: Shift+L, the "Large"
 * button, or #large=1 in the address (#large=0 turns it off). Remembered in localStorage. HTML text
 * grows through the `large-type` class on <html> (styles.css); ladders are laid out at 1/LARGE_SCALE
 * of their width and drawn LARGE_SCALE times bigger, so their geometry (rows, label gaps) is unchanged.
 */
import { useSyncExternalStore } from 'react';

export const LARGE_SCALE = 1.4;
/** Flow table row height, normal and large. */
export const TABLE_ROW = { normal: 28, large: 40 } as const;

const KEY = 'teardown.explorer.large';
const subs = new Set<() => void>();

function fromHash(): boolean | null {
  const m = /(?:^#|&)large=([01])(?:&|$)/.exec(location.hash);
  return m ? m[1] === '1' : null;
}

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

let large = fromHash() ?? stored();
apply();

function apply() {
  document.documentElement.classList.toggle('large-type', large);
}

export function setLarge(v: boolean): void {
  if (v === large) return;
  large = v;
  try {
    localStorage.setItem(KEY, v ? '1' : '0');
  } catch {
    // private mode: not remembered
  }
  apply();
  for (const f of subs) f();
}

window.addEventListener('hashchange', () => {
  const h = fromHash();
  if (h !== null) setLarge(h);
});

// Shift+L anywhere in the explorer (the lesson overlay has its own L).
window.addEventListener('keydown', (e) => {
  if (e.key !== 'L' || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement | null;
  if (t?.closest?.('input, textarea, select') || document.querySelector('.lesson-overlay')) return;
  e.preventDefault();
  setLarge(!large);
});

export function useLarge(): boolean {
  return useSyncExternalStore(
    (f) => {
      subs.add(f);
      return () => subs.delete(f);
    },
    () => large,
  );
}
