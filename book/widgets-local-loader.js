// Keep the Jupyter widgets HTML manager inside this site, working with MathJax 3, and accessible.
//
// 1. Local packages. The manager (embed-amd.js) bundles the standard widgets (@jupyter-widgets/base,
// controls and output). For any other widget package it asks RequireJS, and when that fails it
// falls back to a CDN. The book must work offline, so book/_config.yml sets the CDN to "./" and
// this script points RequireJS's baseUrl at the folder this file is served from
// (_static/widgets/). A third-party widget package then resolves to
// _static/widgets/<package>@<version>/dist/index.js: vendor it there through book/package.json and
// book/build.sh, or the page shows the widget's error.
//
// 2. MathJax 3. The bundled widgets typeset their labels with the MathJax 2 call
// MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); MathJax 3 has no Hub, so every label threw
// a TypeError. A small Hub forwards that call to MathJax 3's typesetPromise.
//
// 3. Text names. The manager draws a slider handle (role="slider") with no accessible name, and a
// figure of an Output widget as an <img> with no alt text. Once they are drawn, each handle is
// named after its widget's label, and each figure gets the text/plain form stored next to its
// PNG in the page's widget state (neuronet.course.plots.describe_figure, when the lesson called
// plots.use_style()).
//
// Copied into book/_assets/widgets/ by book/build.sh; tests/test_site_browser.py checks the result.
(function () {
  "use strict";

  // --- 1. RequireJS resolves widget packages under this folder -------------------------------
  var src = document.currentScript && document.currentScript.src;
  if (src && typeof window.require !== "undefined" && window.require.config) {
    window.require.config({ baseUrl: src.slice(0, src.lastIndexOf("/") + 1) });
  }

  // --- 2. MathJax 2's Hub.Queue, on top of MathJax 3 ------------------------------------------
  // MathJax (a deferred script) has replaced its configuration object by itself before
  // DOMContentLoaded, and the manager draws the widgets at "load", after that.
  function installHub() {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub) {
      return;
    }
    mathjax.Hub = {
      Queue: function (job) {
        var element = job && job[2];
        if (typeof mathjax.typesetPromise !== "function") {
          return; // MathJax itself did not load: the page's own error says so
        }
        var ready = (mathjax.startup && mathjax.startup.promise) || Promise.resolve();
        ready
          .then(function () {
            return mathjax.typesetPromise(element ? [element] : undefined);
          })
          .catch(function (error) {
            console.warn("MathJax could not typeset a widget label:", error);
          });
      },
    };
  }

  // --- 3. names for slider handles, alt text for figures ---------------------------------------
  var WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';

  // The text/plain of every PNG output stored in the page's widget state, keyed by its base64.
  function figureTexts() {
    var texts = {};
    document.querySelectorAll(WIDGET_STATE).forEach(function (script) {
      var state;
      try {
        state = JSON.parse(script.textContent).state || {};
      } catch (error) {
        return;
      }
      Object.keys(state).forEach(function (id) {
        var outputs = (state[id].state && state[id].state.outputs) || [];
        outputs.forEach(function (output) {
          var data = output.data || {};
          var png = data["image/png"];
          var text = data["text/plain"];
          text = Array.isArray(text) ? text.join("") : text;
          if (png && text && !/^<(matplotlib\.figure\.)?Figure\b/.test(text)) {
            texts[png.replace(/\s+/g, "")] = text.replace(/\s+/g, " ").trim();
          }
        });
      });
    });
    return texts;
  }

  var texts = null;
  var PREFIX = "data:image/png;base64,";

  function nameWidgets(root) {
    root.querySelectorAll(".widget-slider .noUi-handle:not([aria-label])").forEach(function (h) {
      var label = h.closest(".widget-slider").querySelector(".widget-label");
      var name = label && label.textContent.trim();
      if (name) {
        h.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll(".widget-output img:not([alt])").forEach(function (img) {
      var source = img.getAttribute("src") || "";
      if (source.indexOf(PREFIX) !== 0) {
        return;
      }
      texts = texts || figureTexts();
      var text = texts[source.slice(PREFIX.length).replace(/\s+/g, "")];
      if (text) {
        img.setAttribute("alt", text);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    installHub();
    if (!document.querySelector(WIDGET_STATE)) {
      return;
    }
    new MutationObserver(function () {
      nameWidgets(document.body);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
