/* Enterprise tables of the tier, district and announcement pages: paging, filters and sorting over every row.
 *
 * The page carries its first rows as HTML, readable without JavaScript. rows.json beside the page (zjtx.render
 * Table) says which enterprises the table holds, as a bitmap over the search index's ids, and each row's facets
 * (district, tier, year, status, ...) as fixed-width codes; names and USCCs come from the search index's record
 * files (search.js, loaded on every page), fetched only for the rows on screen, and the text filter is a search of
 * that index by name or USCC. So a page view stays small however many rows the table has.
 *
 * Small tables marked data-zjtx-filter (the announcement list) get a text filter and a select per column marked
 * data-filter; their rows are only hidden or shown.
 *
 * Text from the data reaches the page only through textContent and new Option(), never as HTML. Filters, the
 * text filter and the sort order are kept in the address (?district=120116&q=精密), so a view can be linked to.
 */
(function () {
  "use strict";

  var PAGE_ROWS = 50;
  var DEBOUNCE_MS = 300;
  var collator = new Intl.Collator("zh-Hans-CN");

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function decode(data, total) {
    var bitmap = Uint8Array.from(atob(data.members), function (c) { return c.charCodeAt(0); });
    var ids = new Int32Array(data.count), at = 0;
    for (var id = 0; id < total && at < data.count; id++) {
      if (bitmap[id >> 3] & (1 << (id & 7))) ids[at++] = id;
    }
    var base = data.alphabet.length, digit = {};
    Array.from(data.alphabet).forEach(function (ch, i) { digit[ch] = i; });
    var sizes = data.facets.map(function (facet) { return data.lookups[facet].length; });
    var facets = {};
    data.facets.forEach(function (facet) { facets[facet] = new Uint16Array(data.count); });
    for (var row = 0; row < data.count; row++) {
      var code = 0;
      for (var w = 0; w < data.width; w++) code = code * base + digit[data.codes[row * data.width + w]];
      for (var f = data.facets.length - 1; f >= 0; f--) {
        facets[data.facets[f]][row] = code % sizes[f];
        code = Math.floor(code / sizes[f]);
      }
    }
    return { ids: ids, facets: facets };
  }

  function Table(box, data) {
    this.box = box;
    this.data = data;
    this.root = new URL(box.getAttribute("data-root").replace(/\/?$/, "/"), location.href);
    this.columns = box.getAttribute("data-columns").split(" ");
    this.filters = (box.getAttribute("data-filters") || "").split(" ").filter(Boolean);
    this.table = box.querySelector("table");
    this.body = this.table.tBodies[0];
    this.count = box.querySelector(".zjtx-count");
    this.bar = box.querySelector(".zjtx-filters");
    this.index = new window.zjtxSearch.Index(new URL("search-index/", this.root));
    this.headers = {};
    this.state = { sort: data.sort[0], direction: data.sort[1], page: 0, filter: {}, q: "" };
    this.textMatch = null;  // search-index bits of the text filter, or null
    this.generation = 0;
    var self = this;
    this.table.querySelectorAll("th[data-key]").forEach(function (th) {
      self.headers[th.getAttribute("data-key")] = th;
    });
  }

  Table.prototype.start = async function () {
    await this.index.load();
    var decoded = decode(this.data, this.index.manifest.count);
    this.ids = decoded.ids;
    this.facets = decoded.facets;
    this.readAddress();
    this.buildControls();
    if (this.state.q) await this.searchText();
    await this.render();
  };

  Table.prototype.readAddress = function () {
    var params = new URLSearchParams(location.search), self = this;
    this.filters.forEach(function (key) {
      var wanted = params.get(key);
      if (wanted === null) return;
      var index = self.data.lookups[key].findIndex(function (entry) { return String(entry[0]) === wanted; });
      if (index >= 0) self.state.filter[key] = index;
    });
    this.state.q = (params.get("q") || "").trim();
    var sort = params.get("sort");
    if (sort && this.data.facets.indexOf(sort.replace(/^-/, "")) >= 0) {
      this.state.sort = sort.replace(/^-/, "");
      this.state.direction = sort[0] === "-" ? -1 : 1;
    }
  };

  Table.prototype.remember = function () {
    var query = new URLSearchParams(location.search), self = this;
    this.filters.forEach(function (key) {
      var index = self.state.filter[key];
      if (index === undefined) query.delete(key);
      else query.set(key, self.data.lookups[key][index][0]);
    });
    if (this.state.q) query.set("q", this.state.q); else query.delete("q");
    var sort = (this.state.direction < 0 ? "-" : "") + this.state.sort;
    if (sort !== (this.data.sort[1] < 0 ? "-" : "") + this.data.sort[0]) query.set("sort", sort); else query.delete("sort");
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
  };

  Table.prototype.buildControls = function () {
    var self = this, bar = this.bar, id = "zjtx-filter-" + Math.random().toString(36).slice(2, 8);
    bar.addEventListener("submit", function (event) { event.preventDefault(); });
    var label = element("label", { "for": id + "-q" }, "名称或统一社会信用代码");
    var text = element("input", { id: id + "-q", type: "search", autocomplete: "off", spellcheck: "false" });
    text.value = this.state.q;
    var timer = 0;
    text.addEventListener("input", function () {
      clearTimeout(timer);
      self.box.setAttribute("data-state", "loading");
      timer = setTimeout(function () {
        self.state.q = text.value.trim();
        self.state.page = 0;
        self.remember();
        self.searchText().then(function () { return self.render(); }).catch(function () { self.failed(); });
      }, DEBOUNCE_MS);
    });
    var field = element("div", { "class": "zjtx-filters__text" });
    field.appendChild(label);
    field.appendChild(text);
    bar.appendChild(field);
    this.filters.forEach(function (key) {
      var select = element("select", { id: id + "-" + key, name: key });
      select.add(new Option("全部", ""));
      self.data.lookups[key].forEach(function (entry, index) {
        if (entry[1]) select.add(new Option(entry[1], String(index)));
      });
      if (self.state.filter[key] !== undefined) select.value = String(self.state.filter[key]);
      select.addEventListener("change", function () {
        if (select.value === "") delete self.state.filter[key];
        else self.state.filter[key] = Number(select.value);
        self.state.page = 0;
        self.remember();
        self.render().catch(function () { self.failed(); });
      });
      var wrap = element("div");
      wrap.appendChild(element("label", { "for": select.id }, self.headers[key].textContent));
      wrap.appendChild(select);
      bar.appendChild(wrap);
    });
    bar.hidden = false;

    this.data.facets.forEach(function (key) {
      var th = self.headers[key];
      if (!th) return;
      var button = element("button", { type: "button" }, th.textContent);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        if (self.state.sort === key) self.state.direction = -self.state.direction;
        else { self.state.sort = key; self.state.direction = key === "year" || key === "date" ? -1 : 1; }
        self.state.page = 0;
        self.remember();
        self.render().catch(function () { self.failed(); });
      });
    });

    var pager = element("nav", { "class": "zjtx-pager", "aria-label": "翻页" });
    this.previous = element("button", { type: "button", "class": "md-button" }, "上一页");
    this.next = element("button", { type: "button", "class": "md-button" }, "下一页");
    this.position = element("span", { "class": "zjtx-pager__position" });
    this.previous.addEventListener("click", function () { self.turn(-1); });
    this.next.addEventListener("click", function () { self.turn(1); });
    pager.appendChild(this.previous);
    pager.appendChild(this.position);
    pager.appendChild(this.next);
    this.table.parentNode.insertBefore(pager, this.table.nextSibling);
  };

  Table.prototype.turn = function (step) {
    this.state.page += step;
    var self = this;
    this.render().then(function () { self.table.scrollIntoView({ block: "start" }); }).catch(function () { self.failed(); });
  };

  Table.prototype.searchText = async function () {
    this.textMatch = this.state.q ? (await this.index.search(this.state.q, { products: false })).names : null;
  };

  // Row positions that pass the filters, in the chosen order (ties in id order, as the page's first rows).
  Table.prototype.matching = function () {
    var rows = [], filter = this.state.filter, facets = this.facets, ids = this.ids, text = this.textMatch;
    var keys = Object.keys(filter);
    for (var row = 0; row < ids.length; row++) {
      var keep = true;
      for (var k = 0; k < keys.length && keep; k++) keep = facets[keys[k]][row] === filter[keys[k]];
      if (keep && text) keep = (text[ids[row] >> 3] & (1 << (ids[row] & 7))) !== 0;
      if (keep) rows.push(row);
    }
    var order = facets[this.state.sort], direction = this.state.direction;
    rows.sort(function (a, b) { return direction * (order[a] - order[b]) || a - b; });
    return rows;
  };

  // The page's own rows are the first page in the default order: kept as they are, nothing is fetched for them.
  Table.prototype.showsPageRows = function () {
    var state = this.state, sort = this.data.sort;
    return this.generation === 1 && !state.page && !state.q && !Object.keys(state.filter).length &&
      state.sort === sort[0] && state.direction === sort[1] &&
      this.body.rows.length === Math.min(PAGE_ROWS, this.ids.length);
  };

  Table.prototype.render = async function () {
    var generation = ++this.generation;
    this.box.setAttribute("data-state", "loading");
    var rows = this.matching();
    var pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
    this.state.page = Math.min(Math.max(this.state.page, 0), pages - 1);
    var shown = rows.slice(this.state.page * PAGE_ROWS, (this.state.page + 1) * PAGE_ROWS);
    var self = this;
    if (!this.showsPageRows()) {
      var records = await this.index.records(shown.map(function (row) { return self.ids[row]; }));
      if (generation !== this.generation) return;
      var fragment = document.createDocumentFragment();
      shown.forEach(function (row, position) {
        var tr = document.createElement("tr");
        self.columns.forEach(function (key) { tr.appendChild(self.cell(row, records[position], key)); });
        fragment.appendChild(tr);
      });
      this.body.replaceChildren(fragment);
    }
    this.data.facets.forEach(function (key) {
      if (!self.headers[key]) return;
      var sorted = key === self.state.sort ? (self.state.direction > 0 ? "ascending" : "descending") : "none";
      self.headers[key].setAttribute("aria-sort", sorted);
    });
    var message = "共 " + this.ids.length + " 家企业";
    if (rows.length < this.ids.length) message += "，符合条件的 " + rows.length + " 家";
    if (!rows.length) message += "：没有符合条件的企业，请减少筛选条件或换一个名称";
    else if (pages > 1) message += "，第 " + (this.state.page + 1) + " / " + pages + " 页";
    this.count.textContent = message + "。";
    this.count.setAttribute("data-matching", String(rows.length));
    this.position.textContent = "第 " + (this.state.page + 1) + " / " + pages + " 页";
    this.previous.disabled = this.state.page === 0;
    this.next.disabled = this.state.page >= pages - 1;
    this.box.setAttribute("data-state", "ready");
  };

  Table.prototype.cell = function (row, record, key) {
    var td = element("td", { "data-label": (this.headers[key].textContent || "").trim() });
    if (key === "name") {
      td.appendChild(element("a", { href: new URL("enterprises/" + encodeURIComponent(record[0]) + "/", this.root).href }, record[1]));
      return td;
    }
    if (key === "uscc") {
      td.appendChild(element("span", { "class": "zjtx-code" }, record[0]));
      return td;
    }
    var entry = this.data.lookups[key][this.facets[key][row]];
    if (key === "status" && entry[0]) {
      td.appendChild(element("span", { "class": "zjtx-status zjtx-status--" + entry[0] }, entry[1]));
    } else if (key === "date" && entry[0]) {
      td.appendChild(element("time", { datetime: entry[0] }, entry[1]));
    } else {
      td.textContent = entry[1];
    }
    return td;
  };

  Table.prototype.failed = function () {
    this.count.textContent = "企业名单无法加载，请稍后重试。";
  };

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
    smallTables();
    if (!window.zjtxSearch) return;  // the rows in the page stay as they are
    document.querySelectorAll(".zjtx-table[data-src]").forEach(function (box) {
      fetch(new URL(box.getAttribute("data-src"), location.href))
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          var table = new Table(box, data);
          return table.start().catch(function () { table.failed(); });
        })
        .catch(function () { /* the rows in the page stay as they are */ });
    });
  }

  // search.js comes later in the page; both are deferred, and both have run when DOMContentLoaded fires.
  if (window.zjtxSearch) start();
  else document.addEventListener("DOMContentLoaded", start);

  window.zjtxTable = { decode: decode };
})();
