/* Virage — service worker of the field app (served at /sw.js, scope /).
 *
 * It keeps only what carries no personal data: the static files (versioned addresses) and the
 * offline page (/hors-ligne). It never keeps a page: pages go to the network first, always; only
 * when the network fails does a page navigation get the offline page, whose script opens the copy
 * of that page kept encrypted by offline.js (IndexedDB) — or says it cannot. Writes (POST) are never
 * touched: offline.js queues them.
 */
"use strict";
var VERSION = "__VERSION__";
var CACHE = "virage-fichiers-" + VERSION;
var SHELL = "__SHELL__";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("virage-") === 0 && n !== CACHE; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0 &&
    url.searchParams.has("v");
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isStatic(url)) {
    // A versioned file never changes: from the cache, else from the network, then kept.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok && response.type === "basic") cache.put(request, response.clone());
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf("/docs/") !== 0) {
    // Network first, nothing kept; the offline page only when the network fails.
    event.respondWith(fetch(request).catch(function () {
      return caches.match("/hors-ligne").then(function (shell) {
        return shell || new Response("<!doctype html><title>Hors ligne</title><p>Pas de réseau.</p>",
          { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
      });
    }));
  }
});
