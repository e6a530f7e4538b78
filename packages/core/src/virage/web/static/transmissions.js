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
  var statusBox = document.getElementById("tr-status");
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
  function hhmm(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + "h" + ("0" + d.getMinutes()).slice(-2);
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
      var chain = Promise.resolve();
      outbox().filter(function (i) { return !i.error; }).forEach(function (item) {
        chain = chain.then(function () {
          return post(item).then(function (result) {
            if (result.status === 200 || result.status === 201) return done(item, result.body);
            if (retryable(result)) {
              waitingMessage(result.status === 401
                ? "Votre session a expiré : reconnectez-vous, la transmission gardée sur cet appareil partira ensuite."
                : null);
            } else {
              return rejected(item, (result.body && result.body.detail) || "données refusées.");
            }
          }, function () { waitingMessage(); });
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
    if (form && !leaving && item.draft === draftKey()) {
      say(body.message || "Transmission enregistrée.", "ok");
      return saved.then(function () { window.location.assign(body.url); });
    }
    return saved;
  }

  function rejected(item, message) {
    var items = without(item);
    // Back to a draft, to be corrected: nothing typed is lost.
    store.data.drafts[item.draft] = { fields: item.fields, client_id: item.payload.client_id, saved_at: item.saved_at };
    if (form && item.draft === draftKey()) {
      unlock();
      say("Non enregistrée : " + message, "error");
    } else {
      item.error = message;
      items.push(item);
    }
    return setOutbox(items);
  }

  function waitingMessage(text) {
    if (form && outbox().some(function (i) { return i.draft === draftKey() && !i.error; })) {
      say(text || "Pas de réseau pour l'instant : la transmission est gardée sur cet appareil et partira " +
        "automatiquement dès le retour de la connexion. Vous pouvez continuer votre tournée.", "waiting");
    }
    banner();
  }

  /* ------------------------------------------------------------ the form */

  function draftKey() {
    if (!form) return null;
    return form.getAttribute("data-mode") + ":" + form.getAttribute("data-person") + ":" +
      (form.getAttribute("data-corrects") || "");
  }

  function say(text, kind) {
    if (!statusBox) return;
    statusBox.className = "tr-status notice " + (kind === "ok" ? "notice-ok" : kind === "error" ? "notice-error" : "notice-warning");
    statusBox.textContent = text;
    if (statusBox.scrollIntoView) statusBox.scrollIntoView({ block: "nearest" });
    if (kind === "waiting") {
      var b = document.createElement("button");
      b.type = "button"; b.className = "secondary"; b.textContent = "Réessayer maintenant";
      b.addEventListener("click", function () { flush(); });
      statusBox.appendChild(document.createTextNode(" "));
      statusBox.appendChild(b);
    }
  }

  function field(name) { return form.elements.namedItem(name); }

  function fields() {
    var out = {};
    ["data", "actions", "results", "occurred_at", "category", "appointment_id"].forEach(function (name) {
      var el = field(name); if (el) out[name] = el.value;
    });
    var target = form.querySelector('input[name="target"]:checked');
    var priority = form.querySelector('input[name="priority"]:checked');
    out.target = target ? target.value : "";
    out.priority = priority ? priority.value : "normal";
    return out;
  }

  function fill(values) {
    Object.keys(values).forEach(function (name) {
      if (name === "target" || name === "priority") {
        var radio = form.querySelector('input[name="' + name + '"][value="' + CSS.escape(String(values[name])) + '"]');
        if (radio) radio.checked = true;
      } else {
        var el = field(name); if (el && values[name] != null) el.value = values[name];
      }
    });
    showTemplates();
  }

  function payload(values) {
    var p = {
      person_id: parseInt(form.getAttribute("data-person"), 10),
      client_id: field("client_id").value,
      target: values.target, priority: values.priority,
      data: values.data, actions: values.actions || "", results: values.results || ""
    };
    if (values.category) p.category = values.category;
    if (values.occurred_at) p.occurred_at = values.occurred_at;
    if (values.appointment_id) p.appointment_id = parseInt(values.appointment_id, 10);
    if (form.getAttribute("data-corrects")) p.corrects = parseInt(form.getAttribute("data-corrects"), 10);
    return p;
  }

  function saveDraft() {
    if (leaving) return;
    var values = fields();
    if ((values.data + values.actions + values.results).trim()) {
      store.data.drafts[draftKey()] = {
        fields: values, client_id: field("client_id").value, saved_at: new Date().toISOString(),
        url: window.location.pathname
      };
    } else {
      delete store.data.drafts[draftKey()];  // nothing written: nothing to keep
    }
    store.data = normal(store.data);
    store.save();
  }

  function lock() {
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; button.setAttribute("data-label", button.textContent); button.textContent = "Envoi en attente…"; }
  }
  function unlock() {
    var button = form.querySelector('button[type="submit"]');
    if (button && button.disabled) { button.disabled = false; button.textContent = button.getAttribute("data-label") || button.textContent; }
  }

  function nomenclature() {
    var el = document.getElementById("tr-nomenclature");
    try { return el ? JSON.parse(el.textContent) : { targets: {}, templates: {} }; }
    catch (e) { return { targets: {}, templates: {} }; }
  }

  function showTemplates() {
    var target = form.querySelector('input[name="target"]:checked');
    var any = false;
    form.querySelectorAll("[data-for-target]").forEach(function (li) {
      var match = target && li.getAttribute("data-for-target") === target.value;
      li.hidden = !match; if (match) any = true;
    });
    var box = document.getElementById("modeles");
    if (box) box.hidden = !any;
  }

  function setUpForm() {
    var key = draftKey();
    var hasError = !!document.querySelector(".notice-error[role=alert]");
    var draft = store.data.drafts[key];
    var queued = outbox().filter(function (i) { return i.draft === key && !i.error; })[0];
    if (queued) {
      fill(queued.fields); field("client_id").value = queued.payload.client_id; lock();
      waitingMessage();
    } else if (draft && !hasError) {
      fill(draft.fields); field("client_id").value = draft.client_id;
      say("Brouillon retrouvé sur cet appareil (enregistré à " + hhmm(draft.saved_at) + ").", "info");
      var clear = document.createElement("button");
      clear.type = "button"; clear.className = "link"; clear.textContent = "Effacer le brouillon";
      clear.addEventListener("click", function () {
        delete store.data.drafts[key];
        store.save().then(function () { window.location.reload(); });
      });
      statusBox.appendChild(document.createTextNode(" ")); statusBox.appendChild(clear);
    } else if (!store.persistent()) {
      say("Ce navigateur ne peut pas garder le brouillon chiffré sur l'appareil : il sera perdu si la page se ferme.", "info");
    }
    showTemplates();
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", function (event) {
      if (event.target.name === "target") showTemplates();
      saveDraft();
    });
    var known = nomenclature();
    form.querySelectorAll("[data-template]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var tpl = known.templates[link.getAttribute("data-template")];
        if (!tpl) return;
        event.preventDefault();
        var filled = 0;
        ["data", "actions", "results"].forEach(function (name) {
          var el = field(name);
          if (el && !el.value.trim() && tpl[name]) { el.value = tpl[name]; filled += 1; }
        });
        say(filled ? "Modèle ajouté : complétez les « … »." : "Les cases sont déjà remplies : le modèle n'a rien remplacé.", "info");
        saveDraft();
        field("data").focus();
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = fields();
      var item = {
        payload: payload(values), fields: values, draft: key,
        formUrl: window.location.pathname, saved_at: new Date().toISOString()
      };
      var others = without(item);
      if (others.length >= MAX_OUTBOX) {
        say("Trop de transmissions attendent déjà le réseau sur cet appareil : envoyez-les d'abord.", "error");
        return;
      }
      saveDraft();
      setOutbox(others.concat([item]));
      lock();
      say("Envoi en cours…", "info");
      flush();
    });
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
