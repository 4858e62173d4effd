// Keep the Jupyter widgets HTML manager inside this site.
//
// The manager (embed-amd.js) bundles the standard widgets (@jupyter-widgets/base, controls and
// output). For any other widget package it asks RequireJS, and when that fails it falls back to a
// CDN. The book must work offline, so book/_config.yml sets the CDN to "./" and this script points
// RequireJS's baseUrl at the folder this file is served from (_static/widgets/). A third-party
// widget package then resolves to _static/widgets/<package>@<version>/dist/index.js: vendor it
// there through book/package.json and book/build.sh, or the page shows the widget's error.
// Copied into book/_assets/widgets/ by book/build.sh.
(function () {
  "use strict";
  var src = document.currentScript && document.currentScript.src;
  if (!src || typeof window.require === "undefined" || !window.require.config) {
    return;
  }
  window.require.config({ baseUrl: src.slice(0, src.lastIndexOf("/") + 1) });
})();
