/* Virage — the transmission form, progressive enhancement (the form works without this script).
 *
 * Loaded by the form's page before transmissions.js, which calls Virage.transmissionForm once the
 * device store is open. Here: the draft kept at every keystroke (and found again), the templates
 * filled in place, and the submission put in the outbox that transmissions.js sends.
 */
(function () {
  "use strict";
  var Virage = window.Virage = window.Virage || {};

  /** The form's part, given the form element and what transmissions.js shares (``core``). */
  Virage.transmissionForm = function (form, core) {
    var statusBox = document.getElementById("tr-status");
    var store = core.store;
    var outbox = core.outbox, setOutbox = core.setOutbox, without = core.without;
    var flush = core.flush, waitingMessage = core.waitingMessage, normal = core.normal;
    var MAX_OUTBOX = core.MAX_OUTBOX;

    function hhmm(iso) {
      var d = new Date(iso);
      return ("0" + d.getHours()).slice(-2) + "h" + ("0" + d.getMinutes()).slice(-2);
    }

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
      if (core.leaving()) return;
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
      form.setAttribute("data-draft", "saving");
      store.save().then(function (kept) {
        // Written on the device (encrypted): leaving the page now loses nothing.
        if (kept) form.setAttribute("data-draft", "saved");
      });
    }

    /** Something typed before this script was ready (slow phone): it wins over an old draft. */
    function typedBeforeReady() {
      return ["data", "actions", "results"].some(function (name) {
        var el = field(name);
        return el && el.value.trim() && el.value !== el.defaultValue;  // not what the page came with
      });
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
      var typed = typedBeforeReady();
      if (queued) {
        fill(queued.fields); field("client_id").value = queued.payload.client_id; lock();
        waitingMessage();
      } else if (draft && !hasError) {
        // What is in the boxes (typed while the device store was opening, or put back by the
        // browser) wins over the older copy; the draft's identifier keeps a resend single.
        field("client_id").value = draft.client_id;
        if (typed) saveDraft(); else fill(draft.fields);
        say("Brouillon retrouvé sur cet appareil (enregistré à " + hhmm(draft.saved_at) + ").", "info");
        var clear = document.createElement("button");
        clear.type = "button"; clear.className = "link"; clear.textContent = "Effacer le brouillon";
        clear.addEventListener("click", function () {
          delete store.data.drafts[key];
          store.save().then(function () { window.location.reload(); });
        });
        statusBox.appendChild(document.createTextNode(" ")); statusBox.appendChild(clear);
      } else if (typed && !hasError) {
        saveDraft();  // typed while the device store was opening: keep it now
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
      form.setAttribute("data-enhanced", "1");
    }

    return { draftKey: draftKey, say: say, unlock: unlock, setUp: setUpForm };
  };
})();
