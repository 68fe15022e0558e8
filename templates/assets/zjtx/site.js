/* Small behaviours of every page, for keyboards and for older readers; the pages work without them.
 *
 * - The menu button (a label of the theme's hidden drawer checkbox) opens and closes the drawer from the keyboard,
 *   and Escape closes it.
 * - The larger-text mode (适老化) is switched by the header button and remembered in localStorage; an inline script in
 *   the page's head applies it before the first paint (overrides/main.html).
 * - The header search box loads search.js (about 30 KB) when the reader first focuses it, so pages that are only
 *   read do not download it; search.js then suggests enterprises while typing.
 * - Small tables marked data-zjtx-filter (the announcement list) get a text filter and a select per column marked
 *   data-filter; rows are only hidden or shown, nothing from the data is written.
 */
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

  function fold(text) {
    return window.zjtxSearch ? window.zjtxSearch.normalise(text) : String(text).toLowerCase().replace(/\s+/g, "");
  }

  function smallTables() {
    document.querySelectorAll("table[data-zjtx-filter]").forEach(function (table, number) {
      var rows = Array.from(table.tBodies[0].rows);
      var bar = element("form", { "class": "zjtx-filters", role: "search", "aria-label": table.getAttribute("data-zjtx-filter") });
      bar.addEventListener("submit", function (event) { event.preventDefault(); });
      var id = "zjtx-small-" + number;
      var field = element("div", { "class": "zjtx-filters__text" });
      field.appendChild(element("label", { "for": id + "-q" }, table.getAttribute("data-zjtx-filter")));
      var text = element("input", { id: id + "-q", type: "search", autocomplete: "off" });
      field.appendChild(text);
      bar.appendChild(field);
      var selects = [];
      Array.from(table.tHead.rows[0].cells).forEach(function (th, column) {
        if (!th.hasAttribute("data-filter")) return;
        var values = Array.from(new Set(rows.map(function (row) { return row.cells[column].textContent.trim(); }))).sort();
        var select = element("select", { id: id + "-" + column });
        select.add(new Option("全部", ""));
        values.forEach(function (value) { if (value) select.add(new Option(value, value)); });
        var wrap = element("div");
        wrap.appendChild(element("label", { "for": select.id }, th.textContent));
        wrap.appendChild(select);
        bar.appendChild(wrap);
        selects.push([column, select]);
      });
      var count = element("p", { "class": "zjtx-count", "aria-live": "polite" });
      var apply = function () {
        var wanted = fold(text.value), shown = 0;
        rows.forEach(function (row) {
          var keep = !wanted || fold(row.textContent).indexOf(wanted) >= 0;
          selects.forEach(function (pair) {
            if (pair[1].value && row.cells[pair[0]].textContent.trim() !== pair[1].value) keep = false;
          });
          row.hidden = !keep;
          if (keep) shown++;
        });
        count.textContent = "共 " + rows.length + " 条" + (shown < rows.length ? "，符合条件的 " + shown + " 条" : "") + "。";
      };
      text.addEventListener("input", apply);
      selects.forEach(function (pair) { pair[1].addEventListener("change", apply); });
      table.parentNode.insertBefore(bar, table);
      table.parentNode.insertBefore(count, table);
      apply();
    });
  }

  function searchOnDemand() {
    var input = document.querySelector('.md-header form[role="search"] input[name="q"]');
    var meta = document.querySelector('meta[name="zjtx-root"]');
    if (!input || !meta) return;
    var load = function () {
      if (window.zjtxSearch || document.querySelector("script[data-zjtx-search]")) return;
      var script = element("script", { "data-zjtx-search": "" });
      script.src = new URL(meta.getAttribute("content").replace(/\/?$/, "/") + "assets/search/search.js", location.href).href;
      document.head.appendChild(script);
    };
    input.addEventListener("focus", load);
    input.addEventListener("input", load);
  }

  function start() {
    searchOnDemand();
    drawer();
    largeText();
    smallTables();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
