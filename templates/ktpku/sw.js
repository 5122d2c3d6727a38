// KTPku service worker: keeps the pages that ask for it (a visit's checklist) and their
// assets, so they open without signal. It stores no outcome: the page keeps those in
// IndexedDB and sends them itself.
const CACHE = "ktpku-offline-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// A page sends {keep: [url, ...]}: its own address and its scripts and styles.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          urls.map((url) =>
            fetch(url, { credentials: "same-origin" }).then((response) => {
              if (response.ok && !response.redirected) {
                return cache.put(url, response);
              }
              return null;
            })
          )
        )
      )
      .then(() => event.source && event.source.postMessage({ kept: urls.length }))
      .catch(() => event.source && event.source.postMessage({ kept: 0 }))
  );
});

// Network first for every GET of this site; what was kept answers when the network fails.
// A kept page is refreshed whenever it is loaded with signal. Only a page's own message
// creates the cache: after a logout removed it, nothing here brings it back.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  const kept = () => caches.match(request, { ignoreSearch: true, cacheName: CACHE });
  event.respondWith(
    fetch(request)
      .then((response) =>
        kept().then((old) => {
          if (old && response.ok && !response.redirected) {
            const copy = response.clone();
            return caches
              .open(CACHE)
              .then((cache) => cache.put(url.pathname, copy))
              .then(() => response);
          }
          return response;
        })
      )
      .catch(() => kept().then((old) => old || Response.error()))
  );
});
