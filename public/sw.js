// NetEvent's service worker: keeps the app shell (script, wasm, styles, icons) and pages, so
// the site and the door's scanner open without a network. Data (/api, /rpc) is never cached
// here: it is always fresh or an honest failure. Nothing of a logged-in person is kept: the
// server marks every answer to them `no-store`, and the worker stores no such answer. The
// scanner opens offline from a copy fetched without cookies (the page as anyone gets it),
// which fills itself from the list the phone keeps. Logging out deletes these caches.
//
// The server serves this file with the build's file names set first (`static_files.rs`):
// a new build is a new worker, its shell a new cache, the old one deleted on activation.
// Content-named files come from the browser's HTTP cache on install (the page has just
// loaded them, immutable), so installing downloads nothing twice.
const BUILD = self.__NETEVENT_BUILD__ || 'dev';
const SHELL = `netevent-shell-${BUILD}`;
const PAGES = `netevent-pages-${BUILD}`;
const SHELL_FILES = [
  ...(self.__NETEVENT_SHELL__ || ['/pkg/netevent.js', '/pkg/netevent.wasm', '/pkg/netevent.css']),
  '/favicon.svg',
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];
// Pages kept for opening offline, as a copy without the person's cookies.
const DOOR_PAGES = [/^\/dashboard\/events\/\d+\/scan$/];
// The one page of a logged-in person kept: their ticket, needed at the door whatever the
// venue's network does. Kept as a copy without scripts (nothing to hydrate, so it opens on
// any later build) together with its stylesheet, in a cache of its own that outlives
// builds; logging out deletes it like every other cache.
const TICKET = 'netevent-ticket';
const TICKET_PAGES = /^\/(me|e\/[A-Za-z0-9]+)\/ticket$/;
// On a network that hangs rather than fails, the door should not wait for it.
const TICKET_PATIENCE_MS = 4000;
// `netevent.<content hash>.wasm`: never changes, so the kept copy is always right.
const CONTENT_NAMED = /\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/;

const mayStore = (response) => response.ok && !/no-store/i.test(response.headers.get('cache-control') || '');

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES && k !== TICKET).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/rpc/')) return;

  if (request.mode === 'navigate' && TICKET_PAGES.test(url.pathname)) {
    event.respondWith(ticketPage(event, url));
    return;
  }
  if (request.mode === 'navigate') {
    // Pages: the network first (they carry live data), the last copy when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (mayStore(response)) {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(request, copy));
          } else if (response.ok && DOOR_PAGES.some((page) => page.test(url.pathname))) {
            event.waitUntil(
              fetch(url.href, { credentials: 'omit' })
                .then((anyone) => mayStore(anyone) && caches.open(PAGES).then((cache) => cache.put(url.href, anyone)))
                .catch(() => {}),
            );
          }
          return response;
        })
        .catch(() => caches.match(request, { ignoreVary: true }).then((hit) => hit || caches.match('/', { ignoreVary: true }))),
    );
    return;
  }
  if (CONTENT_NAMED.test(url.pathname)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (mayStore(response)) {
          const copy = response.clone();
          caches.open(SHELL).then((cache) => cache.put(request, copy));
        }
        return response;
      })),
    );
    return;
  }
  if (SHELL_FILES.includes(url.pathname) || url.pathname.startsWith('/icons/')) {
    // The shell: also network first. The wasm must match the HTML the server renders, so a
    // cached copy is only for when there is no network at all.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (mayStore(response)) {
            const copy = response.clone();
            caches.open(SHELL).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request)),
    );
  }
});

// The ticket from the network when it answers in time, and kept for later; else the kept one.
function ticketPage(event, url) {
  const network = fetch(event.request).then((response) => {
    if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) {
      event.waitUntil(keepTicket(response.clone(), url));
    }
    return response;
  });
  const kept = () => caches.open(TICKET).then((cache) => cache.match(url.pathname));
  const late = new Promise((resolve) => setTimeout(resolve, TICKET_PATIENCE_MS)).then(kept);
  return Promise.race([network.catch(() => null), late])
    .then((first) => first || network.catch(() => null))
    .then((answer) => answer || kept())
    .then((answer) => answer || caches.match('/', { ignoreVary: true }))
    .then((answer) => answer || Response.error());
}

// Only a page that shows a ticket (its QR code) replaces the kept one: an error page or a
// login form never does. The cache holds that one ticket and its stylesheet, nothing of
// earlier tickets or builds.
async function keepTicket(response, url) {
  const html = await response.text();
  if (!html.includes('class="ticket-qr"')) return;
  const stylesheet = html.match(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/)?.[1]
    || html.match(/<link[^>]+href="([^"]+\.css)"/)?.[1];
  const css = stylesheet && (await caches.match(stylesheet) || await fetch(stylesheet).catch(() => null));
  const copy = html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<link[^>]+rel="modulepreload"[^>]*>/g, '')
    .replace(/<link[^>]+rel="preload"[^>]*as="(fetch|script)"[^>]*>/g, '')
    .replace(/<[^>]*data-offline-note[^>]*>/, (tag) => tag.replace(/\shidden(="[^"]*")?(?=[\s>])/, ''));
  // The tab bar's ticket is the event logged in to: the same ticket under both addresses.
  const code = html.match(/data-event="([A-Za-z0-9]+)"/)?.[1];
  const paths = new Set([url.pathname, '/me/ticket', ...(code ? [`/e/${code}/ticket`] : [])]);
  await caches.delete(TICKET);
  const cache = await caches.open(TICKET);
  for (const path of paths) {
    await cache.put(path, new Response(copy, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
  }
  if (css?.ok) await cache.put(stylesheet, css.clone());
}
