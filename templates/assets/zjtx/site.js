/* Every page: the menu button opens the drawer from the keyboard (Escape closes it); the 大字 button switches the
 * larger-text mode (适老化), kept in localStorage and applied before the first paint by overrides/main.html; the
 * header box loads search.js (suggestions while typing) only when the reader first focuses it. */
(function () {
  "use strict";

  var LARGE = "zjtx-large";

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawer() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector(".md-header [data-zjtx-menu]");
    if (!toggle || !button) return;
    var sync = function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
    button.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      toggle.checked = !toggle.checked;
      sync();
      if (toggle.checked) {
        var first = document.querySelector(".md-sidebar--primary a");
        if (first) setTimeout(function () { first.focus(); }, 50);
      }
    });
    toggle.addEventListener("change", sync);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        sync();
        button.focus();
      }
    });
    sync();
  }

  function largeText() {
    var button = document.querySelector("[data-zjtx-large]");
    if (!button) return;
    var root = document.documentElement;
    var sync = function () { button.setAttribute("aria-pressed", root.classList.contains(LARGE) ? "true" : "false"); };
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = root.classList.toggle(LARGE);
      try { localStorage.setItem(LARGE, on ? "1" : "0"); } catch (error) { /* private mode: this page only */ }
      sync();
    });
    sync();
  }

  function start() {
    searchOnDemand();
    drawer();
    largeText();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
