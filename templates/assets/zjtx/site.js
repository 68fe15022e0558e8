/* Every page: the menu button opens the drawer from the keyboard (Escape closes it); the 大字 button switches the
 * larger-text mode (适老化), kept in localStorage and applied before the first paint by overrides/main.html; the
 * header box loads search.js (suggestions while typing) only when the reader first focuses it. Deferred: the
 * document is parsed when this runs. */
(function () {
  "use strict";
  var $ = document.querySelector.bind(document), root = document.documentElement;

  var toggle = $("#__drawer"), menu = $(".md-header [data-zjtx-menu]");
  function drawer(open) {
    toggle.checked = open;
    menu.setAttribute("aria-expanded", String(open));
  }
  if (toggle && menu) {
    menu.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      drawer(!toggle.checked);
      var first = $(".md-sidebar--primary a");
      if (toggle.checked && first) setTimeout(function () { first.focus(); }, 50);
    });
    toggle.addEventListener("change", function () { drawer(toggle.checked); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) { drawer(false); menu.focus(); }
    });
  }

  var large = $("[data-zjtx-large]");
  if (large) {
    large.hidden = false;
    large.setAttribute("aria-pressed", String(root.classList.contains("zjtx-large")));
    large.addEventListener("click", function () {
      var on = root.classList.toggle("zjtx-large");
      large.setAttribute("aria-pressed", String(on));
      try { localStorage.setItem("zjtx-large", on ? "1" : "0"); } catch (error) { /* private mode: this page only */ }
    });
  }

  var box = $('.md-header form[role="search"] input[name="q"]'), meta = $('meta[name="zjtx-root"]');
  function loadSearch() {
    if (window.zjtxSearch || $("script[data-zjtx-search]")) return;
    var script = document.createElement("script");
    script.setAttribute("data-zjtx-search", "");
    script.src = new URL(meta.content.replace(/\/?$/, "/") + "assets/search/search.js", location.href).href;
    document.head.appendChild(script);
  }
  if (box && meta) {
    box.addEventListener("focus", loadSearch);
    box.addEventListener("input", loadSearch);
  }
})();
