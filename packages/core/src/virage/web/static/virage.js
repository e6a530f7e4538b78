/* Small behaviours shared by every page, without inline script (the Content-Security-Policy
   refuses inline code): buttons marked data-action="print" print the page, and links marked
   data-action="back" go back in the history when there is one (their href is the fallback). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!target) return;
    var action = target.getAttribute("data-action");
    if (action === "print") {
      event.preventDefault();
      window.print();
    } else if (action === "back" && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
