/* Virage — the round without network (field roles), on top of server-rendered pages.
 *
 * - Registers the service worker (/sw.js) for signed-in field roles only (data-field="1"); for
 *   anyone else, removes it.
 * - « Ma journée » of today, loaded with network: keeps the round on this device — the day's page,
 *   each visit, the person's page, her recent transmissions and the form to write one, exactly as
 *   the server renders them for this worker — encrypted (offline-store.js). Without network, the
 *   service worker's offline page opens these copies, also after a reload.
 * - Check-in, check-out and status changes (the forms of the visits) go through a queue kept on the
 *   device, encrypted (device-store.js, area "tournee"): each entry has a client identifier and the
 *   moment of the tap, and is sent in order to POST /agenda/pointages, exactly once (the server
 *   keeps a receipt per identifier). Online, the page then shows the server's answer as the form
 *   would; offline, the card shows what was noted and the banner « n envois en attente ».
 * - A refusal (a visit cancelled meanwhile…) is shown in French in the banner until read.
 * Transmissions have their own outbox (transmissions.js); the banner counts both.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var userId = script && script.getAttribute("data-user");
  var field = script && script.getAttribute("data-field") === "1";
  var Virage = window.Virage || {};
  if (!userId || !window.fetch || !window.Promise) return;

  var sw = navigator.serviceWorker;
  if (sw && field) {
    sw.register("/sw.js", { scope: "/" }).catch(function () { /* not over HTTPS: online only */ });
  } else if (sw && sw.getRegistrations) {
    sw.getRegistrations().then(function (list) { list.forEach(function (r) { r.unregister(); }); });
  }
  if (!Virage.deviceStore || !Virage.offlineStore || !Virage.offlineStore.available) return;

  var offlineCopy = document.documentElement.getAttribute("data-hors-ligne");
  var snapshot = "<!doctype html>\n" + document.documentElement.outerHTML;
  var FORM = /^\/agenda\/rendez-vous\/(\d+)\/(arrivee|depart|statut)$/;
  var ACTIONS = { arrivee: "in", depart: "out", statut: "status" };
  var OK = { "in": "arrivee", out: "depart", status: "statut" };
  // What is kept of the round: the person's page, her recent transmissions and the form to write
  // one (not its template variants), her emergency liaison file (DLU: the person's page links to it
  // for the care team only); a visit or a transmission only when the day links to it (the day's
  // visits, an urgent transmission on a card). The library's documents « à emporter »: their list
  // (linked from the day) and each one's page, with its text (the file itself stays online).
  var KEEP = [
    /^\/personnes\/\d+$/, /^\/personnes\/\d+\/transmissions$/,
    /^\/personnes\/\d+\/transmissions\/nouvelle(\?visite=\d+)?$/, /^\/personnes\/\d+\/dlu$/,
    /^\/bibliotheque\/documents\/\d+$/
  ];
  var FROM_DAY = [/^\/agenda\/rendez-vous\/\d+$/, /^\/transmissions\/\d+$/, /^\/bibliotheque\/a-emporter$/];
  var MAX_PAGES = 80;
  var AGAIN_MS = 15 * 60 * 1000;  // the round is taken again at most every 15 minutes (each page read is audited)
  var RETRY_MS = 15000;
  var store = null, current = null;

  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }
  function hhmm(ms) {
    var d = new Date(ms);
    return d.getHours() + " h " + String(d.getMinutes()).padStart(2, "0");
  }
  function newId() {
    return Array.prototype.map.call(window.crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function csrf() {
    var input = document.querySelector('input[name="_csrf_token"]');
    return input ? input.value : "";
  }
  function queue() { return store ? store.data.queue : []; }

  /* ------------------------------------------------------------ the banner */

  function banner() {
    var box = document.getElementById("hors-ligne-etat");
    var items = queue(), refused = items.filter(function (i) { return i.error; });
    var waiting = items.length - refused.length;
    var tr = Virage.transmissions && Virage.transmissions.unsent ? Virage.transmissions.unsent().outbox || 0 : 0;
    var lines = [];
    if (offlineCopy) lines.push("Pas de réseau : copie gardée sur cet appareil à " + offlineCopy + ".");
    if (waiting + tr) lines.push(plural(waiting + tr, "envoi en attente", "envois en attente") + " : envoi automatique au retour du réseau.");
    var onDay = window.location.pathname === "/agenda/ma-journee";
    if (store && store.data.synced_at && (offlineCopy || onDay || waiting + tr)) {
      lines.push("Dernière synchronisation à " + hhmm(store.data.synced_at) + ".");
    }
    if (store && store.data.kept && field && !offlineCopy && window.location.pathname === "/agenda/ma-journee") {
      lines.push("Tournée gardée sur cet appareil à " + hhmm(store.data.kept.at) + " (" +
        plural(store.data.kept.pages, "page", "pages") + ") : elle reste consultable sans réseau.");
    }
    if (!lines.length && !refused.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "hors-ligne-etat";
      box.className = "notice " + (refused.length ? "notice-error" : "notice-info");
      box.setAttribute("role", "status");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    box.className = "notice " + (refused.length ? "notice-error" : waiting + tr ? "notice-warning" : "notice-info");
    box.textContent = "";
    lines.forEach(function (text) {
      var p = document.createElement("p"); p.textContent = text; box.appendChild(p);
    });
    refused.forEach(function (item) {
      var p = document.createElement("p");
      p.textContent = "Non enregistré — " + item.label + " : " + item.error;
      box.appendChild(p);
    });
    if (refused.length) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "secondary"; b.textContent = "J'ai compris";
      b.addEventListener("click", function () {
        store.data.queue = queue().filter(function (i) { return !i.error; });
        store.save(); banner();
      });
      box.appendChild(b);
    }
  }

  /* ------------------------------------------------------------ the visit cards */

  function formFor(id, path) {
    return document.querySelector('form[action="/agenda/rendez-vous/' + id + "/" + path + '"]');
  }
  function noted(form, text) {
    var span = document.createElement("span");
    span.className = "muted hors-ligne-note";
    span.textContent = text;
    span.setAttribute("data-client", form.getAttribute("data-client") || "");
    form.replaceWith(span);
    return span;
  }
  function checkoutForm(id, after) {
    var f = document.createElement("form");
    f.method = "post"; f.className = "inline";
    f.action = "/agenda/rendez-vous/" + id + "/depart";
    var b = document.createElement("button");
    b.type = "submit"; b.textContent = "Visite terminée";
    f.appendChild(b);
    after.after(f);
  }

  /** What the queue holds is shown on the cards (a copy kept before still shows the old state). */
  function showQueued() {
    queue().forEach(function (item) {
      if (item.error) return;
      var when = " à " + hhmm(Date.parse(item.at)) + " (en attente d'envoi)";
      var mark = function (f) { if (f) f.setAttribute("data-client", item.client_id); return f; };
      if (item.action === "in") {
        var f = mark(formFor(item.appointment_id, "arrivee"));
        if (f) {
          var span = noted(f, "Arrivée notée" + when);
          if (!formFor(item.appointment_id, "depart")) checkoutForm(item.appointment_id, span);
        }
      } else if (item.action === "out") {
        var g = mark(formFor(item.appointment_id, "depart"));
        if (g) noted(g, "Départ noté" + when);
      } else {
        var h = mark(formFor(item.appointment_id, "statut"));
        if (h) noted(h, "Changement de statut noté" + when);
      }
    });
  }

  function labelOf(form, action) {
    var card = form.closest("li, article, section, main");
    var title = card && card.querySelector("h2, h1");
    var time = card && card.querySelector(".ag-time strong");
    var what = { "in": "arrivée", out: "départ", status: "statut" }[action];
    return what + " · " + ((title && title.textContent.trim()) || "rendez-vous") + (time ? " à " + time.textContent.trim() : "");
  }

  /* ------------------------------------------------------------ sending, in order, once */

  function post(item) {
    return fetch("/agenda/pointages", {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrftoken": csrf() },
      body: JSON.stringify({
        client_id: item.client_id, appointment_id: item.appointment_id,
        action: item.action, status: item.status || "", at: item.at
      })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
    });
  }
  function retryable(r) {
    var s = r.status;
    return s === 401 || s === 408 || s === 429 || s >= 500 ||
      (s === 403 && /jeton de sécurité/.test((r.body && r.body.detail) || ""));
  }

  /** Send what waits, in order; stops at the first that cannot go now. Resolves to the entries sent. */
  function flush() {
    if (current) return current;
    if (!store || !queue().some(function (i) { return !i.error; })) return Promise.resolve([]);
    var sent = [];
    current = store.refresh().then(function (same) {
      if (same === false) { window.location.reload(); return sent; }
      var pending = queue().filter(function (i) { return !i.error; });
      var stop = false, chain = Promise.resolve();
      pending.forEach(function (item) {
        chain = chain.then(function () {
          if (stop) return;
          return post(item).then(function (r) {
            if (r.status === 200 || r.status === 201) {
              store.data.queue = queue().filter(function (i) { return i.client_id !== item.client_id; });
              sent.push(item);
            } else if (retryable(r)) {
              stop = true;
            } else {
              item.error = (r.body && r.body.detail) || "refusé par le serveur.";
            }
            store.data.synced_at = Date.now();
            return store.save();
          }, function () { stop = true; });  // no network: everything waits, in order
        });
      });
      return chain.then(function () { return sent; });
    }).then(function (s) {
      current = null;
      s.forEach(function (item) {
        var note = document.querySelector('.hors-ligne-note[data-client="' + item.client_id + '"]');
        if (note) note.textContent = note.textContent.replace("(en attente d'envoi)", "(envoyé)");
      });
      banner();
      return s;
    },
      function () { current = null; banner(); return sent; });
    return current;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var m = form && form.getAttribute && FORM.exec(form.getAttribute("action") || "");
    if (!m || !store) return;  // without the queue open yet, the form posts as usual
    event.preventDefault();
    event.stopImmediatePropagation();
    var action = ACTIONS[m[2]];
    var status = form.querySelector('[name="status"]');
    var retour = form.querySelector('[name="retour"]');
    var item = {
      client_id: newId(), appointment_id: Number(m[1]), action: action,
      status: status ? status.value : "", at: new Date().toISOString(),
      label: labelOf(form, action), back: retour ? retour.value : ""
    };
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    store.data.queue = queue().concat([item]);
    store.save().then(flush).then(function (sent) {
      var done = sent.some(function (i) { return i.client_id === item.client_id; });
      if (done && !offlineCopy) return showAnswer(item, form);
      if (!item.error) showQueued();
      banner();
    });
  }, true);

  /** Online, once sent: the card as the server now renders it, in place (as agenda-day.js does);
   * elsewhere, or without a card to replace, the page the form would have led to. */
  function showAnswer(item, form) {
    var back = /^\/agenda\//.test(item.back) ? item.back : "/agenda/rendez-vous/" + item.appointment_id;
    var target = back + (back.indexOf("?") < 0 ? "?" : "&") + "ok=" + OK[item.action];
    var card = form.closest("[data-visit]");
    if (!card || !card.id || !window.DOMParser) { window.location.assign(target); return; }
    return fetch(back, { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html && field && /^\/agenda\/ma-journee/.test(back)) {
          Virage.deviceStore.keys().then(function (keys) {  // the kept copy follows
            if (keys && keys.user === String(userId)) Virage.offlineStore.put(keys, back, html);
          });
        }
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById(card.id);
        if (!fresh) { window.location.assign(target); return; }
        fresh = document.importNode(fresh, true);
        card.replaceWith(fresh);
        var live = document.getElementById("ag-live");
        var state = fresh.querySelector("[data-state]");
        if (live) live.textContent = "C'est enregistré" + (state ? " : " + state.textContent : ".");
        var next = fresh.querySelector('form button, .ag-tr .button');
        if (next) next.focus({ preventScroll: true });
      }, function () { window.location.assign(target); });
  }

  /* ------------------------------------------------------------ keeping the round */

  function localDay() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function linksOf(html, base, fromDay) {
    // Without the page's own style (a DLU prints on one page): parsing it would break the CSP.
    var doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style>/gi, ""), "text/html");
    var scope = doc.querySelector("main") || doc;
    var out = [];
    scope.querySelectorAll("a[href]").forEach(function (a) {
      var u = new URL(a.getAttribute("href"), base);
      if (u.origin !== window.location.origin) return;
      var path = u.pathname + u.search;
      var kept = KEEP.concat(fromDay ? FROM_DAY : []);
      if (kept.some(function (re) { return re.test(path); })) out.push(path);
    });
    return out;
  }
  function assetsOf(html) {
    var out = [], re = /(?:src|href)="(\/static\/[^"]+\?v=[^"]+)"/g, m;
    while ((m = re.exec(html))) out.push(m[1].replace(/&amp;/g, "&"));
    return out;
  }

  function keepRound() {
    var day = new URLSearchParams(window.location.search).get("jour");
    if (!field || offlineCopy || window.location.pathname !== "/agenda/ma-journee" || (day && day !== localDay())) {
      return Promise.resolve();
    }
    var off = Virage.offlineStore;
    return Virage.deviceStore.keys().then(function (keys) {
      if (!keys || keys.user !== String(userId)) return;
      var seen = {}, todo = [], assets = {}, count = 0;
      function add(list) { list.forEach(function (p) { if (!seen[p]) { seen[p] = true; todo.push(p); } }); }
      function take(html, url, fromDay) {
        assetsOf(html).forEach(function (a) { assets[a] = true; });
        add(linksOf(html, url, fromDay));
      }
      var recent = false;
      return off.tidy(userId).then(function (left) {
        // Kept a moment ago, and still there (the log-in page empties it).
        recent = left > 1 && store.data.kept && Date.now() - store.data.kept.at < AGAIN_MS;
        return off.put(keys, "/agenda/ma-journee", snapshot);
      }).then(function () {
        if (recent) { todo = null; return; }
        count = 1;
        take(snapshot, window.location.href, true);
        function next() {
          var path = todo.shift();
          if (!path || count >= MAX_PAGES) return Promise.resolve();
          return fetch(path, { credentials: "same-origin", cache: "no-store", headers: { accept: "text/html" } })
            .then(function (r) {
              var html = r.ok && !r.redirected && (r.headers.get("content-type") || "").indexOf("text/html") === 0;
              return html ? r.text() : null;
            })
            .then(function (html) {
              if (!html) return;
              take(html, window.location.origin + path);
              count += 1;
              return off.put(keys, path, html);
            })
            .catch(function () { /* lost the network, or a page not kept: the rest goes on */ })
            .then(next);
        }
        return next();
      }).then(function () {
        if (!todo) return;
        // The files the pages need (the service worker keeps them; they carry no personal data).
        return Promise.all(Object.keys(assets).map(function (a) {
          return fetch(a, { credentials: "same-origin" }).catch(function () {});
        }));
      }).then(function () {
        if (!todo) return;
        store.data.kept = { at: Date.now(), pages: count };
        store.data.synced_at = Date.now();
        return store.save();
      }).then(banner);
    }).catch(function () { /* nothing kept: the round stays online only */ });
  }

  /* ------------------------------------------------------------ start */

  Virage.round = {
    ready: Virage.deviceStore.open(userId, "tournee", {
      empty: function () { return { queue: [], synced_at: null, kept: null }; },
      isEmpty: function (d) { return !d.queue.length && !d.synced_at && !d.kept; },
      merge: function (stored, mem) {
        var seen = {};
        stored = stored || { queue: [] };
        (stored.queue || []).forEach(function (i) { seen[i.client_id] = true; });
        return {
          queue: (stored.queue || []).concat((mem.queue || []).filter(function (i) { return !seen[i.client_id]; })),
          synced_at: Math.max(stored.synced_at || 0, mem.synced_at || 0) || null,
          kept: mem.kept || stored.kept || null
        };
      }
    }).then(function (opened) {
      store = opened;
      store.onChange(function () { showQueued(); banner(); });
      showQueued();
      banner();
      window.addEventListener("online", function () { flush(); });
      window.setInterval(function () { if (queue().length) flush(); }, RETRY_MS);
      return flush().then(keepRound);
    }),
    unsent: function () { return queue().filter(function (i) { return !i.error; }).length; },
    send: flush
  };
})();
