// « Ma journée »: « Je suis arrivé·e » and « Visite terminée » update the card in place.
// Progressive enhancement: without JavaScript the form posts and the server sends the page back
// at the card's anchor. With it, the same POST is sent by fetch, and the card is replaced by the
// one of the page the server answers with: no reload, no jump to the top of the page.
(function () {
  "use strict";
  function enhance(root) {
    root.querySelectorAll("form[data-in-place]").forEach(function (form) {
      form.addEventListener("submit", submit);
    });
  }
  function submit(event) {
    var form = event.currentTarget;
    var card = form.closest("[data-visit]");
    if (!card || !window.fetch || !window.DOMParser) return;  // the ordinary POST then
    if (event.defaultPrevented) return;  // someone else (the offline queue) took it
    event.preventDefault();
    var button = form.querySelector("button");
    var answered = false;
    if (button) button.disabled = true;
    card.classList.add("ag-busy");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = response.ok && page.getElementById(card.id);
        // stored, but no card to show (or refused): the server's page says what happened
        if (!fresh) { answered = true; window.location.assign(response.url); throw new Error(); }
        return fresh;
      });
    }).then(function (fresh) {
      fresh = document.importNode(fresh, true);
      card.replaceWith(fresh);
      enhance(fresh);
      var status = document.getElementById("ag-live");
      var state = fresh.querySelector("[data-state]");
      if (status) status.textContent = "C'est enregistré" + (state ? " : " + state.textContent.trim() : ".");
      var next = fresh.querySelector("form[data-in-place] button, .ag-tr .button");
      if (next) next.focus({ preventScroll: true });
    }).catch(function () {
      if (answered) return;
      card.classList.remove("ag-busy");
      if (button) button.disabled = false;
      form.submit();  // no answer at all: the ordinary POST
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();
