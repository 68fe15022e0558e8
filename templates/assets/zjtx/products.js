/* The products table (/products/): browse by industry and category, find by product or enterprise name.
 *
 * The products of one industry are cut into pages of a thousand (products/data/<industry>-<page>.json, rows of
 * [uscc, enterprise, product, category index], sorted by category): a page view loads one of them. A category
 * loads only the pages it spans; a search loads the pages of the chosen industry (and category) it needs.
 * Text from the data reaches the page only through textContent, never as HTML. The choices are kept in the
 * address (?industry=35&category=...&q=...); without one, the page opens on the industry with the most products.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-zjtx-products]");
  if (!box) return;
  var index = JSON.parse(document.getElementById("zjtx-products-index").textContent);
  var root = box.getAttribute("data-root");
  var folder = new URL(box.getAttribute("data-folder"), location.href);
  var form = box.querySelector("[data-zjtx-products-filters]");
  var industrySelect = form.elements.industry;
  var categorySelect = form.elements.category;
  var queryInput = form.elements.q;
  var table = box.querySelector("[data-zjtx-products-table]");
  var body = table.tBodies[0];
  var count = box.querySelector("[data-zjtx-products-count]");
  var pager = box.querySelector("[data-zjtx-products-pager]");
  var pageLabel = pager.querySelector("[data-page]");
  var industries = {};
  var cache = {};
  var state = { page: 1 };
  var pageRows = index.pageRows;
  var request = 0;

  index.industries.forEach(function (entry) {
    industries[entry[0]] = { name: entry[1], count: entry[2], pages: entry[3], categories: entry[4] };
  });
  form.hidden = false;

  var params = new URLSearchParams(location.search);
  // The page opens on products: the industry with the most of them, unless the address names one.
  var largest = index.industries.reduce(function (best, entry) { return !best || entry[2] > best[2] ? entry : best; }, null);
  if (params.get("industry") in industries) industrySelect.value = params.get("industry");
  else if (largest) industrySelect.value = largest[0];
  fillCategories();
  if (params.has("category")) categorySelect.value = params.get("category");
  queryInput.value = params.get("q") || "";
  state.page = Math.max(1, parseInt(params.get("page"), 10) || 1);

  industrySelect.addEventListener("change", function () { fillCategories(); state.page = 1; show(true); });
  categorySelect.addEventListener("change", function () { state.page = 1; show(true); });
  queryInput.addEventListener("input", function () { state.page = 1; show(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  pager.addEventListener("click", function (event) {
    var step = event.target.getAttribute && event.target.getAttribute("data-step");
    if (!step) return;
    state.page += parseInt(step, 10);
    show(true);
  });

  function fillCategories() {
    while (categorySelect.options.length > 1) categorySelect.remove(1);
    var industry = industries[industrySelect.value];
    if (!industry) return;
    industry.categories.forEach(function (category) {
      categorySelect.add(new Option(category[0] + "（" + category[1] + "）", category[0]));
    });
  }

  function load(code, page) {
    var key = code + "-" + page;
    if (!cache[key]) {
      cache[key] = fetch(new URL(key + ".json", folder)).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    }
    return cache[key];
  }

  function remember() {
    var query = new URLSearchParams();
    if (industrySelect.value) query.set("industry", industrySelect.value);
    if (categorySelect.value) query.set("category", categorySelect.value);
    if (queryInput.value.trim()) query.set("q", queryInput.value.trim());
    if (state.page > 1) query.set("page", String(state.page));
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
  }

  function show(changed) {
    if (changed) remember();
    var code = industrySelect.value;
    var industry = industries[code];
    if (!industry) {
      table.hidden = true;
      pager.hidden = true;
      count.textContent = "请选择行业。";
      return;
    }
    var categoryIndex = -1, first = 1, last = industry.pages, total = industry.count;
    industry.categories.forEach(function (category, i) {
      if (category[0] === categorySelect.value) {
        categoryIndex = i; first = category[2]; last = category[3]; total = category[1];
      }
    });
    var needle = queryInput.value.trim().toLowerCase();
    var pages = [];
    if (needle || categoryIndex >= 0) {
      for (var p = first; p <= last; p += 1) pages.push(p);
    } else {
      state.page = Math.min(Math.max(1, state.page), industry.pages);
      pages.push(state.page);
    }
    var ticket = ++request;
    count.textContent = "正在加载……";
    box.setAttribute("data-state", "loading");
    Promise.all(pages.map(function (page) { return load(code, page); })).then(function (parts) {
      if (ticket !== request) return;
      var matched = [];
      parts.forEach(function (part) {
        part.rows.forEach(function (row) {
          if (categoryIndex >= 0 && row[3] !== categoryIndex) return;
          if (needle && (row[2] + " " + row[1]).toLowerCase().indexOf(needle) < 0) return;
          matched.push(row);
        });
      });
      var filtered = needle || categoryIndex >= 0;
      // Unfiltered, the file is the page; filtered, the matches of the loaded files are paged here.
      var pageCount = filtered ? Math.max(1, Math.ceil(matched.length / pageRows)) : industry.pages;
      var rows = matched;
      if (filtered) {
        state.page = Math.min(Math.max(1, state.page), pageCount);
        rows = matched.slice((state.page - 1) * pageRows, state.page * pageRows);
      }
      render(rows, industry);
      count.textContent = industry.name + "：" + (filtered ? "符合条件的产品 " + matched.length + " 项" : "共 " + total + " 项产品") + "。";
      pager.hidden = pageCount < 2;
      pageLabel.textContent = "第 " + state.page + " / " + pageCount + " 页";
      pager.querySelector('[data-step="-1"]').disabled = state.page <= 1;
      pager.querySelector('[data-step="1"]').disabled = state.page >= pageCount;
      box.setAttribute("data-state", "done");
    }).catch(function () {
      if (ticket !== request) return;
      count.textContent = "产品数据加载失败，请稍后重试。";
      box.setAttribute("data-state", "error");
    });
  }

  function render(rows, industry) {
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      var product = document.createElement("td");
      product.setAttribute("data-label", "产品名称");
      product.textContent = row[2];
      var category = document.createElement("td");
      category.setAttribute("data-label", "类别");
      category.textContent = industry.categories[row[3]][0];
      var enterprise = document.createElement("td");
      enterprise.setAttribute("data-label", "企业");
      var link = document.createElement("a");
      link.href = root + "/enterprises/" + encodeURIComponent(row[0]) + "/";
      link.textContent = row[1];
      enterprise.appendChild(link);
      tr.appendChild(product);
      tr.appendChild(category);
      tr.appendChild(enterprise);
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    table.hidden = false;
  }

  show(false);
})();
