/* SUARA kiosk: answers wait in IndexedDB while offline (kiosk.py). The form works without
   this script. */
(function () {
  'use strict';
  var form = document.querySelector('form.kiosk');
  if (!form || !window.fetch || !window.indexedDB || !window.URLSearchParams) return;

  var RETRY_MS = 30000, THANKS_MS = 5000, POST_TIMEOUT_MS = 15000;
  var home = form.dataset.home, status = document.getElementById('queue');
  var refused = document.getElementById('refused');
  var html = document.documentElement.classList, workers = window.caches && navigator.serviceWorker;
  var timeout = window.AbortSignal && AbortSignal.timeout, busy = false, flushing = false, opened;

  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), hex = '';
    b[6] = b[6] & 15 | 64, b[8] = b[8] & 63 | 128;  // version 4, RFC 4122 variant
    for (var i = 0; i < 16; i++) hex += (b[i] + 256).toString(16).slice(1);
    return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
  }

  // Call store[method](arg) on the queue of {id, url, body}; resolve once it is on disk.
  function queue(method, arg) {
    opened = opened || new Promise(function (resolve, reject) {
      var open = indexedDB.open('suara-kiosk', 1);
      open.onupgradeneeded = function () {
        open.result.createObjectStore('queue', {keyPath: 'id', autoIncrement: true});
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = reject;
    });
    return opened.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction('queue', 'readwrite');
        var request = tx.objectStore('queue')[method](arg);
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = tx.onabort = reject;
      });
    });
  }

  function showCount() {
    queue('count').then(function (n) {
      status.textContent = status.dataset.text.replace('{n}', n);
      status.hidden = !n;
    });
  }

  // A flaky network can hang a request for minutes: queue sooner.
  function post(entry) {
    return fetch(entry.url, {method: 'POST', body: new URLSearchParams(entry.body),
                             signal: timeout && timeout(POST_TIMEOUT_MS)});
  }

  // Stored means the thank-you page (shown after the commit), not a captive portal's.
  function stored(response) {
    return response.redirected && new URL(response.url).pathname === form.dataset.thanks &&
      response.ok;
  }

  // Not stored, but welcome later: overloaded, over a limit, not our server (a captive
  // portal), a tablet no longer enrolled (403, shown). Others are for the person.
  function later(response) {
    var code = response.status;
    refused.hidden = code !== 403;
    return code < 400 || code === 403 || code === 429 || code >= 500;
  }

  function thank(sent) {
    var timer = setTimeout(next, THANKS_MS);
    html.add('thanked');  // suara.css shows #done instead of the form
    showCount();
    document.getElementById('done').focus();
    document.getElementById('next').onclick = function () { clearTimeout(timer); next(); };
    function next() {
      // Online, a fresh page has a fresh token and the default language. Offline, reset.
      if (sent) return location.replace(home);
      form.reset();
      need(form, false);
      form.elements.client_uuid.value = newUuid();
      html.remove('thanked');
      busy = false;
      scrollTo(0, 0);
    }
  }

  form.addEventListener('submit', function (event) {
    if (busy) return event.preventDefault();  // a double tap
    // Online, the server lists what is missing.
    if (!form.checkValidity() && navigator.onLine) return;
    event.preventDefault();
    if (!form.reportValidity()) return;
    busy = true;
    var body = new URLSearchParams(new FormData(form));
    body.set('answered_at', new Date().toISOString());
    var entry = {url: form.action, body: body.toString()};
    (navigator.onLine ? post(entry) : Promise.reject()).then(function (response) {
      if (stored(response)) return thank(true);
      if (!later(response)) return form.submit();  // an answer to fix, a closed survey...
      throw response;
    }).catch(function () {
      queue('add', entry).then(function () { thank(false); }, function () {
        form.submit();  // no storage: the plain form then
      });
    });
  });

  // Send queued answers oldest first; drop each only once the server has it.
  function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    queue('getAll').then(function send(entries) {
      return entries.length && replay(entries[0]).then(function () {
        return send(entries.slice(1));
      });
    }).catch(function () { /* offline or overloaded: next round */ }).then(function () {
      flushing = false;
      showCount();
    });
    keepShell();
  }

  // A first visit bypassed the worker: have it keep the shell (asked each round).
  var shell = [home, document.querySelector('link[rel=stylesheet]').href,
               document.currentScript.src];
  function keepShell() {
    if (workers) workers.ready.then(function (r) { r.active.postMessage({keep: shell}); });
  }

  function replay(entry) {
    return post(entry).then(function (response) {
      if (stored(response)) return queue('delete', entry.id);
      if (later(response)) throw response;
      // 422, likely a token over a week old: keep it with the page's fresh token; any other
      // refusal as it is.
      return response.status === 422 && response.text().then(function (html) {
        var body = new URLSearchParams(entry.body);
        var token = /name="csrf_token" type="hidden" value="([^"]+)"/.exec(html);
        if (!token) return;
        body.set('csrf_token', token[1]);
        entry.body = body.toString();
        return queue('put', entry);
      });
    });
  }

  // SPKP/SPAK whole or not at all: once begun, each statement is required.
  function need(root, on) {
    [].forEach.call(root.querySelectorAll('.instrument input'), function (r) { r.required = on; });
  }
  form.addEventListener('change', function (e) {
    var part = e.target.closest('.instrument');
    if (part) need(part, true);
  });

  // A copy from the worker holds a used client_uuid.
  form.elements.client_uuid.value = newUuid();
  if (workers) workers.register(form.dataset.worker);
  addEventListener('online', flush);
  setInterval(flush, RETRY_MS);
  showCount();
  flush();
})();
