/* Virage — the round kept on this device for a shift without network: pages, encrypted.
 *
 * Each page of the round (« Ma journée », the visits, the people's pages, their recent
 * transmissions, the forms) is kept as the server rendered it for this worker — never more — in
 * IndexedDB ("virage-hors-ligne"), encrypted with AES-GCM under the session's device key
 * (device-store.js, GET /moi/cle-appareil), bound to the user and the address (additional data).
 * Nothing of it is ever put in the HTTP cache nor in CacheStorage. A copy older than 14 hours (a
 * shift) is never shown, and is removed.
 *
 * Used by offline.js (keeps the round) and offline-shell.js (the service worker's offline page).
 */
(function () {
  "use strict";
  var Virage = window.Virage = window.Virage || {};
  if (Virage.offlineStore) return;
  var DB = "virage-hors-ligne";
  var MAX_AGE_MS = 14 * 3600 * 1000;
  var subtle = window.crypto && window.crypto.subtle;

  function bytes(b64) {
    var s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function aad(user, path) { return new TextEncoder().encode("virage:page:" + user + ":" + path); }

  function db() {
    return new Promise(function (ok, ko) {
      var req = window.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("pages", { keyPath: "path" }); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { ko(req.error); };
    });
  }
  function run(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (ok, ko) {
        var tx = d.transaction("pages", mode), out = fn(tx.objectStore("pages"));
        tx.oncomplete = function () { d.close(); ok(out && "result" in out ? out.result : undefined); };
        tx.onerror = tx.onabort = function () { d.close(); ko(tx.error); };
      });
    });
  }

  /** The address under which a page is kept: path and query, without « ok » (a notice). */
  function canonical(url) {
    var u = new URL(url, window.location.origin);
    u.searchParams.delete("ok");
    u.hash = "";
    return u.pathname + (u.searchParams.toString() ? "?" + u.searchParams.toString() : "");
  }

  /** Keep one page (keys: from Virage.deviceStore.keys()). */
  function put(keys, url, html) {
    var path = canonical(url), iv = window.crypto.getRandomValues(new Uint8Array(12));
    return subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: aad(keys.user, path) },
      keys.current.key, new TextEncoder().encode(html))
      .then(function (ct) {
        var entry = { path: path, user: keys.user, kid: keys.current.id, at: Date.now(), iv: iv, ct: ct };
        return run("readwrite", function (s) { s.put(entry); });
      });
  }

  /** The kept page at this address, {html, at} or null (another user's, too old, unreadable). */
  function get(keys, url) {
    var path = canonical(url);
    return run("readonly", function (s) { return s.get(path); }).then(function (e) {
      if (!e || e.user !== keys.user || !(Date.now() - e.at < MAX_AGE_MS)) return null;
      var k = keys.all.filter(function (x) { return x.id === e.kid; })[0];
      if (!k) return null;
      return subtle.decrypt({ name: "AES-GCM", iv: e.iv, additionalData: aad(keys.user, path) }, k.key, e.ct)
        .then(function (plain) { return { html: new TextDecoder().decode(plain), at: e.at }; });
    }).catch(function () { return null; });
  }

  /** Remove what is not this user's, or too old. Resolves to the number of pages left. */
  function tidy(user) {
    return run("readwrite", function (s) {
      var out = { result: 0 };
      s.openCursor().onsuccess = function (ev) {
        var c = ev.target.result;
        if (!c) return;
        if (c.value.user !== String(user) || !(Date.now() - c.value.at < MAX_AGE_MS)) c.delete();
        else out.result += 1;
        c.continue();
      };
      return out;
    }).catch(function () { return 0; });
  }

  /** Import the keys this tab remembered (offline, without device-store.js). */
  function rememberedKeys() {
    var body = null;
    try { body = JSON.parse(window.sessionStorage.getItem("virage-cle") || "null"); } catch (e) { /* none */ }
    if (!body || !body.key || !subtle) return Promise.resolve(null);
    var list = [body.key].concat(body.previous || []);
    return Promise.all(list.map(function (k) {
      return subtle.importKey("raw", bytes(k.secret), { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
        .then(function (key) { return { id: k.id, key: key }; });
    })).then(function (all) { return { user: String(body.user), current: all[0], all: all }; });
  }

  function clear() {
    return new Promise(function (ok) {
      var req = window.indexedDB.deleteDatabase(DB);
      req.onsuccess = req.onerror = req.onblocked = function () { ok(); };
    });
  }

  Virage.offlineStore = {
    available: !!(subtle && window.indexedDB && window.TextEncoder),
    put: put, get: get, tidy: tidy, clear: clear, canonical: canonical,
    rememberedKeys: rememberedKeys, MAX_AGE_MS: MAX_AGE_MS
  };
})();
