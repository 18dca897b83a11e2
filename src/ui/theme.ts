/**
 * Light or dark: as the system says (prefers-color-scheme, followed as it changes), or chosen in the page's theme
 * picker (ui/theme-picker.tsx) and remembered in localStorage. The choice resolves to data-theme="light" or "dark"
 * on <html>; the stylesheets key the dark colours on :root[data-theme='dark'], and the SVG/PNG export reads the
 * colours from the page as they are (ui/export/svg-export.ts), so it draws the theme on screen.
 */
import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'teardown.theme';
const subs = new Set<() => void>();
const media = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

let choice: ThemeChoice = stored();
apply();
media.addEventListener('change', () => choice === 'system' && apply());
// Another tab of the page changed it.
window.addEventListener('storage', (e) => {
  if (e.key === KEY) {
    choice = stored();
    apply();
    for (const f of subs) f();
  }
});

/** The theme on screen now. */
export function resolvedTheme(): 'light' | 'dark' {
  return choice === 'system' ? (media.matches ? 'dark' : 'light') : choice;
}

function apply() {
  document.documentElement.dataset.theme = resolvedTheme();
}

export function setTheme(v: ThemeChoice): void {
  if (v === choice) return;
  choice = v;
  try {
    if (v === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, v);
  } catch {
    // private mode: not remembered
  }
  apply();
  for (const f of subs) f();
}

export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (f) => {
      subs.add(f);
      return () => subs.delete(f);
    },
    () => choice,
  );
}
