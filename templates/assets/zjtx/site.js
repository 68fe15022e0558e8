/* Every page: the menu button opens the drawer from the keyboard (Escape closes it); the reading modes of 适老化
 * (大字, 高对比度, 大光标), kept in localStorage and applied before the first paint by overrides/main.html; 纠错
 * links filled in with the page's address, title and USCC; the print header (site name, demo warning, the data's
 * day from api/build.json, the page's address and its QR code); charts that scroll show their latest years first;
 * the header box loads search.js (suggestions while typing) only when the reader first focuses it. Deferred: the
 * document is parsed when this runs. Text reaches the page through textContent only.
 */
(function () {
  "use strict";
  var $ = document.querySelector.bind(document), root = document.documentElement;
  var meta = $('meta[name="zjtx-root"]');
  var siteRoot = new URL((meta ? meta.content : ".").replace(/\/?$/, "/"), location.href);

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The menu: the header's label of the drawer's checkbox works by pointer without this script; a button in its
   * place (same look) opens the drawer from the keyboard too, moves the focus into it, and Escape closes it. */
  var toggle = $("#__drawer"), label = $(".md-header label[data-zjtx-menu]"), menu = null;
  function drawer(open) {
    toggle.checked = open;
    menu.setAttribute("aria-expanded", String(open));
  }
  if (toggle && label) {
    menu = element("button", { type: "button", "class": label.className, "aria-label": label.getAttribute("aria-label"),
                               "aria-expanded": "false", "data-zjtx-menu": "" });
    while (label.firstChild) menu.appendChild(label.firstChild);
    label.replaceWith(menu);
    menu.addEventListener("click", function () {
      drawer(!toggle.checked);
      var first = $(".md-sidebar--primary a");
      if (toggle.checked && first) setTimeout(function () { first.focus(); }, 50);
    });
    toggle.addEventListener("change", function () { drawer(toggle.checked); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) { drawer(false); menu.focus(); }
    });
  }

  /* The reading modes: a bar above the header, in the space the stylesheet keeps for it (no layout shift). */
  var MODES = [["large", "大字"], ["contrast", "高对比度"], ["cursor", "大光标"]];
  var header = $(".md-header");
  if (header) {
    var bar = element("section", { "class": "zjtx-modes", "aria-label": "阅读设置（适老化）" });
    var inner = element("div", { "class": "zjtx-modes__inner md-grid" });
    MODES.forEach(function (mode) {
      var name = "zjtx-" + mode[0];
      var button = element("button", { type: "button", "data-zjtx-mode": mode[0],
                                        "aria-pressed": String(root.classList.contains(name)) }, mode[1]);
      button.addEventListener("click", function () {
        var on = root.classList.toggle(name);
        button.setAttribute("aria-pressed", String(on));
        try { localStorage.setItem(name, on ? "1" : "0"); } catch (error) { /* private mode: this page only */ }
        scrollables();
      });
      inner.appendChild(button);
    });
    bar.appendChild(inner);
    header.parentNode.insertBefore(bar, header);
  }

  /* 纠错: the configured issue form or e-mail (meta zjtx-report), else the feedback page, with this page's details. */
  var canonical = $('link[rel="canonical"]');
  var address = canonical ? canonical.href : location.href.split("#")[0];
  var heading = $("article h1");
  var title = heading ? heading.textContent.trim() : document.title;
  var report = $('meta[name="zjtx-report"]');
  var target = report ? report.content : "";
  document.querySelectorAll("a[data-zjtx-report]").forEach(function (link) {
    var uscc = link.getAttribute("data-uscc") || "";
    var details = { page: address, title: title, uscc: uscc };
    var encode = function (key) { return encodeURIComponent(details[key]); };
    if (/^mailto:/.test(target)) {
      var body = "页面地址：" + address + "\n名称：" + title + (uscc ? "\n统一社会信用代码：" + uscc : "") +
        "\n\n有误之处（哪一项信息有误，正确的应是什么）：\n\n\n依据（公告、文件的文号或网址）：\n";
      link.href = target + "?subject=" + encodeURIComponent("名录纠错：" + title) + "&body=" + encodeURIComponent(body);
    } else if (/^https?:\/\//.test(target)) {
      link.href = target.replace(/\{(uscc|page|title)\}/g, function (match, key) { return encode(key); });
    } else if (!/\/feedback\/$/.test(location.pathname)) {
      var query = new URLSearchParams();
      Object.keys(details).forEach(function (key) { if (details[key]) query.set(key, details[key]); });
      link.href = link.href.split("?")[0] + "?" + query.toString();
    }
  });
  // The feedback page shows what the reader came from.
  var asked = $("[data-zjtx-feedback]");
  if (asked) {
    var given = new URLSearchParams(location.search);
    ["page", "title", "uscc"].forEach(function (key) {
      var cell = asked.querySelector('[data-field="' + key + '"]');
      if (cell && given.get(key)) cell.textContent = given.get(key);
    });
  }

  /* A table wider than its box scrolls in it: the keyboard can reach it to scroll it (in larger text too). */
  function scrollables() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  }
  scrollables();
  window.addEventListener("resize", scrollables);

  /* Charts wider than the screen start at their latest years (on the right); a hint says they scroll. */
  document.querySelectorAll(".zjtx-figure").forEach(function (figure) {
    if (figure.scrollWidth > figure.clientWidth) {
      figure.scrollLeft = figure.scrollWidth;
      figure.classList.add("zjtx-figure--scrolls");
    }
  });

  /* The print header: drawn once the page is idle, so that printing (which runs no script of its own) finds it. */
  function printHeader(build, qrcode) {
    var box = element("div", { "class": "zjtx-print", "aria-hidden": "true" });
    var site = $(".md-header__topic .md-ellipsis");
    box.appendChild(element("p", { "class": "zjtx-print__site" }, site ? site.textContent.trim() : document.title));
    // Demo data: as api/build.json says, or, where it could not be read, as the page's banner says.
    if (build ? build.demo : $(".md-banner")) {
      box.appendChild(element("p", { "class": "zjtx-print__demo" }, "示例数据：本页内容由程序生成，仅供演示，不是官方公布的名单。"));
    }
    if (build && build.as_of) box.appendChild(element("p", {}, "数据截至 " + build.as_of + (build.version ? "（数据版本 " + build.version + "）" : "")));
    box.appendChild(element("p", { "class": "zjtx-print__address" }, "本页地址：" + address));
    if (qrcode) {
      var code = qrcode(0, "M");
      code.addData(address);
      code.make();
      var count = code.getModuleCount(), path = "";
      for (var row = 0; row < count; row++) {
        for (var col = 0; col < count; col++) if (code.isDark(row, col)) path += "M" + (col + 4) + " " + (row + 4) + "h1v1h-1z";
      }
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 " + (count + 8) + " " + (count + 8));
      svg.setAttribute("class", "zjtx-print__qr");
      svg.innerHTML = '<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="' + path + '"/>';
      box.appendChild(svg);
    }
    var article = $("article");
    if (article) article.insertBefore(box, article.firstChild);
  }
  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      var script = element("script", { src: new URL(name, siteRoot).href });
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function preparePrint() {
    var build = fetch(new URL("api/build.json", siteRoot)).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () { return null; });
    var encoder = loadScript("assets/zjtx/vendor/qrcode.js").then(function () { return window.qrcode; },
                                                                   function () { return null; });
    Promise.all([build, encoder]).then(function (parts) { printHeader(parts[0], parts[1]); });
  }
  if (document.readyState === "complete") setTimeout(preparePrint, 0);
  else window.addEventListener("load", function () { (window.requestIdleCallback || setTimeout)(preparePrint); });

  /* The header box loads the search script when first used. */
  var box = $('.md-header form[role="search"] input[name="q"]');
  function loadSearch() {
    if (window.zjtxSearch || $("script[data-zjtx-search]")) return;
    var script = element("script", { "data-zjtx-search": "" });
    script.src = new URL("assets/search/search.js", siteRoot).href;
    document.head.appendChild(script);
  }
  if (box) {
    box.addEventListener("focus", loadSearch);
    box.addEventListener("input", loadSearch);
  }
})();
