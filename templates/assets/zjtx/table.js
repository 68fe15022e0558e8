/* Filters and sorting for the enterprise tables of the tier and district pages.
 *
 * The page carries its first rows as HTML, readable without JavaScript; this script loads every row from the
 * JSON file beside the page (rows.json: look-up lists, then rows of indices into them). Text from the data
 * reaches the page only through textContent and new Option(), never as HTML. The chosen filters are kept in
 * the address (?district=120116), so a filtered table can be linked to.
 */
(function () {
  "use strict";

  var STEP = 500;
  var COLUMN = { uscc: 0, name: 1, tier: 2, district: 3, industry: 4, year: 5, status: 6 };
  var BY_NAME = ["name", "district", "industry"];
  var collator = new Intl.Collator("zh-Hans-CN");

  document.querySelectorAll(".zjtx-table[data-src]").forEach(function (box) {
    fetch(new URL(box.getAttribute("data-src"), location.href))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { setup(box, data); })
      .catch(function () { /* the rows in the page stay as they are */ });
  });

  function setup(box, data) {
    var root = box.getAttribute("data-root");
    var columns = box.getAttribute("data-columns").split(" ");
    var filters = (box.getAttribute("data-filters") || "").split(" ").filter(Boolean);
    var table = box.querySelector("table");
    var body = table.tBodies[0];
    var count = box.querySelector(".zjtx-count");
    var bar = box.querySelector(".zjtx-filters");
    var lookups = data.lookups;
    var rows = data.rows;
    var state = { sort: "year", direction: -1, shown: STEP, filter: {} };
    var headers = {};
    var indexOf = {};

    table.querySelectorAll("th[data-key]").forEach(function (th) {
      headers[th.getAttribute("data-key")] = th;
    });
    Object.keys(lookups).forEach(function (key) {
      indexOf[key] = {};
      lookups[key].forEach(function (entry, index) { indexOf[key][entry[0]] = index; });
    });

    var params = new URLSearchParams(location.search);
    filters.forEach(function (key) {
      var label = document.createElement("label");
      var select = document.createElement("select");
      label.appendChild(document.createTextNode(headers[key].textContent));
      select.name = key;
      select.add(new Option("全部", ""));
      choices(key).forEach(function (choice) { select.add(new Option(choice[1], choice[0])); });
      if (params.has(key)) {
        select.value = params.get(key);
        state.filter[key] = select.value;
      }
      select.addEventListener("change", function () {
        state.filter[key] = select.value;
        state.shown = STEP;
        remember();
        render();
      });
      label.appendChild(select);
      bar.appendChild(label);
    });
    bar.hidden = filters.length === 0;

    columns.forEach(function (key) {
      var th = headers[key];
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        if (state.sort === key) {
          state.direction = -state.direction;
        } else {
          state.sort = key;
          state.direction = key === "year" ? -1 : 1;
        }
        render();
      });
    });

    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button zjtx-more";
    more.addEventListener("click", function () {
      state.shown += STEP;
      render();
    });
    table.parentNode.insertBefore(more, table.nextSibling);

    function choices(key) {
      if (key === "year") {
        var years = {};
        rows.forEach(function (row) { if (row[COLUMN.year]) years[row[COLUMN.year]] = true; });
        return Object.keys(years).sort().reverse().map(function (year) { return [year, year + "年"]; });
      }
      return lookups[key];
    }

    function matches(row) {
      return filters.every(function (key) {
        var wanted = state.filter[key];
        if (!wanted) return true;
        if (key === "year") return String(row[COLUMN.year]) === wanted;
        return row[COLUMN[key]] === indexOf[key][wanted];
      });
    }

    function text(row, key) {
      if (key === "name") return row[COLUMN.name];
      var index = row[COLUMN[key]];
      return index >= 0 ? lookups[key][index][1] : "";
    }

    function compare(a, b) {
      var key = state.sort;
      var order;
      if (BY_NAME.indexOf(key) >= 0) {
        order = collator.compare(text(a, key), text(b, key));
      } else {
        order = a[COLUMN[key]] - b[COLUMN[key]];
      }
      return order * state.direction || collator.compare(a[COLUMN.name], b[COLUMN.name]);
    }

    function cell(row, key) {
      var td = document.createElement("td");
      if (key === "name") {
        var link = document.createElement("a");
        link.href = root + "/enterprises/" + encodeURIComponent(row[COLUMN.uscc]) + "/";
        link.textContent = row[COLUMN.name];
        td.appendChild(link);
      } else if (key === "year") {
        td.textContent = row[COLUMN.year] || "";
      } else if (key === "status" && row[COLUMN.status] >= 0) {
        var status = lookups.status[row[COLUMN.status]];
        var badge = document.createElement("span");
        badge.className = "zjtx-status zjtx-status--" + status[0];
        badge.textContent = status[1];
        td.appendChild(badge);
      } else {
        td.textContent = text(row, key);
      }
      return td;
    }

    function render() {
      var matched = rows.filter(matches).sort(compare);
      var fragment = document.createDocumentFragment();
      matched.slice(0, state.shown).forEach(function (row) {
        var tr = document.createElement("tr");
        columns.forEach(function (key) { tr.appendChild(cell(row, key)); });
        fragment.appendChild(tr);
      });
      body.replaceChildren(fragment);
      columns.forEach(function (key) {
        var sorted = key === state.sort ? (state.direction > 0 ? "ascending" : "descending") : "none";
        headers[key].setAttribute("aria-sort", sorted);
      });
      var message = "共 " + rows.length + " 家企业";
      if (matched.length < rows.length) message += "，符合筛选条件的 " + matched.length + " 家";
      if (matched.length > state.shown) message += "，下表列出前 " + state.shown + " 家";
      count.textContent = message + "。";
      more.hidden = matched.length <= state.shown;
      more.textContent = "再显示 " + Math.min(STEP, matched.length - state.shown) + " 家";
    }

    function remember() {
      var query = new URLSearchParams(location.search);
      filters.forEach(function (key) {
        if (state.filter[key]) query.set(key, state.filter[key]);
        else query.delete(key);
      });
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }

    render();
  }
})();
