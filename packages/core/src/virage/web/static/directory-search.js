/* Directory search (/annuaire): refresh the results while typing.
   Progressive enhancement: the form works without it. */
(function () {
  var form = document.getElementById("dir-form"), timer = null, last = "";
  if (!form || !window.fetch || !window.DOMParser) return;
  function refresh() {
    var query = new URLSearchParams(new FormData(form)).toString();
    if (query === last || !document.getElementById("q").value.trim() && !document.getElementById("pres_de").value.trim()) return;
    last = query;
    fetch("/annuaire?" + query, {headers: {"Accept": "text/html"}, credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (query !== last) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("resultats");
        var current = document.getElementById("resultats");
        if (fresh && current) { current.replaceWith(fresh); history.replaceState(null, "", "/annuaire?" + query); }
      }).catch(function () {});
  }
  document.getElementById("q").addEventListener("input", function () {
    clearTimeout(timer); timer = setTimeout(refresh, 250);
  });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 50); });
})();
