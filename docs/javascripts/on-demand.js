/*
 * Virage documentation: heavy scripts only on the pages that use them.
 *
 * mermaid (3.5 MB, vendored by scripts/fetch-assets in javascripts/vendor/) is needed by the few
 * pages that hold a diagram, autodiagnostic.js by one page. This small file is the only one of
 * them in extra_javascript (so on every page); it loads the others from this site, never from a
 * CDN, so the documentation keeps working offline:
 *
 * - mermaid: Material draws the `pre.mermaid` blocks itself with the global `mermaid`, and
 *   downloads it from a CDN when there is none. So this file puts a small stand-in in its place:
 *   initialize() keeps Material's settings, render() loads the vendored file, applies the
 *   settings, then draws with the real library, which replaces the stand-in once loaded. A page
 *   without a diagram never asks for a drawing, so never downloads mermaid.
 * - autodiagnostic.js: loaded when the page holds its form (#autodiag-form).
 *
 * Both work with Material's instant navigation: Material asks the global `mermaid` on every page
 * it shows, and the page scripts are looked for again on each page switch (document$).
 */
(function () {
  "use strict";

  if (window.__virageOnDemand) return;
  window.__virageOnDemand = true;

  var here = (document.currentScript && document.currentScript.src) || document.baseURI;
  var MERMAID = "vendor/mermaid.min.js";
  var PAGE_SCRIPTS = [{ selector: "#autodiag-form", script: "autodiagnostic.js" }];

  var loading = {};

  /* Load a script of this folder once; the promise settles when it has run. */
  function loadScript(path) {
    var url = new URL(path, here).href;
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () {
          resolve();
        };
        script.onerror = function () {
          delete loading[url]; // a later page may try again (back online)
          script.remove();
          reject(new Error("Virage : impossible de charger " + url));
        };
        document.head.appendChild(script);
      });
    }
    return loading[url];
  }

  // ---------------------------------------------------------------------------------------
  // mermaid, on demand
  // ---------------------------------------------------------------------------------------

  var settings = null;

  function realMermaid() {
    return loadScript(MERMAID).then(function () {
      var mermaid = window.mermaid;
      if (!mermaid || mermaid === standIn) throw new Error("Virage : " + MERMAID + " sans mermaid");
      if (settings) {
        mermaid.initialize(settings);
        settings = null;
      }
      return mermaid;
    });
  }

  function later(name) {
    return function () {
      var args = arguments;
      return realMermaid().then(function (mermaid) {
        return mermaid[name].apply(mermaid, args);
      });
    };
  }

  var standIn = {
    initialize: function (config) {
      settings = config;
    },
    render: later("render"),
    run: later("run"),
    parse: later("parse"),
  };

  // An element with id="mermaid" is also window.mermaid: that one is not the library.
  if (typeof window.mermaid === "undefined" || window.mermaid instanceof Element) {
    window.mermaid = standIn;
  }

  // ---------------------------------------------------------------------------------------
  // Scripts of one page
  // ---------------------------------------------------------------------------------------

  function loadPageScripts() {
    PAGE_SCRIPTS.forEach(function (entry) {
      if (document.querySelector(entry.selector)) {
        loadScript(entry.script).catch(function (error) {
          console.error(error);
        });
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Boxes that scroll sideways
  // ---------------------------------------------------------------------------------------

  // A wide table (in Material's scrolling box) or a wide diagram scrolls inside its own box on
  // a phone. Such a box takes the keyboard focus, so the arrow keys can scroll it (WCAG 2.1.1,
  // axe « scrollable-region-focusable »), as Material does for code blocks; boxes that do not
  // scroll stay out of the tab order.
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset .virage-schema";
  var measuring = false;

  function focusScrollers() {
    measuring = false;
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  function focusScrollersSoon() {
    if (measuring) return;
    measuring = true;
    window.requestAnimationFrame(focusScrollers);
  }

  function onPage() {
    loadPageScripts();
    focusScrollersSoon();
  }

  window.addEventListener("resize", focusScrollersSoon);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage); // also the first page, once the document is ready
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
  loadPageScripts(); // at once: the form is already parsed when this script runs
})();
