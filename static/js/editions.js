// Keeps the status lines of the PDF editions up to date without reloading the page
// (the Content-Security-Policy forbids inline scripts, hence this file). A line
// `<p data-edition-status="…/etat/" data-preparing="true">` is replaced every few seconds
// by its new version from the server (liaison/booklet/views.py, edition_status) until the
// edition is ready; an empty line is filled in at once. The line is updated in place, so
// that screen readers announce it (aria-live).
"use strict";
(function () {
  const DELAY = 3000;

  function watch(line, delay) {
    if (line.dataset.preparing !== "true") {
      return;
    }
    window.setTimeout(async function () {
      let fresh = null;
      try {
        const response = await fetch(line.dataset.editionStatus, { credentials: "same-origin" });
        if (response.ok) {
          const holder = document.createElement("div");
          holder.innerHTML = await response.text();
          fresh = holder.querySelector("[data-edition-status]");
        }
      } catch (error) {
        // The network failed for a moment: try again later.
      }
      if (fresh) {
        line.innerHTML = fresh.innerHTML;
        line.dataset.preparing = fresh.dataset.preparing;
        watch(line, DELAY);
      } else {
        watch(line, DELAY * 2);
      }
    }, delay);
  }

  document.querySelectorAll("[data-edition-status]").forEach(function (line) {
    watch(line, line.textContent.trim() ? DELAY : 0);
  });
})();
