/* Virage — transmissions, progressive enhancement (the forms work without this script).
 *
 * - The entry being written is kept on this device (localStorage) at every keystroke: a reload,
 *   a closed tab or a lost connection loses nothing.
 * - Sending goes through an outbox: the entry is stored first, then posted as JSON to
 *   /transmissions/envoyer with the session cookie and the x-csrftoken header. Each entry carries
 *   a client identifier (UUID): if an answer is lost and the entry is sent again, the server
 *   answers with the transmission already received, never a duplicate.
 * - The outbox is sent again when the network comes back, every few seconds, and on every page.
 * - Entries are kept per user (data-user), so another account on a shared tablet never sends them.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var userId = script && script.getAttribute("data-user");
  if (!userId || !window.fetch || !window.JSON) return;
  try { window.localStorage.setItem("virage:test", "1"); window.localStorage.removeItem("virage:test"); }
  catch (e) { return; }

  var OUTBOX = "virage:transmissions:outbox:" + userId;
  var DRAFT = "virage:transmissions:draft:" + userId + ":";
  var RETRY_MS = 10000;
  var form = document.querySelector("form[data-transmission-form]");
  var statusBox = document.getElementById("tr-status");
  var sending = false;

  function load(key, fallback) {
    try { var raw = localStorage.getItem(key); return raw ? JSON.parse(raw) : fallback; }
    catch (e) { return fallback; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* quota: keep going */ }
  }
  function csrf() {
    var input = document.querySelector('input[name="_csrf_token"]');
    return input ? input.value : "";
  }
  function outbox() { return load(OUTBOX, []); }
  function setOutbox(items) {
    if (items.length) store(OUTBOX, items); else localStorage.removeItem(OUTBOX);
    banner();
  }
  function hhmm(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + "h" + ("0" + d.getMinutes()).slice(-2);
  }

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
    var p = document.createElement("p");
    p.textContent = waiting
      ? waiting + (waiting > 1 ? " transmissions attendent" : " transmission attend") +
        " le réseau : gardée" + (waiting > 1 ? "s" : "") + " sur cet appareil, envoi automatique dès que possible."
      : "";
    if (waiting) box.appendChild(p);
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
      b.addEventListener("click", flush);
      box.appendChild(b);
    }
  }

  /* ------------------------------------------------------------ sending */

  function post(item) {
    return fetch("/transmissions/envoyer", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "accept": "application/json", "x-csrftoken": csrf() },
      body: JSON.stringify(item.payload)
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

  function flush() {
    if (sending) return Promise.resolve();
    var pending = outbox().filter(function (i) { return !i.error; });
    if (!pending.length) return Promise.resolve();
    if (navigator.onLine === false) { waitingMessage(); return Promise.resolve(); }
    sending = true;
    var chain = Promise.resolve();
    pending.forEach(function (item) {
      chain = chain.then(function () {
        return post(item).then(function (result) {
          if (result.status === 200 || result.status === 201) {
            done(item, result.body);
          } else if (retryable(result)) {
            waitingMessage(result.status === 401
              ? "Votre session a expiré : reconnectez-vous, la transmission gardée sur cet appareil partira ensuite."
              : null);
          } else {
            rejected(item, (result.body && result.body.detail) || "données refusées.");
          }
        }, function () { waitingMessage(); });
      });
    });
    return chain.then(function () { sending = false; banner(); }, function () { sending = false; });
  }

  function done(item, body) {
    setOutbox(outbox().filter(function (i) { return i.payload.client_id !== item.payload.client_id; }));
    localStorage.removeItem(item.draftKey);
    if (form && item.draftKey === draftKey()) {
      say(body.message || "Transmission enregistrée.", "ok");
      window.location.assign(body.url);
    }
  }

  function rejected(item, message) {
    var items = outbox().filter(function (i) { return i.payload.client_id !== item.payload.client_id; });
    // Back to a draft, to be corrected: nothing typed is lost.
    store(item.draftKey, { fields: item.fields, client_id: item.payload.client_id, saved_at: item.saved_at });
    if (form && item.draftKey === draftKey()) {
      setOutbox(items);
      unlock();
      say("Non enregistrée : " + message, "error");
    } else {
      item.error = message;
      items.push(item);
      setOutbox(items);
    }
  }

  function waitingMessage(text) {
    if (form && outbox().some(function (i) { return i.draftKey === draftKey() && !i.error; })) {
      say(text || "Pas de réseau pour l'instant : la transmission est gardée sur cet appareil et partira " +
        "automatiquement dès le retour de la connexion. Vous pouvez continuer votre tournée.", "waiting");
    }
    banner();
  }

  /* ------------------------------------------------------------ the form */

  function draftKey() {
    if (!form) return null;
    return DRAFT + form.getAttribute("data-mode") + ":" + form.getAttribute("data-person") + ":" +
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
      b.addEventListener("click", flush);
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
        var radio = form.querySelector('input[name="' + name + '"][value="' + values[name] + '"]');
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
    store(draftKey(), { fields: fields(), client_id: field("client_id").value, saved_at: new Date().toISOString() });
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
    var draft = load(key, null);
    var queued = outbox().filter(function (i) { return i.draftKey === key && !i.error; })[0];
    if (queued) {
      fill(queued.fields); field("client_id").value = queued.payload.client_id; lock();
      waitingMessage();
    } else if (draft && !hasError) {
      fill(draft.fields); field("client_id").value = draft.client_id;
      say("Brouillon retrouvé sur cet appareil (enregistré à " + hhmm(draft.saved_at) + ").", "info");
      var clear = document.createElement("button");
      clear.type = "button"; clear.className = "link"; clear.textContent = "Effacer le brouillon";
      clear.addEventListener("click", function () { localStorage.removeItem(key); window.location.reload(); });
      statusBox.appendChild(document.createTextNode(" ")); statusBox.appendChild(clear);
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
        payload: payload(values), fields: values, draftKey: key,
        formUrl: window.location.pathname, saved_at: new Date().toISOString()
      };
      saveDraft();
      setOutbox(outbox().filter(function (i) { return i.payload.client_id !== item.payload.client_id; }).concat([item]));
      lock();
      say("Envoi en cours…", "info");
      flush();
    });
  }

  if (form) setUpForm();
  banner();
  window.addEventListener("online", flush);
  window.setInterval(function () { if (outbox().length) flush(); }, RETRY_MS);
  flush();
})();
