/* Virage — the offline page (GET /hors-ligne), given by the service worker instead of a page the
 * network could not bring. It opens the copy of that page kept on this device (offline-store.js),
 * with the key this tab remembered, and shows it as it was rendered for this worker. Without that
 * key (another tab, the tab was closed, another user), nothing opens: the copy stays encrypted.
 */
(function () {
  "use strict";
  var Virage = window.Virage || {};
  var message = document.getElementById("hors-ligne-message");
  function say(text) { if (message) message.textContent = text; }
  var store = Virage.offlineStore;
  if (!store || !store.available) { say("Cet appareil ne peut pas garder la tournée hors ligne."); return; }
  if (window.location.pathname === "/hors-ligne") { say("Pas de réseau : ouvrez « Ma journée »."); return; }

  function hhmm(ms) {
    var d = new Date(ms);
    return d.getHours() + " h " + String(d.getMinutes()).padStart(2, "0");
  }

  store.rememberedKeys().then(function (keys) {
    if (!keys) {
      say("La tournée gardée sur cet appareil est verrouillée : elle ne s'ouvre sans réseau que dans " +
        "l'onglet où elle a été préparée. Reconnectez-vous dès que le réseau revient.");
      return;
    }
    return store.get(keys, window.location.href).then(function (found) {
      if (!found) {
        say("Cette page n'a pas été gardée sur cet appareil (ou elle date de plus de 14 heures). " +
          "« Ma journée » et les pages de vos visites le sont, si vous les avez ouvertes avec du réseau.");
        return;
      }
      // A form kept on the device is used more than once: each use gets its own client identifier.
      var html = found.html.replace(/(<input type="hidden" name="client_id" value=")[^"]*"/g, function (m, start) {
        var id = Array.prototype.map.call(window.crypto.getRandomValues(new Uint8Array(16)), function (b) {
          return ("0" + b.toString(16)).slice(-2);
        }).join("");
        return start + id + '"';
      });
      html = html.replace(/<html([^>]*)>/i, '<html$1 data-hors-ligne="' + hhmm(found.at) + '">');
      document.open();
      document.write(html);
      document.close();
    });
  }).catch(function () { say("La copie gardée sur cet appareil n'a pas pu être ouverte."); });
})();
