/* Filters of the services table (/services/): kind, financing channel, tier, district or zone, state.
 *
 * Every row is in the page; this script only hides rows. A row's data-places lists the districts and zones the
 * service reaches (a district reaches its zones; * is the whole city), so choosing 滨海新区 keeps the city-wide
 * services and those of 滨海新区, and choosing a zone also keeps those of its district. The choices are kept in
 * the address (?tier=little_giant&district=120116), so a filtered table can be linked to.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-zjtx-services-filters]");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("table[data-zjtx-services] tbody tr"));
  var count = document.querySelector("[data-zjtx-services-count]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var params = new URLSearchParams(location.search);

  selects.forEach(function (select) {
    if (params.has(select.name)) select.value = params.get(select.name);
    select.addEventListener("change", function () { apply(true); });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });

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
    var shown = 0;
    rows.forEach(function (row) {
      var keep = selects.every(function (select) { return matches(row, select.name, select.value); });
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    count.textContent = "共 " + rows.length + " 项服务，符合条件的 " + shown + " 项。";
    if (remember) {
      var query = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }
  }

  apply(false);
})();
