/* Virage — transmissions, progressive enhancement (the forms work without this script).
 *
 * - The entry being written is kept on this device at every keystroke: a reload, a closed tab or a
 *   lost connection loses nothing. It is kept encrypted, for this user and this session only
 *   (device-store.js): the next person using the tablet cannot read it.
 * - Sending goes through an outbox: the entry is stored first, then posted as JSON to
 *   /transmissions/envoyer with the session cookie and the x-csrftoken header. Each entry carries
 *   a client identifier (UUID): if an answer is lost and the entry is sent again, the server
 *   answers with the transmission already received, never a duplicate.
 * - The outbox is sent again when the network comes back, every few seconds, and on every page,
 *   only while the same user is signed in.
 * - Logging out wipes what the device keeps; with entries not sent yet, the user is warned first
 *   and chooses (logout.js).
 * - On the form's page, transmissions-form.js (loaded before this script) keeps the draft and
 *   fills the templates; this script hands it the store once open (setUpForm).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var userId = script && script.getAttribute("data-user");
  var Virage = window.Virage || {};
  if (!userId || !window.fetch || !window.JSON || !window.Promise || !Virage.deviceStore) return;

  var RETRY_MS = 10000;
  var MAX_DRAFTS = 20;   // the oldest drafts go first
  var MAX_OUTBOX = 50;   // beyond, sending is refused until the network comes back
  var form = document.querySelector("form[data-transmission-form]");
  var ui = null;         // the form's part (transmissions-form.js), on the form's page
  var store = null;
  var current = null;    // the flush under way
  var leaving = false;   // the user is logging out: no navigation, no more writing

  /* ------------------------------------------------------------ the data kept on the device */

  function empty() { return { outbox: [], drafts: {} }; }
  function normal(d) {
    var out = empty();
    if (d && Array.isArray(d.outbox)) {
      out.outbox = d.outbox.filter(function (i) { return i && i.payload && i.payload.client_id; });
    }
    if (d && d.drafts && typeof d.drafts === "object") {
      Object.keys(d.drafts).forEach(function (k) { if (d.drafts[k] && d.drafts[k].fields) out.drafts[k] = d.drafts[k]; });
    }
    var keys = Object.keys(out.drafts).sort(function (a, b) {
      return String(out.drafts[b].saved_at).localeCompare(String(out.drafts[a].saved_at));
    });
    keys.slice(MAX_DRAFTS).forEach(function (k) { delete out.drafts[k]; });
    out.outbox = out.outbox.slice(0, MAX_OUTBOX);
    return out;
  }
  function merge(stored, inMemory) {
    stored = normal(stored); inMemory = normal(inMemory);
    var seen = {};
    stored.outbox.forEach(function (i) { seen[i.payload.client_id] = true; });
    inMemory.outbox.forEach(function (i) { if (!seen[i.payload.client_id]) stored.outbox.push(i); });
    Object.keys(inMemory.drafts).forEach(function (k) { stored.drafts[k] = inMemory.drafts[k]; });
    return normal(stored);
  }
  /* Versions before 0.2 kept drafts in clear: this user's are taken in (and encrypted). */
  function adopt(data, key, value, uid) {
    var draftPrefix = "virage:transmissions:draft:" + uid + ":";
    if (key === "virage:transmissions:outbox:" + uid && Array.isArray(value)) {
      value.forEach(function (item) {
        if (!item || !item.payload) return;
        item.draft = String(item.draftKey || "").slice(draftPrefix.length);
        delete item.draftKey;
        data.outbox.push(item);
      });
      return true;
    }
    if (key.indexOf(draftPrefix) === 0 && value && value.fields) {
      data.drafts[key.slice(draftPrefix.length)] = value;
      return true;
    }
    return false;
  }

  function outbox() { return store ? store.data.outbox : []; }
  function setOutbox(items) {
    store.data.outbox = items;
    banner();
    return store.save();
  }
  function without(item) {
    return outbox().filter(function (i) { return i.payload.client_id !== item.payload.client_id; });
  }
  function csrf() {
    var input = document.querySelector('input[name="_csrf_token"]');
    return input ? input.value : "";
  }
  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }

  /* ------------------------------------------------------------ banner (every page) */

  function banner() {
    var items = outbox();
    var box = document.getElementById("tr-outbox");
    if (!items.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "tr-outbox";
      box.className = "notice notice-warning tr-outbox";
      box.setAttribute("role", "status");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    var rejected = items.filter(function (i) { return i.error; });
    var waiting = items.length - rejected.length;
    box.textContent = "";
    if (waiting) {
      var p = document.createElement("p");
      p.textContent = plural(waiting, "transmission attend", "transmissions attendent") +
        " le réseau : gardée" + (waiting > 1 ? "s" : "") + " sur cet appareil, envoi automatique dès que possible.";
      box.appendChild(p);
    }
    rejected.forEach(function (item) {
      var r = document.createElement("p");
      r.textContent = "Non enregistrée : " + item.error + " ";
      var a = document.createElement("a");
      a.href = item.formUrl; a.textContent = "Reprendre cette transmission";
      r.appendChild(a);
      box.appendChild(r);
    });
    if (waiting) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "secondary"; b.textContent = "Réessayer maintenant";
      b.addEventListener("click", function () { flush(); });
      box.appendChild(b);
    }
  }

  /* ------------------------------------------------------------ sending */

  function post(item) {
    return fetch("/transmissions/envoyer", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "accept": "application/json", "x-csrftoken": csrf() },
      // The server refuses an entry whose author is not the signed-in user (409).
      body: JSON.stringify(Object.assign({ author_id: Number(userId) }, item.payload))
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  function retryable(result) {
    var s = result.status;
    if (s === 401 || s === 408 || s === 429 || s >= 500) return true;
    // An outdated security token: the next page load brings a fresh one.
    return s === 403 && /jeton de sécurité/.test((result.body && result.body.detail) || "");
  }

  /** Send what waits; resolves when done (the flush under way, if any). */
  function flush() {
    if (current) return current;
    if (!store || leaving || !outbox().some(function (i) { return !i.error; })) return Promise.resolve();
    if (navigator.onLine === false) { waitingMessage(); return Promise.resolve(); }
    // Only for the user who wrote them: another account may have logged in from another tab.
    current = store.refresh().then(function (same) {
      if (same === false) { window.location.reload(); return; }
      // In order, and the first that cannot go now stops the others: on a flapping network, a
      // later entry must not reach the file before an earlier one.
      var chain = Promise.resolve(), stop = false;
      outbox().filter(function (i) { return !i.error; }).forEach(function (item) {
        chain = chain.then(function () {
          if (stop) return;
          return post(item).then(function (result) {
            if (result.status === 200 || result.status === 201) return done(item, result.body);
            if (retryable(result)) {
              stop = true;
              waitingMessage(result.status === 401
                ? "Votre session a expiré : reconnectez-vous, la transmission gardée sur cet appareil partira ensuite."
                : null);
            } else {
              return rejected(item, (result.body && result.body.detail) || "données refusées.");
            }
          }, function () { stop = true; waitingMessage(); });
        });
      });
      return chain;
    }).then(function () { current = null; banner(); }, function () { current = null; });
    return current;
  }

  function done(item, body) {
    store.data.outbox = without(item);
    delete store.data.drafts[item.draft];
    var saved = setOutbox(store.data.outbox);
    if (ui && !leaving && item.draft === draftKey()) {
      say(body.message || "Transmission enregistrée.", "ok");
      return saved.then(function () { window.location.assign(body.url); });
    }
    return saved;
  }

  function rejected(item, message) {
    var items = without(item);
    // Back to a draft, to be corrected: nothing typed is lost.
    store.data.drafts[item.draft] = { fields: item.fields, client_id: item.payload.client_id, saved_at: item.saved_at };
    if (ui && item.draft === draftKey()) {
      unlock();
      say("Non enregistrée : " + message, "error");
    } else {
      item.error = message;
      items.push(item);
    }
    return setOutbox(items);
  }

  function waitingMessage(text) {
    if (ui && outbox().some(function (i) { return i.draft === draftKey() && !i.error; })) {
      say(text || "Pas de réseau pour l'instant : la transmission est gardée sur cet appareil et partira " +
        "automatiquement dès le retour de la connexion. Vous pouvez continuer votre tournée.", "waiting");
    }
    banner();
  }

  /* ------------------------------------------------------------ the form (transmissions-form.js) */

  function draftKey() { return ui ? ui.draftKey() : null; }
  function say(text, kind) { if (ui) ui.say(text, kind); }
  function unlock() { if (ui) ui.unlock(); }

  function setUpForm() {
    if (!Virage.transmissionForm) return;  // the page still posts the form without the script
    ui = Virage.transmissionForm(form, {
      store: store, MAX_OUTBOX: MAX_OUTBOX, normal: normal, outbox: outbox, setOutbox: setOutbox,
      without: without, flush: flush, waitingMessage: waitingMessage,
      leaving: function () { return leaving; }
    });
    ui.setUp();
  }

  /* ------------------------------------------------------------ start */

  var ready = Virage.deviceStore.open(userId, "transmissions", {
    empty: empty,
    isEmpty: function (d) { return !d.outbox.length && !Object.keys(d.drafts).length; },
    merge: merge,
    adopt: adopt
  }).then(function (opened) {
    store = opened;
    store.data = normal(store.data);
    store.onChange(function () { store.data = normal(store.data); banner(); });
    if (form) setUpForm();
    banner();
    window.addEventListener("online", function () { flush(); });
    window.setInterval(function () { if (outbox().length) flush(); }, RETRY_MS);
    flush();
    return store;
  });

  /* What the log-out guard (logout.js) needs to know and do. */
  Virage.transmissions = {
    ready: ready,
    unsent: function () {
      var queued = {};
      outbox().forEach(function (i) { queued[i.draft] = true; });
      var drafts = store ? Object.keys(store.data.drafts).filter(function (k) { return !queued[k]; }) : [];
      var last = drafts.map(function (k) { return store.data.drafts[k]; })
        .sort(function (a, b) { return String(b.saved_at).localeCompare(String(a.saved_at)); })[0];
      return { outbox: outbox().length, drafts: drafts.length, draftUrl: last && last.url };
    },
    send: function () { return flush().then(function () { return outbox().length; }); },
    leave: function () { leaving = true; if (store) store.close(); }
  };
})();
