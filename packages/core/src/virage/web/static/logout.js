/* Virage — logging out wipes what Virage keeps on this device (drafts, entries not sent yet).
 *
 * The « Se déconnecter » form is a plain POST; this script runs first. With nothing unsent, it
 * wipes the device's storage and submits. With entries not sent yet, it warns the user, who
 * chooses: send them first, log out anyway (they are erased), or stay. The server also deletes the
 * session's device key and answers with Clear-Site-Data, so anything left is unreadable.
 */
(function () {
  "use strict";
  var Virage = window.Virage || {};
  if (!Virage.deviceStore || !window.Promise) return;
  var WAIT_MS = 3000;  // a page still asking for its key does not hold the log-out longer

  var busy = false;

  function tr() { return Virage.transmissions || null; }

  function unsent() {
    var counts;
    try { counts = tr() ? tr().unsent() : { outbox: 0, drafts: 0 }; }
    catch (e) { counts = { outbox: 0, drafts: 0 }; }
    try { counts.round = Virage.round ? Virage.round.unsent() : 0; } catch (e) { counts.round = 0; }
    return counts;
  }

  function ready() {
    var loaded = tr() ? tr().ready.catch(function () {}) : Promise.resolve();
    return Promise.race([loaded, new Promise(function (ok) { window.setTimeout(ok, WAIT_MS); })]);
  }

  function leave(form) {
    try { if (tr()) tr().leave(); } finally {
      Virage.deviceStore.logOut();
      form.submit();  // submit() does not fire the submit event again
    }
  }

  function button(label, kind, onClick) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = label;
    if (kind) b.className = kind;
    b.addEventListener("click", onClick);
    return b;
  }

  function ask(form, counts) {
    var n = counts.outbox, d = counts.drafts, r = counts.round || 0;
    // Check-ins and check-outs of the round (offline.js) not sent yet are erased too.
    var roundToo = r ? " " + (r > 1 ? r + " pointages pas encore envoyés seront aussi effacés." : "1 pointage pas encore envoyé sera aussi effacé.") : "";
    var dialog = document.createElement("dialog");
    dialog.className = "leave-dialog";
    dialog.setAttribute("aria-labelledby", "leave-title");
    var title = document.createElement("h2");
    title.id = "leave-title";
    var text = document.createElement("p");
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    var actions = document.createElement("p");
    actions.className = "leave-actions";
    var draftsToo = d ? " " + d + (d > 1 ? " brouillons en cours seront aussi effacés." : " brouillon en cours sera aussi effacé.") : "";
    if (!n && !d) {
      title.textContent = r > 1
        ? r + " pointages pas encore envoyés seront effacés de cet appareil."
        : "1 pointage pas encore envoyé sera effacé de cet appareil.";
      text.textContent = "Attendez le retour du réseau pour " + (r > 1 ? "qu'ils partent" : "qu'il parte") +
        ", ou déconnectez-vous quand même.";
      roundToo = "";
    } else if (n) {
      title.textContent = n > 1
        ? n + " transmissions pas encore envoyées : envoyez-les avant de vous déconnecter."
        : "1 transmission pas encore envoyée : envoyez-la avant de vous déconnecter.";
      text.textContent = "Si vous vous déconnectez maintenant, " +
        (n > 1 ? "elles seront effacées de cet appareil et perdues." : "elle sera effacée de cet appareil et perdue.") + draftsToo;
    } else {
      title.textContent = d > 1
        ? d + " brouillons pas encore envoyés seront effacés de cet appareil."
        : "1 brouillon pas encore envoyé sera effacé de cet appareil.";
      text.textContent = d > 1
        ? "Envoyez-les avant de vous déconnecter si vous voulez les garder."
        : "Envoyez-le avant de vous déconnecter si vous voulez le garder.";
    }
    text.textContent += roundToo;
    var all = [];
    function disable(on) { all.forEach(function (b) { b.disabled = on; }); }
    if (n) {
      all.push(button("Envoyer puis me déconnecter", null, function () {
        disable(true);
        status.textContent = "Envoi en cours…";
        tr().send().then(function (left) {
          if (!left) { status.textContent = "Envoyé. Déconnexion…"; leave(form); return; }
          disable(false);
          status.textContent = (left > 1 ? left + " transmissions n'ont" : "1 transmission n'a") +
            " pas pu partir (pas de réseau, ou à corriger : voir le bandeau). Restez connecté·e et " +
            "réessayez dès que le réseau revient, ou déconnectez-vous quand même.";
        }, function () { disable(false); status.textContent = "L'envoi a échoué : réessayez."; });
      }));
    }
    var url = counts.draftUrl;
    if (!n && typeof url === "string" && /^\/(personnes\/\d+\/)?transmissions\//.test(url) && url !== window.location.pathname) {
      all.push(button(d > 1 ? "Reprendre le dernier brouillon" : "Reprendre le brouillon", null, function () {
        window.location.assign(url);
      }));
    }
    all.push(button("Se déconnecter quand même", "secondary", function () { leave(form); }));
    all.push(button("Rester connecté·e", "secondary", function () { dialog.close(); }));
    all.forEach(function (b) { actions.appendChild(b); });
    dialog.appendChild(title);
    dialog.appendChild(text);
    dialog.appendChild(status);
    dialog.appendChild(actions);
    dialog.addEventListener("close", function () { dialog.remove(); busy = false; });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  document.querySelectorAll('form[action="/deconnexion"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;  // a second tap while asking or leaving
      busy = true;
      ready().then(function () {
        var counts = unsent();
        if (counts.outbox || counts.drafts || counts.round) ask(form, counts); else leave(form);
      }).catch(function () { leave(form); });
    });
  });
})();
