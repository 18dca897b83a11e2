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

// Relative base: the built site works from any sub-path of any static host.
export default defineConfig({
  base: './',
  plugins: [react(), precacheList()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
