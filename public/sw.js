// Teardown's service worker: after one visit the explorer, its examples and lessons work offline.
// Same-origin GETs only (user files never go through the network at all). Network first, so a new
// deployment is picked up at once; the cache answers when the network does not.
const CACHE = 'teardown-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const list = await fetch('precache.json').then((r) => (r.ok ? r.json() : []), () => []);
      // One failed file must not keep the rest from being cached.
      await Promise.all(['./', ...list].map((url) => cache.add(url).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      } catch (error) {
        const hit = (await cache.match(request, { ignoreSearch: true })) || (request.mode === 'navigate' ? await cache.match('./') : undefined);
        if (hit) return hit;
        throw error;
      }
    })(),
  );
});
