import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The theme first: data-theme is on <html> before anything is drawn.
import './ui/theme';
import { App } from './ui/app';
import { startEngine } from './worker/client';
import './ui/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The engine's worker script is fetched with the page, not when the first file is dropped: from then
// on, loading and analysing files makes no network request at all.
startEngine();

// Offline after one visit (public/sw.js caches the built site). Production builds only: in `vite dev`
// a cache in front of the dev server would serve stale modules.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('Offline use is not available:', e));
  });
}
