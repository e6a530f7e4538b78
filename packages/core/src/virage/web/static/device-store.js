/* Virage — what a page keeps on this device belongs to one user and one session, encrypted.
 *
 * Drafts and unsent entries are health data under professional secrecy: on a shared tablet or a
 * phone left in a car, they must not be readable by the next person holding the device.
 *
 * - Everything is kept under one localStorage entry per area and user ("virage:<area>:<user id>"),
 *   encrypted with AES-GCM (WebCrypto) under the key of the session, which the server gives only
 *   to the signed-in user (GET /moi/cle-appareil, never cached). The key lives in this page's
 *   memory only (a non-extractable CryptoKey): it is never written to the device.
 * - Offline: the key was fetched when the page was loaded online, and this tab keeps it in its
 *   sessionStorage ("virage-cle", gone when the tab is closed) so that a page reloaded without
 *   network (offline.js, the service worker's offline page) still reads its entries. If no key
 *   is at hand, entries are kept in memory until it comes.
 * - Logging out deletes the key on the server and the page wipes Virage's storage (wipe() below,
 *   plus the Clear-Site-Data header of the log-out answer); entries of any other user are wiped
 *   when a page of a new user opens; the log-in page removes anything unreadable or too old.
 * - A session that expired: its key is offered to the same user at her next log-in ("previous"),
 *   so that an entry waiting for the network is sent, not lost. Nobody else gets it.
 *
 * Without WebCrypto (a site served over plain HTTP elsewhere than on 127.0.0.1), nothing is kept on
 * the device: serve Virage over HTTPS.
 */
(function () {
  "use strict";
  var Virage = window.Virage = window.Virage || {};
  var script = document.currentScript;
  var tidyHere = script && script.hasAttribute("data-tidy");  // the log-in page
  if (Virage.deviceStore) { if (tidyHere) Virage.deviceStore.tidy(); return; }
  var PREFIX = "virage:";
  var SIGNAL = PREFIX + "signal";
  var KEY_URL = "/moi/cle-appareil";
  var MAX_AGE_MS = 34 * 3600 * 1000;  // a session (10 h) + its key's grace (24 h): unreadable after
  var RETRY_MS = 15000;
  var subtle = window.crypto && window.crypto.subtle;

  /* ------------------------------------------------------------ storage areas */

  function area(name) {
    try { var a = window[name]; a.getItem(PREFIX); return a; } catch (e) { return null; }
  }
  function ourKeys(a) {
    var out = [];
    for (var i = 0; a && i < a.length; i++) {
      var k = a.key(i);
      if (k && k.indexOf(PREFIX) === 0) out.push(k);
    }
    return out;
  }
  function envelope(raw) {
    try {
      var e = JSON.parse(raw);
      return e && e.v === 2 && e.user && e.kid && e.iv && e.ct && e.at ? e : null;
    } catch (err) { return null; }
  }

  /** The round kept for offline use (offline-store.js): IndexedDB, encrypted too. */
  function wipeRound() {
    try { if (window.indexedDB) window.indexedDB.deleteDatabase("virage-hors-ligne"); } catch (e) { /* none */ }
  }

  /** Remove everything Virage keeps on this device (log-out). */
  function wipe() {
    ["localStorage", "sessionStorage"].forEach(function (name) {
      var a = area(name);
      ourKeys(a).forEach(function (k) { a.removeItem(k); });
    });
    var s = area("sessionStorage");
    if (s) s.removeItem("virage-cle");
    wipeRound();
  }

  /** Log-in page: remove what is not encrypted (older versions kept drafts in clear) or too old. */
  function tidy() {
    var now = Date.now();
    var session = area("sessionStorage");
    ourKeys(session).forEach(function (k) { session.removeItem(k); });
    if (session) session.removeItem("virage-cle");
    wipeRound();  // kept for one session: it is taken again online after the log-in
    var local = area("localStorage");
    ourKeys(local).forEach(function (k) {
      var e = envelope(local.getItem(k));
      var at = e ? Date.parse(e.at) : NaN;
      if (!e || !(now - at < MAX_AGE_MS)) local.removeItem(k);
    });
  }

  /** Tell the other tabs of this browser ("logout", or "user <id>": who is signed in now). */
  function signal(text) {
    var local = area("localStorage");
    if (!local) return;
    try { local.setItem(SIGNAL, text); local.removeItem(SIGNAL); } catch (e) { /* full */ }
  }

  /** Log-out: the other tabs close, Virage's storage is wiped. */
  function logOut() {
    signal("logout");
    wipe();
  }

  /* ------------------------------------------------------------ crypto */

  function bytes(b64) {
    var s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function b64(buffer) {
    var b = new Uint8Array(buffer), s = "";
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s);
  }
  function importKey(k) {
    return subtle.importKey("raw", bytes(k.secret), { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
      .then(function (key) { return { id: k.id, key: key }; });
  }

  /* The key of this tab, so that a page reloaded without network still opens what it kept
   * (offline.js, offline-shell.js): in sessionStorage, which lives as long as the tab (closed tab:
   * locked until the network and the session come back); wiped at log-out and on the log-in page. */
  var REMEMBER = "virage-cle";
  function remembered() {
    var s = area("sessionStorage");
    try { var b = s && JSON.parse(s.getItem(REMEMBER) || "null"); return b && b.key ? b : null; }
    catch (e) { return null; }
  }
  function remember(body) {
    var s = area("sessionStorage");
    if (!s) return;
    try { if (body) s.setItem(REMEMBER, JSON.stringify(body)); else s.removeItem(REMEMBER); } catch (e) { /* full */ }
  }
  function keyring(body) {
    return Promise.all([importKey(body.key)].concat((body.previous || []).slice(0, 10).map(importKey)))
      .then(function (keys) { return { user: String(body.user), current: keys[0], all: keys }; });
  }

  /** Ask the server for this session's key; resolves to null when signed out, or offline with no
   * key kept by this tab. */
  function fetchKeys() {
    if (!subtle || !window.fetch) return Promise.resolve(null);
    return fetch(KEY_URL, { credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" } })
      .then(function (r) {
        var json = (r.headers.get("content-type") || "").indexOf("application/json") === 0;
        return r.ok && json ? r.json() : null;
      }, function () { return { offline: true }; })
      .then(function (body) {
        if (body && body.offline) body = remembered();
        else remember(body && body.key ? body : null);
        if (!body || !body.key) return null;
        return keyring(body);
      })
      .catch(function () { return null; });
  }

  /* ------------------------------------------------------------ one encrypted area of one user */

  /**
   * Open the area "virage:<name>:<userId>". options: empty() → fresh data; isEmpty(data);
   * merge(stored, inMemory) → data; adopt(data, key, value) → true when an old clear entry of this
   * user was taken in (it is then removed). Resolves to a store: {data, save(), persistent(),
   * refresh(), onChange(fn), close()}.
   */
  function open(userId, name, options) {
    userId = String(userId);
    var slot = PREFIX + name + ":" + userId;
    var aad = new TextEncoder().encode(slot);
    var local = area("localStorage");
    var keys = null, closed = false, dirty = false, chain = Promise.resolve();
    var adopted = [];  // old clear entries taken in: removed once their content is kept encrypted
    var listeners = [];
    var store = { data: options.empty() };

    function decrypt(raw) {
      var e = envelope(raw);
      if (!e || e.user !== userId || !keys) return Promise.resolve(null);
      var k = keys.all.filter(function (x) { return x.id === e.kid; })[0];
      if (!k) return Promise.resolve(null);
      return subtle.decrypt({ name: "AES-GCM", iv: bytes(e.iv), additionalData: aad }, k.key, bytes(e.ct))
        .then(function (plain) {
          return { data: JSON.parse(new TextDecoder().decode(plain)), stale: k !== keys.current };
        })
        .catch(function () { return null; });
    }

    function write() {
      if (closed || !local) return Promise.resolve(false);
      if (!keys) { dirty = true; return Promise.resolve(false); }
      if (options.isEmpty(store.data)) { local.removeItem(slot); return Promise.resolve(true); }
      var iv = window.crypto.getRandomValues(new Uint8Array(12));
      var plain = new TextEncoder().encode(JSON.stringify(store.data));
      var kid = keys.current.id;
      return subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: aad }, keys.current.key, plain)
        .then(function (ct) {
          if (closed) return false;
          local.setItem(slot, JSON.stringify({
            v: 2, user: userId, kid: kid, at: new Date().toISOString(), iv: b64(iv), ct: b64(ct)
          }));
          dirty = false;
          return true;
        })
        .catch(function () { return false; });  // quota: what is in memory is still there
    }

    /** Encrypt and keep the data; resolves true once written on the device. */
    store.save = function () { chain = chain.then(write, write); return chain; };
    store.persistent = function () { return !!keys; };
    store.onChange = function (fn) { listeners.push(fn); };
    store.close = function () { closed = true; keys = null; store.data = options.empty(); };

    function changed() { listeners.forEach(function (fn) { fn(store); }); }

    function load(raw) {
      return decrypt(raw).then(function (found) {
        var stored = found ? found.data : options.empty();
        store.data = options.merge(stored, store.data);
        if ((found && found.stale) || dirty || adopted.length || (raw && !found)) {
          return store.save().then(function (kept) {
            // Only now is the old clear copy redundant: a page left before this point loses nothing.
            if (kept && local) adopted.splice(0).forEach(function (k) { local.removeItem(k); });
            return kept;
          });
        }
      });
    }

    /**
     * Ask the server again who is signed in. Another user (another tab logged in over this one) or
     * nobody: the page stops keeping anything and resolves false. Same user, new session: the data
     * is encrypted again under the new key.
     */
    store.refresh = function () {
      if (closed) return Promise.resolve(false);
      return fetchKeys().then(function (fresh) {
        if (closed) return false;
        if (!fresh) return !!keys || null;  // offline: keep going with the key in memory
        if (fresh.user !== userId) { store.close(); return false; }
        var before = keys;
        if (before && fresh.current.id !== before.current.id) {
          fresh.all = fresh.all.concat(before.all);  // this page may still hold the old entries
        }
        keys = fresh;
        if (!before || fresh.current.id !== before.current.id) {
          return load(local && local.getItem(slot)).then(function () { changed(); return true; });
        }
        return true;
      });
    };

    // Entries of other users, and this area's old clear entries, go before anything is shown.
    // Another area's clear entries are left to that area's store (it may take them in) and to the
    // log-in page, which removes whatever is not encrypted.
    ourKeys(area("sessionStorage")).forEach(function (k) { area("sessionStorage").removeItem(k); });
    ourKeys(local).forEach(function (k) {
      if (k === slot || k === SIGNAL) return;
      var raw = local.getItem(k), e = envelope(raw);
      if (e && e.user === userId) return;  // another area of the same user
      if (!e && k.indexOf(PREFIX + name + ":") !== 0) return;
      if (!e && options.adopt) {
        var value = null;
        try { value = JSON.parse(raw); } catch (err) { /* not ours */ }
        if (value && options.adopt(store.data, k, value, userId)) { adopted.push(k); return; }
      }
      local.removeItem(k);
    });

    // Tabs of a previous user still open on this browser stop showing and keeping anything.
    signal("user " + userId);
    window.addEventListener("storage", function (event) {
      if (closed) return;
      if (event.key === SIGNAL && event.newValue === "logout") {
        store.close();
        window.location.assign("/connexion");
      } else if (event.key === SIGNAL && event.newValue && event.newValue !== "user " + userId) {
        store.close();
        window.location.reload();
      } else if (event.key === slot) {
        decrypt(event.newValue).then(function (found) {
          store.data = found ? found.data : options.empty();
          changed();
        });
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) store.refresh().then(function (ok) { if (ok === false) window.location.reload(); });
    });

    return store.refresh().then(function (ok) {
      if (ok === null && subtle) {  // no key yet: keep in memory, retry
        var timer = window.setInterval(function () {
          store.refresh().then(function (r) { if (r !== null) window.clearInterval(timer); });
        }, RETRY_MS);
        window.addEventListener("online", function () { store.refresh(); });
      }
      return store;
    });
  }

  Virage.deviceStore = { open: open, wipe: wipe, tidy: tidy, logOut: logOut, keys: fetchKeys };
  if (tidyHere) tidy();
})();
