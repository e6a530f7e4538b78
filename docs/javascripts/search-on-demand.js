/*
 * Virage documentation: the search index is downloaded when the reader starts a search, not with
 * every page.
 *
 * Material downloads search/search_index.json (larger than all the rest of a page) and starts its
 * search worker as soon as any page opens. On a weak network that doubles the weight of every
 * page for a feature most visits do not use. This file runs in the <head>, before Material's
 * bundle (docs/overrides/main.html), and holds both back until the reader shows they want to
 * search:
 *
 * - focus in the search field (a click or a tap on it or on the magnifier, the keyboard
 *   shortcuts, an address carrying ?q=, which Material turns into a focused search);
 * - the pointer over the search field or the magnifier (a head start of a few hundred ms);
 * - an address carrying ?h= (a page opened from a search result: Material highlights the terms
 *   with the index's settings).
 *
 * Until then Material shows « Initialisation de la recherche », as it does while the index is on
 * its way. Holding back means: the index request (XMLHttpRequest or fetch) is sent later, and the
 * search worker is a placeholder that keeps the listeners and messages it is given, then hands
 * them to the real worker.
 */
(function () {
  "use strict";

  if (window.__virageSearchOnDemand) return;
  window.__virageSearchOnDemand = true;

  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var WORKER = /\/workers\/search\.[^/]*\.js(?:[?#]|$)/;
  var SEARCH_AREA = ".md-search, label[for='__search']";

  var release;
  var wanted = new Promise(function (resolve) {
    release = resolve;
  });
  var released = false;

  function start() {
    if (released) return;
    released = true;
    release();
    ["focusin", "pointerover", "pointerdown"].forEach(function (type) {
      document.removeEventListener(type, onIntent, true);
    });
  }

  function onIntent(event) {
    var target = event.target;
    if (target && target.closest && target.closest(SEARCH_AREA)) start();
  }

  function absolute(url) {
    try {
      return new URL(String(url), document.baseURI).href;
    } catch (error) {
      return "";
    }
  }

  // The index request, sent by XMLHttpRequest (Material 9) ...
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__virageHeld = INDEX.test(absolute(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.__virageHeld || released) return send.apply(this, arguments);
    var request = this;
    var args = arguments;
    wanted.then(function () {
      // Aborted meanwhile (Material left the page): nothing to send.
      if (request.readyState === XMLHttpRequest.OPENED) send.apply(request, args);
    });
  };

  // ... or by fetch.
  if (typeof window.fetch === "function") {
    var fetch = window.fetch;
    window.fetch = function (input) {
      var url = input && typeof input === "object" && "url" in input ? input.url : input;
      if (released || !INDEX.test(absolute(url))) return fetch.apply(this, arguments);
      var self = this;
      var args = arguments;
      return wanted.then(function () {
        return fetch.apply(self, args);
      });
    };
  }

  // The search worker: a placeholder until the reader wants to search.
  var RealWorker = window.Worker;

  function HeldWorker(url, options) {
    var worker = null;
    var listeners = [];
    var messages = [];
    var ended = false;
    var self = this;
    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    this.addEventListener = function (type, listener, opts) {
      if (worker) worker.addEventListener(type, listener, opts);
      else listeners.push([type, listener, opts]);
    };
    this.removeEventListener = function (type, listener, opts) {
      if (worker) worker.removeEventListener(type, listener, opts);
      else
        listeners = listeners.filter(function (entry) {
          return entry[0] !== type || entry[1] !== listener;
        });
    };
    this.postMessage = function (message, transfer) {
      if (worker) worker.postMessage(message, transfer);
      else messages.push([message, transfer]);
    };
    this.terminate = function () {
      ended = true;
      if (worker) worker.terminate();
    };
    this.dispatchEvent = function (event) {
      return worker ? worker.dispatchEvent(event) : true;
    };
    wanted.then(function () {
      if (ended) return;
      worker = new RealWorker(url, options);
      ["message", "error", "messageerror"].forEach(function (type) {
        worker.addEventListener(type, function (event) {
          if (typeof self["on" + type] === "function") self["on" + type](event);
        });
      });
      listeners.forEach(function (entry) {
        worker.addEventListener(entry[0], entry[1], entry[2]);
      });
      messages.forEach(function (entry) {
        worker.postMessage(entry[0], entry[1]);
      });
      listeners = messages = null;
    });
  }

  if (typeof RealWorker === "function") {
    var Worker = function (url, options) {
      if (released || !WORKER.test(absolute(url))) return new RealWorker(url, options);
      return new HeldWorker(url, options);
    };
    Worker.prototype = RealWorker.prototype;
    window.Worker = Worker;
  }

  // When to start.
  var query = new URLSearchParams(window.location.search);
  if (query.has("q") || query.has("h")) {
    start();
  } else {
    ["focusin", "pointerover", "pointerdown"].forEach(function (type) {
      document.addEventListener(type, onIntent, true);
    });
  }
})();
