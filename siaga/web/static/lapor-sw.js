// Keeps the report form openable without a network: the page and its files are cached when
// first visited and served from the cache when the network fails. Reports themselves are kept
// by the page (IndexedDB), not here.
"use strict";
const CACHE = "siaga-lapor-v1";
const FILES = ["/lapor", "/static/siaga.css", "/static/siaga.js", "/static/lapor.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!FILES.includes(url.pathname)) return;
  event.respondWith(fetch(event.request).then((response) => {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    return response;
  }).catch(() => caches.match(url.pathname)));
});
