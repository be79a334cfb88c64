// NetEvent's service worker: keeps the app shell (script, wasm, styles, icons) and the pages
// last seen, so the scanner and the ticket open without a network. Data (/api, /rpc) is
// never cached here: it is always fresh or an honest failure.
const SHELL = 'netevent-shell-v1';
const PAGES = 'netevent-pages-v1';
const SHELL_FILES = [
  '/pkg/netevent.js',
  '/pkg/netevent.wasm',
  '/pkg/netevent.css',
  '/favicon.svg',
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/rpc/')) return;

  if (request.mode === 'navigate') {
    // Pages: the network first (they carry live data), the last copy when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || caches.match('/'))),
    );
    return;
  }
  if (SHELL_FILES.includes(url.pathname) || url.pathname.startsWith('/icons/')) {
    // The shell: also network first. The wasm must match the HTML the server renders, so a
    // cached copy is only for when there is no network at all.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(SHELL).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request)),
    );
  }
});
