// HUD's colour modes (Bootstrap 5.3's data-bs-theme): the browser's prefers-color-scheme by
// default, or the visitor's choice from the navbar's switch, remembered in localStorage.
// Loaded synchronously in <head> (the CSP allows no inline script), so the page is painted in
// its mode from the start; the markup itself never depends on the mode (pages and fragments
// are cached for everyone), only this script and the CSS do.
(function () {
  "use strict";
  var KEY = "hud-color-mode";
  var root = document.documentElement;
  var query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "auto";
    } catch (e) { return "auto"; } // storage disabled: follow the browser
  }

  function apply(choice) {
    var mode = choice === "auto" ? (query && query.matches ? "dark" : "light") : choice;
    root.setAttribute("data-bs-theme", mode);
    // The switch's icon shows the choice (CSS), auto included.
    root.setAttribute("data-hud-color-choice", choice);
  }

  // The switch's items say which one is chosen, to screen readers too.
  function mark(choice) {
    var items = document.querySelectorAll("[data-hud-color-mode]");
    var label = "";
    items.forEach(function (item) {
      var on = item.getAttribute("data-hud-color-mode") === choice;
      item.classList.toggle("active", on);
      item.setAttribute("aria-pressed", on ? "true" : "false");
      if (on) { label = item.textContent.trim(); }
    });
    var toggle = document.getElementById("color-mode-toggle");
    if (toggle) {
      toggle.setAttribute("aria-label", toggle.getAttribute("data-label") + ": " + label);
    }
  }

  apply(stored());
  if (query && query.addEventListener) {
    query.addEventListener("change", function () {
      if (stored() === "auto") { apply("auto"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var switcher = document.getElementById("color-mode-switcher");
    if (!switcher) { return; }
    // Without this script the switch could do nothing, so it is only shown with it.
    switcher.classList.remove("d-none");
    mark(stored());
    switcher.querySelectorAll("[data-hud-color-mode]").forEach(function (item) {
      item.addEventListener("click", function () {
        var choice = item.getAttribute("data-hud-color-mode");
        try {
          if (choice === "auto") {
            window.localStorage.removeItem(KEY);
          } else {
            window.localStorage.setItem(KEY, choice);
          }
        } catch (e) { /* not remembered, but still applied to this page */ }
        apply(choice);
        mark(choice);
      });
    });
  });

  // Another tab changed the choice: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) {
      apply(stored());
      mark(stored());
    }
  });
})();
