// Progress bars say their value in data-progress; the width is set here, not in a style
// attribute, which the Content-Security-Policy refuses. htmx.onLoad also covers the bars
// that polling swaps in.
(function () {
  "use strict";
  function widen(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0));
      bar.style.width = value + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(widen);
  } else {
    widen(document);
  }
})();
