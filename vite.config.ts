import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Lists every file of the built site in precache.json, so the service worker can cache it all on install. */
function precacheList(): Plugin {
  const publicFiles = (dir: string, root = dir): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? publicFiles(p, root) : [relative(root, p).split('\\').join('/')];
    });
  return {
    name: 'teardown-precache-list',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = [...Object.keys(bundle), ...publicFiles('public')].filter((f) => !f.endsWith('.map') && f !== 'sw.js');
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files.sort(), null, 0) });
    },
  };
}

/**
 * Strict CSP for the built site: own scripts only, no inline script, no eval, workers from the same
 * origin; network reads only for #capture= / #lesson-url= addresses the user gives. Build only: the
 * dev server injects inline styles and scripts for hot reload.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self'; img-src 'self' data: blob:; " +
  "font-src 'self'; connect-src 'self' https: http:; object-src 'none'; base-uri 'self'; form-action 'none'";

function contentSecurityPolicy(): Plugin {
  return {
    name: 'teardown-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

// Relative base: the built site works from any sub-path of any static host.
export default defineConfig({
  base: './',
  plugins: [react(), precacheList(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
