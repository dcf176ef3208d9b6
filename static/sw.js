/* SUARA kiosk service worker: keeps the kiosk page, its stylesheet and script for offline use
   (kiosk.js asks it to on a first visit, which this worker did not see).
   Served as /k/sw.js, so its scope is /k/ (a worker controls pages under its own path only).
   Network first, so that a connected kiosk always shows the current page with a fresh token;
   the copy is for when the network fails. Posts are left alone: kiosk.js queues them. */
'use strict';
var CACHE = 'suara-kiosk-2';
var NETWORK_TIMEOUT_MS = 4000;
// Kiosk pages in the default language (no query; not the thank-you page) and the assets.
var KEPT = /\/k\/[^\/]+$|\.(css|js)(\?v=[0-9a-f]+)?$/;

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  // Take over the open kiosk page at once, and drop the copies an older worker kept.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf('suara-kiosk') === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// One writer, one write at a time: two writes of one entry at once can fail in Chromium.
var writing = Promise.resolve();
function keep(request, response) {
  writing = writing.then(function () { return caches.open(CACHE); }).then(function (cache) {
    return cache.put(request, response);
  }).catch(function () { /* full or gone: the network still serves */ });
  return writing;
}

// kiosk.js sends the shell of its page each round: a first visit did not come through here.
self.addEventListener('message', function (event) {
  event.waitUntil(Promise.all((event.data && event.data.keep || []).map(function (url) {
    return caches.match(url, {ignoreVary: true}).then(function (copy) {
      return copy || fetch(url).then(function (response) {
        return response.ok && keep(url, response);
      });
    });
  })).catch(function () { /* offline: the next round */ }));
});

// Reject a hanging request after a while: a flaky network is slower than no network.
function network(request) {
  return new Promise(function (resolve, reject) {
    setTimeout(reject, NETWORK_TIMEOUT_MS);
    fetch(request).then(resolve, reject);
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(network(request).then(function (response) {
    if (response.ok && !url.search && KEPT.test(url.pathname)) {
      event.waitUntil(keep(request, response.clone()));
    }
    return response;
  }, function () {
    // Offline: the copy of this page (of its default-language twin for ?lang=), whatever
    // headers it varied on.
    return caches.match(request, {ignoreSearch: true, ignoreVary: true}).then(function (copy) {
      return copy || Response.error();
    });
  }));
});
