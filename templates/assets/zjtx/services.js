/* Filters of the services table (/services/): state, kind, financing channel, tier, district or zone.
 *
 * Every row is in the page; this script only hides rows. The state is a choice of the page itself (site.css shows
 * the services that can be used today without this script); the script adds the other filters. A row's
 * data-places lists the districts and zones the service reaches (a district reaches its zones; * is the whole
 * city), so choosing 滨海新区 keeps the city-wide services and those of 滨海新区, and choosing a zone also keeps
 * those of its district. The choices are kept in the address (?tier=little_giant&district=120116&state=all), so
 * a filtered table can be linked to; without `state` the page shows what can be used today.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-zjtx-services-filters]");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("table[data-zjtx-services] tbody tr"));
  var count = document.querySelector("[data-zjtx-services-count]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var states = Array.prototype.slice.call(form.querySelectorAll("input[name=state]"));
  var WORDS = { open: "现在可以申请的", upcoming: "尚未开始的", ended: "已结束的", all: "" };
  var params = new URLSearchParams(location.search);

  selects.forEach(function (select) {
    if (params.has(select.name)) select.value = params.get(select.name);
    select.addEventListener("change", function () { apply(true); });
  });
  states.forEach(function (radio) {
    radio.checked = radio.value === (params.get("state") || "open");
    radio.addEventListener("change", function () { apply(true); });
  });
  if (!states.some(function (radio) { return radio.checked; })) states[0].checked = true;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  function state() {
    var chosen = states.filter(function (radio) { return radio.checked; })[0];
    return chosen ? chosen.value : "open";
  }

  function matches(row, name, value) {
    if (!value) return true;
    if (name === "tier") return row.getAttribute("data-tiers").split(" ").indexOf(value) >= 0;
    if (name === "district") {
      var places = row.getAttribute("data-places");
      return places === "*" || places.split(" ").indexOf(value) >= 0;
    }
    return row.getAttribute("data-" + name) === value;
  }

  function apply(remember) {
    var wanted = state(), shown = 0, filtered = 0;
    rows.forEach(function (row) {
      var fits = selects.every(function (select) { return matches(row, select.name, select.value); });
      var keep = fits && (wanted === "all" || row.getAttribute("data-state") === wanted);
      row.hidden = !keep;
      if (fits) filtered += 1;
      if (keep) shown += 1;
    });
    var narrowed = selects.some(function (select) { return select.value; });
    var text = (narrowed ? "符合所选条件的" : "") + WORDS[wanted] + "服务 " + shown + " 项";
    if (wanted !== "all") text += "（不论状态共 " + filtered + " 项，在“状态”中选“全部”可看到）";
    count.textContent = text + "。";
    if (remember) {
      var query = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      if (wanted !== "open") query.set("state", wanted);
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }
  }

  apply(false);
})();
