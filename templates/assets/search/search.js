/* Search for the Tianjin 专精特新 register: the header box on every page, and the search page.
 *
 * Enterprise search is exact: it reads the static index that zjtx/search.py writes to <site root>/search-index/
 * (its FORMAT string describes the files) and fetches only the files on the query's path. Policy and
 * announcement full text comes from Pagefind (<site root>/pagefind/), shown in a section of its own.
 *
 * The site root is found, in this order, from <meta name="zjtx-root" content="../.."> (relative to the page),
 * from the data-root attribute of the search page, or from this script's own URL (<root>/assets/search/search.js).
 * Every URL is computed from the page's location, so the site works under any sub-path.
 *
 * Data (names, products, titles) is only ever inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var SCRIPT_URL = document.currentScript ? document.currentScript.src : "";
  var PAGE_SIZE = 50;
  var FULLTEXT_PAGE_SIZE = 10;

  /* Normalising: the same steps as zjtx.search.normalise (NFKC, case fold, one kind of bracket, no space). */

  var WHITESPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g;
  var BRACKETS = {
    "[": "(", "【": "(", "〔": "(", "〖": "(", "〘": "(", "〚": "(",
    "]": ")", "】": ")", "〕": ")", "〗": ")", "〙": ")", "〛": ")"
  };
  // Where Unicode case folding differs from lower-casing (Cherokee is a rule below); tests/test_search.py checks it.
  var CASEFOLD = /* casefold-table */{"ß":"ss","ǰ":"ǰ","ͅ":"ι","ΐ":"ΐ","ΰ":"ΰ","ς":"σ","ᲀ":"в","ᲁ":"д","ᲂ":"о","ᲃ":"с","ᲄ":"т","ᲅ":"т","ᲆ":"ъ","ᲇ":"ѣ","ᲈ":"ꙋ","ẖ":"ẖ","ẗ":"ẗ","ẘ":"ẘ","ẙ":"ẙ","ẞ":"ss","ὐ":"ὐ","ὒ":"ὒ","ὔ":"ὔ","ὖ":"ὖ","ᾀ":"ἀι","ᾁ":"ἁι","ᾂ":"ἂι","ᾃ":"ἃι","ᾄ":"ἄι","ᾅ":"ἅι","ᾆ":"ἆι","ᾇ":"ἇι","ᾈ":"ἀι","ᾉ":"ἁι","ᾊ":"ἂι","ᾋ":"ἃι","ᾌ":"ἄι","ᾍ":"ἅι","ᾎ":"ἆι","ᾏ":"ἇι","ᾐ":"ἠι","ᾑ":"ἡι","ᾒ":"ἢι","ᾓ":"ἣι","ᾔ":"ἤι","ᾕ":"ἥι","ᾖ":"ἦι","ᾗ":"ἧι","ᾘ":"ἠι","ᾙ":"ἡι","ᾚ":"ἢι","ᾛ":"ἣι","ᾜ":"ἤι","ᾝ":"ἥι","ᾞ":"ἦι","ᾟ":"ἧι","ᾠ":"ὠι","ᾡ":"ὡι","ᾢ":"ὢι","ᾣ":"ὣι","ᾤ":"ὤι","ᾥ":"ὥι","ᾦ":"ὦι","ᾧ":"ὧι","ᾨ":"ὠι","ᾩ":"ὡι","ᾪ":"ὢι","ᾫ":"ὣι","ᾬ":"ὤι","ᾭ":"ὥι","ᾮ":"ὦι","ᾯ":"ὧι","ᾲ":"ὰι","ᾳ":"αι","ᾴ":"άι","ᾶ":"ᾶ","ᾷ":"ᾶι","ᾼ":"αι","ῂ":"ὴι","ῃ":"ηι","ῄ":"ήι","ῆ":"ῆ","ῇ":"ῆι","ῌ":"ηι","ῒ":"ῒ","ῖ":"ῖ","ῗ":"ῗ","ῢ":"ῢ","ῤ":"ῤ","ῦ":"ῦ","ῧ":"ῧ","ῲ":"ὼι","ῳ":"ωι","ῴ":"ώι","ῶ":"ῶ","ῷ":"ῶι","ῼ":"ωι"}/* end casefold-table */;

  function casefold(ch) {
    var code = ch.codePointAt(0);
    if (code >= 0x13a0 && code <= 0x13f5) return ch;
    if (code >= 0x13f8 && code <= 0x13fd) return String.fromCodePoint(code - 8);
    if (code >= 0xab70 && code <= 0xabbf) return String.fromCodePoint(code - 0xab70 + 0x13a0);
    return Object.prototype.hasOwnProperty.call(CASEFOLD, ch) ? CASEFOLD[ch] : ch.toLowerCase();
  }

  function normalise(text) {
    var out = "";
    for (var ch of String(text).normalize("NFKC")) {
      for (var folded of casefold(ch)) out += BRACKETS[folded] || folded;
    }
    return out.replace(WHITESPACE, "");
  }

  // The same steps as zjtx.search.query_words; tests/test_search.py checks that the lists agree.
  var WORDS = /* words */{"prefixes":["天津市","天津"],"suffixes":["股份有限公司","有限责任公司","有限責任公司","有限公司"],"max_word":32}/* end words */;
  var SPACE = new RegExp(WHITESPACE.source);

  // One word as the index reads it; `simplified` (a Map, Index.simplified) converts traditional characters first.
  function wordOf(part, simplified) {
    var word = normalise(part);
    if (simplified) word = Array.from(word, function (ch) { return simplified.get(ch) || ch; }).join("");
    var prefix = WORDS.prefixes.find(function (p) { return word.startsWith(p) && word.length > p.length; });
    if (prefix) word = word.slice(prefix.length);
    var suffix = WORDS.suffixes.find(function (p) { return word.endsWith(p) && word.length > p.length; });
    if (suffix) word = word.slice(0, -suffix.length);
    return Array.from(word).slice(0, WORDS.max_word).join("");
  }

  // The query's words, each with the part of the query it came from (to read it again through `simplified`).
  function queryParts(raw, simplified) {
    var parts = [];
    String(raw).split(SPACE).forEach(function (part) {
      var word = wordOf(part, simplified);
      if (word && !parts.some(function (p) { return p.word === word; })) parts.push({ part: part, word: word });
    });
    return parts;
  }

  function queryWords(raw, simplified) {
    return queryParts(raw, simplified).map(function (p) { return p.word; });
  }

  var QUOTES = /["'“”‘’「」『』]/g;

  // Entries ([id, name, ...]) whose name holds the whole query (小巨人, 种子企业, 汽车): zjtx.search.named.
  function named(entries, raw) {
    var needle = normalise(raw).replace(QUOTES, "");
    if (Array.from(needle).length < 2) return [];
    var found = entries.filter(function (entry) { return normalise(entry[1]).replace(QUOTES, "").indexOf(needle) >= 0; });
    return found.length <= 2 ? found : [];
  }

  var PAGE_LABELS = { district: "区域页面", tier: "层级页面", industry: "行业产品" };

  // Districts one of the words names, or all of them together (binhai new area): zjtx.search.districts_named.
  function districtsNamed(districts, words) {
    var wanted = words.concat([words.join("")]);
    return districts.filter(function (district) {
      return district[2].some(function (name) { return wanted.indexOf(name) >= 0; });
    });
  }

  // The pages a query names, districts, tiers, then industries ([code, name_zh] of those with a page), each
  // {kind, id, name, href}: zjtx.search.pages_named.
  function pagesNamed(manifest, root, raw, words, industries) {
    var pages = [];
    function add(kind, entry, path) {
      pages.push({ kind: kind, id: entry[0], name: entry[1], href: new URL(path, root).href });
    }
    districtsNamed(manifest.districts, words).forEach(function (d) { add("district", d, "districts/" + encodeURIComponent(d[0]) + "/"); });
    named(manifest.tiers, raw).forEach(function (t) { add("tier", t, "tiers/" + encodeURIComponent(t[0]) + "/"); });
    named(industries || [], raw).forEach(function (i) { add("industry", i, "products/?industry=" + encodeURIComponent(i[0])); });
    return pages;
  }

  /* Where things are. */

  function siteRoot() {
    var meta = document.querySelector('meta[name="zjtx-root"]');
    var page = document.querySelector("[data-zjtx-search-page][data-root]");
    try {
      if (meta) return new URL(meta.getAttribute("content").replace(/\/?$/, "/"), location.href);
      if (page) return new URL(page.getAttribute("data-root").replace(/\/?$/, "/"), location.href);
      return new URL("../../", SCRIPT_URL || location.href);
    } catch (error) {
      return null;  // a page without a URL of its own (about:blank): nothing to search from
    }
  }

  var fetched = new Map();

  function fetchOnce(url, kind, options) {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url, options).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return kind === "json" ? response.json() : response.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      }).catch(function (error) {
        fetched.delete(url);  // a later search tries again
        throw error;
      }));
    }
    return fetched.get(url);
  }

  /* The enterprise index. */

  function fnv1a32(text) {
    var hash = 0x811c9dc5;
    for (var byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash;
  }

  function Reader(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  Reader.prototype.varint = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.bytes[this.at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  Reader.prototype.take = function (count) {
    var part = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return part;
  };

  // Adds a posting's ids to the bit set `bits`, or skips it when bits is null.
  function readPosting(reader, bits) {
    var head = reader.varint(), count = Math.floor(head / 2);
    if (head % 2 === 1) {
      var first = reader.varint(), length = reader.varint(), bitmap = reader.take(length);
      if (bits) for (var i = 0; i < length; i++) bits[first + i] |= bitmap[i];
      return;
    }
    var id = -1;
    for (var j = 0; j < count; j++) {
      id += reader.varint() + 1;
      if (bits) bits[id >> 3] |= 1 << (id & 7);
    }
  }

  function findRecord(pack, code) {
    var reader = new Reader(pack), count = reader.varint();
    for (var i = 0; i < count; i++) {
      var key = reader.varint(), length = reader.varint();
      if (key === code) return reader.take(length);
      reader.at += length;
    }
    return null;
  }

  function startsWith(bytes, prefix) {
    if (bytes.length < prefix.length) return false;
    for (var i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
    return true;
  }

  function Index(base) {
    this.base = base;
    this.manifest = null;
  }

  // The manifest is revalidated on every visit; the other files carry its build id in their URL, so a browser
  // never mixes files of two builds from its cache.
  Index.prototype.load = async function () {
    if (!this.manifest) {
      var manifest = await fetchOnce(new URL("manifest.json", this.base).href, "json", { cache: "no-cache" });
      // The words that find each district's enterprises: its names and English words, and its parent's.
      var byCode = new Map(manifest.districts.map(function (d) { return [d[0], d]; }));
      this.districtKeys = manifest.districts.map(function (district) {
        var keys = new Set(), seen = new Set();
        for (var d = district; d && !seen.has(d[0]); d = byCode.get(d[3])) {
          seen.add(d[0]);
          d[2].concat(d[4] || []).forEach(function (key) { keys.add(key); });
        }
        return keys;
      });
      this.manifest = manifest;
    }
    return this.manifest;
  };

  // Traditional characters the index does not hold, to the simplified ones it does (s.json): read only for a word
  // that finds nothing as typed, which is when a character of it is not in the index.
  Index.prototype.simplified = async function () {
    var pairs = Array.from(await this.file("s.json", "json")), map = new Map();
    for (var i = 0; i + 1 < pairs.length; i += 2) map.set(pairs[i], pairs[i + 1]);
    return map;
  };

  Index.prototype.file = function (name, kind) {
    return fetchOnce(new URL(name + "?v=" + this.manifest.build, this.base).href, kind);
  };

  // Every id whose texts in one trie ("" names, "q" products) contain the word: walk it from the first character.
  Index.prototype.substring = async function (query, bits, trie) {
    var chars = Array.from(query), manifest = this.manifest;
    var roots = trie ? manifest.product_root_packs : manifest.root_packs;
    var pack = await this.file(trie + "t/" + (fnv1a32(chars[0]) % roots) + ".bin");
    var body = findRecord(pack, chars[0].codePointAt(0));
    var depth = 1;
    while (body) {
      var reader = new Reader(body);
      if (reader.take(1)[0] === 0) {
        var rest = new TextEncoder().encode(chars.slice(depth).join(""));
        var count = reader.varint(), previous = new Uint8Array(0);
        for (var i = 0; i < count; i++) {
          var shared = reader.varint(), fresh = reader.take(reader.varint());
          var remainder = new Uint8Array(shared + fresh.length);
          remainder.set(previous.subarray(0, shared));
          remainder.set(fresh, shared);
          readPosting(reader, startsWith(remainder, rest) ? bits : null);
          previous = remainder;
        }
        return;
      }
      var aggregate = reader.varint();
      if (depth === chars.length) {
        readPosting(new Reader(await this.file(trie + "a/" + aggregate + ".bin")), bits);
        return;
      }
      var children = reader.varint(), code = 0, wanted = chars[depth].codePointAt(0), packNumber = -1;
      for (var c = 0; c < children && code < wanted; c++) {
        code += reader.varint();
        var number = reader.varint();
        if (code === wanted) packNumber = number;
      }
      if (packNumber < 0) return;
      body = findRecord(await this.file(trie + "p/" + packNumber + ".bin"), wanted);
      depth += 1;
    }
  };

  Index.prototype.uscc = async function (query, bits) {
    if (!/^[0-9a-z]{18}$/.test(query)) return;
    var shard = await this.file("u/" + (fnv1a32(query) % this.manifest.uscc_shards) + ".json", "json");
    if (Object.prototype.hasOwnProperty.call(shard, query)) {
      var id = shard[query];
      bits[id >> 3] |= 1 << (id & 7);
    }
  };

  Index.prototype.forEachGroup = function (callback) {
    var groups = this.manifest.groups;
    for (var g = 0; g < groups.length; g++) {
      var end = g + 1 < groups.length ? groups[g + 1][0] : this.manifest.count;
      callback(groups[g][0], end, groups[g][1], groups[g][2]);
    }
  };

  Index.prototype.district = function (query, bits) {
    var wanted = new Set();
    this.districtKeys.forEach(function (keys, position) {
      if (keys.has(query)) wanted.add(position);
    });
    if (!wanted.size) return;
    this.forEachGroup(function (start, end, mask, district) {
      if (!wanted.has(district)) return;
      for (var id = start; id < end; id++) bits[id >> 3] |= 1 << (id & 7);
    });
  };

  Index.prototype.bits = function () {
    return new Uint8Array((this.manifest.count >> 3) + 1);
  };

  // What one word finds: by name, USCC or district, and (unless products is false) by product name.
  Index.prototype.word = async function (word, products) {
    var names = this.bits(), byProduct = this.bits();
    this.district(word, names);
    await Promise.all([
      this.substring(word, names, ""), this.uscc(word, names),
      products === false ? null : this.substring(word, byProduct, "q")
    ]);
    return { names: names, products: byProduct };
  };

  function empty(bits) {
    for (var i = 0; i < bits.length; i++) if (bits[i]) return false;
    return true;
  }

  // The ids the query finds, as bit sets: `all` (every word finds it) and `names` (every word finds it without
  // its products, listed first): the same rule as zjtx.search.matches and name_matches. A word that finds
  // nothing and holds a character outside ASCII is read again with its traditional characters converted.
  // options.products false: only `names` is wanted (a table's filter by name or USCC), the product trie is not read.
  Index.prototype.search = async function (raw, options) {
    await this.load();
    var parts = queryParts(raw), self = this, products = !(options && options.products === false);
    var all = this.bits(), names = this.bits();
    if (!parts.length) return { all: all, names: names, words: [] };
    var found = await Promise.all(parts.map(async function (part) {
      var one = await self.word(part.word, products);
      if (empty(one.names) && empty(one.products) && /[^\x00-\x7f]/.test(part.word)) {
        var converted = wordOf(part.part, await self.simplified());
        if (converted !== part.word) {
          part.word = converted;
          one = await self.word(converted, products);
        }
      }
      return one;
    }));
    all.fill(255);
    names.fill(255);
    found.forEach(function (one) {
      for (var i = 0; i < all.length; i++) {
        all[i] &= one.names[i] | one.products[i];
        names[i] &= one.names[i];
      }
    });
    var words = [];
    parts.forEach(function (part) { if (words.indexOf(part.word) < 0) words.push(part.word); });
    return { all: all, names: names, words: words };
  };

  // Ids in `bits`, name matches first, each part in id order; `keep(id)` may leave some out.
  Index.prototype.ordered = function (result, keep) {
    var first = [], second = [], count = this.manifest.count;
    for (var id = 0; id < count; id++) {
      if (!(result.all[id >> 3] & (1 << (id & 7)))) continue;
      if (keep && !keep(id)) continue;
      (result.names[id >> 3] & (1 << (id & 7)) ? first : second).push(id);
    }
    return first.concat(second);
  };

  Index.prototype.groupLookup = function () {
    var groups = this.manifest.groups;
    return function (id) {
      var low = 0, high = groups.length - 1;
      while (low < high) {
        var middle = (low + high + 1) >> 1;
        if (groups[middle][0] <= id) low = middle; else high = middle - 1;
      }
      return groups[low];
    };
  };

  Index.prototype.records = async function (ids) {
    var chunk = this.manifest.chunk, self = this;
    var numbers = Array.from(new Set(ids.map(function (id) { return Math.floor(id / chunk); })));
    var files = await Promise.all(numbers.map(function (n) { return self.file("r/" + n + ".json", "json"); }));
    var byNumber = new Map(numbers.map(function (n, i) { return [n, files[i]]; }));
    return ids.map(function (id) { return byNumber.get(Math.floor(id / chunk))[id % chunk]; });
  };

  /* Building the page: elements only, text only. */

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bitSet(bits, id) {
    return (bits[id >> 3] & (1 << (id & 7))) !== 0;
  }

  function tierNames(manifest, mask) {
    return manifest.tiers.filter(function (tier, bit) { return mask & (1 << bit); })
      .map(function (tier) { return tier[1]; }).reverse();
  }

  /* The header box: suggestions while typing, from the same index (the first query loads the manifest). */

  var SUGGESTIONS = 8;
  var DEBOUNCE_MS = 250;

  function HeaderBox(form, root) {
    // The suggestions' styles live with the search page's; pages that never search do not load them.
    var styles = new URL("assets/search/search.css", root).href;
    if (!Array.from(document.styleSheets).some(function (sheet) { return sheet.href === styles; })) {
      document.head.appendChild(element("link", { rel: "stylesheet", href: styles }));
    }
    this.form = form;
    this.root = root;
    this.input = form.querySelector('input[name="q"]');
    this.index = null;
    this.generation = 0;
    this.timer = 0;
    this.list = element("ul", { id: "zjtx-suggest", "class": "zjtx-suggest", hidden: "" });
    this.status = element("p", { "class": "zjtx-sr-only", "aria-live": "polite" });
    this.input.setAttribute("aria-controls", "zjtx-suggest");
    this.input.setAttribute("aria-describedby", "zjtx-suggest-help");
    var help = element("span", { id: "zjtx-suggest-help", "class": "zjtx-sr-only" }, "输入时显示匹配的企业，按向下键进入列表");
    form.appendChild(help);
    form.appendChild(this.status);
    form.appendChild(this.list);
    var self = this;
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.suggest(); }, DEBOUNCE_MS);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !self.list.hidden) {
        var first = self.list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        self.close();
      }
    });
    this.list.addEventListener("keydown", function (event) {
      var links = Array.from(self.list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : self.input).focus(); }
      if (event.key === "Escape") { self.close(); self.input.focus(); }
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) self.close();
    });
    // Loaded on demand (assets/zjtx/site.js): the reader may have typed already.
    if (document.activeElement === this.input && this.input.value) this.suggest();
  }

  HeaderBox.prototype.close = function () {
    this.list.hidden = true;
  };

  HeaderBox.prototype.suggest = async function () {
    var raw = this.input.value, generation = ++this.generation;
    if (!queryWords(raw).length) { this.close(); return; }
    this.index = this.index || new Index(new URL("search-index/", this.root));
    var result, ids, records;
    try {
      result = await this.index.search(raw);
      ids = this.index.ordered(result);
      records = await this.index.records(ids.slice(0, SUGGESTIONS));
    } catch (error) {
      return;  // the search page, which the form submits to, says what went wrong
    }
    if (generation !== this.generation) return;
    var manifest = this.index.manifest, groupOf = this.index.groupLookup(), root = this.root;
    var list = this.list;
    list.textContent = "";
    pagesNamed(manifest, root, raw, result.words).forEach(function (page) {
      var item = element("li", { "class": "zjtx-suggest__page", "data-kind": page.kind });
      item.appendChild(element("a", { href: page.href }, page.name + " → " + PAGE_LABELS[page.kind]));
      list.appendChild(item);
    });
    records.forEach(function (record, position) {
      var item = element("li");
      var link = element("a", { href: new URL("enterprises/" + encodeURIComponent(record[0]) + "/", root).href }, record[1]);
      var group = groupOf(ids[position]);
      link.appendChild(element("span", { "class": "zjtx-suggest__meta" },
        (tierNames(manifest, group[1])[0] || "暂无有效认定") + " · " + manifest.districts[group[2]][1]));
      item.appendChild(link);
      list.appendChild(item);
    });
    var all = element("li", { "class": "zjtx-suggest__all" });
    all.appendChild(element("a", { href: new URL("search/?q=" + encodeURIComponent(raw.trim()), root).href },
      ids.length ? "查看全部 " + ids.length + " 家企业及政策、公告" : "没有匹配的企业，在政策和公告中查找"));
    list.appendChild(all);
    list.hidden = false;
    this.status.textContent = ids.length ? "找到 " + ids.length + " 家企业" : "没有匹配的企业";
  };

  // The site's header template carries its own search form; a page without one gets one in the theme's header.
  function installHeaderBox(root) {
    var existing = document.querySelector('[data-zjtx-header-form], .md-header form[role="search"]');
    if (!existing) {
      var host = document.querySelector("[data-zjtx-header-search]") || document.querySelector(".md-header__inner");
      if (!host) return;
      existing = element("form", {
        "class": "zjtx-header-search", role: "search", method: "get",
        action: new URL("search/", root).href, "data-zjtx-header-form": ""
      });
      existing.appendChild(element("label", { "for": "zjtx-header-q", "class": "zjtx-visually-hidden" }, "搜索企业、产品、政策"));
      existing.appendChild(element("input", {
        id: "zjtx-header-q", name: "q", type: "search", autocomplete: "off", spellcheck: "false",
        placeholder: "搜索企业、产品、政策", enterkeyhint: "search"
      }));
      var before = host.querySelector(".md-header__source");
      host.insertBefore(existing, before && before.parentNode === host ? before : null);
    }
    var box = existing.querySelector('input[name="q"]');
    if (!box) return;
    if (!box.value) box.value = new URLSearchParams(location.search).get("q") || "";
    if (!existing.zjtxHeaderBox) existing.zjtxHeaderBox = new HeaderBox(existing, root);
  }

  /* The search page. */

  function SearchPage(container, root) {
    this.container = container;
    this.root = root;
    this.index = new Index(new URL("search-index/", root));
    this.form = container.querySelector("form");
    this.input = container.querySelector('input[name="q"]');
    this.tier = container.querySelector('[data-search-filter="tier"]');
    this.district = container.querySelector('[data-search-filter="district"]');
    this.status = container.querySelector("[data-search-status]");
    this.pagesOffered = container.querySelector("[data-search-pages]");
    var industries = container.querySelector("template[data-search-industries]");
    this.industries = industries ? Array.from(industries.content.querySelectorAll("[data-code]"), function (item) {
      return [item.getAttribute("data-code"), item.textContent];
    }) : [];
    this.list = container.querySelector("[data-search-results]");
    this.more = container.querySelector("[data-search-more]");
    this.fulltextStatus = container.querySelector("[data-fulltext-status]");
    this.fulltextList = container.querySelector("[data-fulltext-results]");
    this.fulltextMore = container.querySelector("[data-fulltext-more]");
    this.query = null;
    this.result = null;
    this.generation = 0;
    this.fulltextGeneration = 0;
    this.fulltextQuery = null;
    [this.tier, this.district].forEach(function (select) {
      Array.from(select.options).forEach(function (option) { option.setAttribute("data-label", option.textContent); });
    });
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.navigate(false);
    });
    [this.tier, this.district].forEach(function (select) {
      select.addEventListener("change", function () { self.navigate(true); });
    });
    // The next rows are read on from the first of them: focus moves there, so Tab goes on through them.
    this.more.addEventListener("click", function () {
      self.showMore().then(function (first) {
        if (first) first.querySelector("a").focus();
      }).catch(function (error) {
        self.more.disabled = false;
        self.status.textContent = "企业索引无法加载，请稍后重试。(" + error.message + ")";
      });
    });
    window.addEventListener("popstate", function () { self.run(); });
  }

  SearchPage.prototype.navigate = function (replace) {
    var params = new URLSearchParams();
    if (this.input.value.trim()) params.set("q", this.input.value.trim());
    if (this.tier.value) params.set("tier", this.tier.value);
    if (this.district.value) params.set("district", this.district.value);
    var url = location.pathname + (params.toString() ? "?" + params : "");
    history[replace ? "replaceState" : "pushState"](null, "", url);
    this.run();
  };

  SearchPage.prototype.run = async function () {
    var params = new URLSearchParams(location.search);
    var raw = (params.get("q") || "").trim();
    this.input.value = raw;
    this.tier.value = params.get("tier") || "";
    if (this.tier.value !== (params.get("tier") || "")) this.tier.value = "";
    this.district.value = params.get("district") || "";
    if (this.district.value !== (params.get("district") || "")) this.district.value = "";
    var generation = ++this.generation;
    var query = queryWords(raw).join(" ");
    if (!query) {
      this.container.setAttribute("data-search-state", "idle");
      this.container.setAttribute("data-search-ready", "");
      this.container.removeAttribute("data-fulltext-state");
      this.fulltextQuery = null;
      this.fulltextGeneration += 1;
      this.list.textContent = "";
      this.more.hidden = true;
      this.pagesOffered.textContent = "";
      this.fulltextList.textContent = "";
      this.fulltextMore.hidden = true;
      return;
    }
    this.container.setAttribute("data-search-state", "loading");
    try {
      if (query !== this.query) {
        this.query = null;
        this.result = await this.index.search(raw);
        this.query = query;
      }
      if (generation !== this.generation) return;
      await this.render(generation, raw);
    } catch (error) {
      if (generation !== this.generation) return;
      this.status.textContent = "企业索引无法加载，请稍后重试。(" + error.message + ")";
      this.container.setAttribute("data-search-state", "error");
      this.container.setAttribute("data-search-ready", "");
    }
    // Full text starts once the enterprises are on screen, so its download (Pagefind) never delays them; the
    // tier and district filters do not apply to it.
    if (generation === this.generation && raw !== this.fulltextQuery) this.searchFulltext(raw);
  };

  // The district, tier and industry pages the query names, above the enterprises it finds.
  SearchPage.prototype.offerPages = function (raw) {
    var offered = this.pagesOffered;
    offered.textContent = "";
    pagesNamed(this.index.manifest, this.root, raw, this.result.words, this.industries).forEach(function (page) {
      var item = element("li", { "data-kind": page.kind });
      item.appendChild(element("a", { href: page.href }, page.name + " → " + PAGE_LABELS[page.kind]));
      offered.appendChild(item);
    });
  };

  // Ids that pass the filters (name matches first), and the counts each filter option would give.
  SearchPage.prototype.filtered = function () {
    var manifest = this.index.manifest, bits = this.result.all;
    var tierIds = manifest.tiers.map(function (tier) { return tier[0]; });
    var tierBit = this.tier.value === "none" ? 0 : 1 << tierIds.indexOf(this.tier.value);
    var wantDistrict = this.district.value;
    var districtCodes = manifest.districts.map(function (d) { return d[0]; });
    var parents = manifest.districts.map(function (d) { return d[3] || ""; });
    var keep = new Uint8Array(bits.length), total = 0, tierCounts = {}, districtCounts = {};
    var tierPasses = function (mask) {
      return !this.tier.value || (this.tier.value === "none" ? mask === 0 : (mask & tierBit) !== 0);
    }.bind(this);
    this.index.forEachGroup(function (start, end, mask, district) {
      var code = districtCodes[district];
      var inDistrict = !wantDistrict || code === wantDistrict || parents[district] === wantDistrict;
      var inTier = tierPasses(mask);
      var count = 0;
      for (var id = start; id < end; id++) {
        if (bitSet(bits, id)) {
          count++;
          if (inDistrict && inTier) keep[id >> 3] |= 1 << (id & 7);
        }
      }
      if (!count) return;
      total += count;
      if (inDistrict) {
        if (!mask) tierCounts.none = (tierCounts.none || 0) + count;
        tierIds.forEach(function (tierId, position) {
          if (mask & (1 << position)) tierCounts[tierId] = (tierCounts[tierId] || 0) + count;
        });
      }
      if (inTier) {
        districtCounts[code] = (districtCounts[code] || 0) + count;
        if (parents[district]) districtCounts[parents[district]] = (districtCounts[parents[district]] || 0) + count;
      }
    });
    var ids = this.index.ordered(this.result, function (id) { return bitSet(keep, id); });
    return { ids: ids, total: total, tierCounts: tierCounts, districtCounts: districtCounts };
  };

  // The first rows are fetched before anything changes on screen, so that the count, the pages offered and the
  // rows appear together, and the full-text section, shown from the first answer on, never moves under the reader.
  SearchPage.prototype.render = async function (generation, raw) {
    var result = this.filtered(), batch = result.ids.slice(0, PAGE_SIZE);
    var records = await this.index.records(batch);
    if (generation !== this.generation) return;
    [[this.tier, result.tierCounts], [this.district, result.districtCounts]].forEach(function (pair) {
      Array.from(pair[0].options).forEach(function (option) {
        var label = option.getAttribute("data-label");
        option.textContent = option.value ? label + "（" + (pair[1][option.value] || 0) + "）" : label;
      });
    });
    this.ids = result.ids;
    this.shown = 0;
    this.list.textContent = "";
    this.status.textContent = "";
    var filtered = this.tier.value || this.district.value;
    this.status.appendChild(document.createTextNode("找到 "));
    this.status.appendChild(element("strong", {
      "data-search-total": String(result.ids.length), "data-search-unfiltered": String(result.total)
    }, String(result.ids.length)));
    this.status.appendChild(document.createTextNode(" 家企业" + (filtered ? "（筛选前共 " + result.total + " 家）" : "")));
    if (!result.ids.length) this.explainNothing(result.total > 0);
    this.offerPages(raw);
    this.append(batch, records);
    this.container.setAttribute("data-search-state", "done");
    this.container.setAttribute("data-search-ready", "");
  };

  // An empty result says why and what to try, rather than leaving the reader with a zero.
  SearchPage.prototype.explainNothing = function (filteredAway) {
    var words = this.result.words, tips = [];
    if (filteredAway) tips.push("所选层级或区中没有匹配的企业：把筛选改回“全部”。");
    if (words.length > 1) tips.push("每个词都要匹配同一家企业：减少词语，例如只搜“" + words[0] + "”。");
    tips.push("企业名称可以只输入其中连续的几个字（如“精密”），不必输入“天津市”“有限公司”；也可以输入名称的拼音或拼音首字母（如“jingmi”“jm”）。");
    tips.push("统一社会信用代码要输入完整的 18 位。");
    tips.push("也可以按层级或按区浏览全部企业，或看下方政策文件与公告的全文结果。");
    var help = element("ul", { "class": "zjtx-search-page__tips" });
    tips.forEach(function (tip) { help.appendChild(element("li", {}, tip)); });
    this.status.appendChild(document.createTextNode("。没有找到的原因可能是："));
    this.status.appendChild(help);
  };

  // The next rows; resolves to the first of them (null when a newer search replaced this one).
  SearchPage.prototype.showMore = async function () {
    var generation = this.generation, batch = this.ids.slice(this.shown, this.shown + PAGE_SIZE), records;
    this.more.disabled = true;
    try {
      records = await this.index.records(batch);
    } finally {
      this.more.disabled = false;
    }
    return generation === this.generation ? this.append(batch, records) : null;
  };

  SearchPage.prototype.append = function (batch, records) {
    this.shown += batch.length;
    var manifest = this.index.manifest, words = this.result.words, root = this.root;
    var groupOf = this.index.groupLookup(), names = this.result.names;
    var self = this, first = null;
    batch.forEach(function (id, position) {
      var record = records[position], group = groupOf(id);
      var item = element("li", { "class": "zjtx-result", "data-uscc": record[0] });
      if (!bitSet(names, id)) item.setAttribute("data-match", "product");
      item.appendChild(element("a", { href: new URL("enterprises/" + encodeURIComponent(record[0]) + "/", root).href }, record[1]));
      var tiers = tierNames(manifest, group[1]);
      var meta = element("span", { "class": "zjtx-result__meta" });
      meta.appendChild(element("span", { "class": "zjtx-result__tiers" }, tiers.length ? tiers.join("、") : "暂无有效认定"));
      meta.appendChild(element("span", { "class": "zjtx-result__district" }, manifest.districts[group[2]][1]));
      item.appendChild(meta);
      var products = record[2].filter(function (name) {
        var text = normalise(name);
        return words.some(function (word) { return text.indexOf(word) >= 0; });
      });
      if (products.length) item.appendChild(element("span", { "class": "zjtx-result__products" }, "产品：" + products.join("、")));
      self.list.appendChild(item);
      first = first || item;
    });
    var left = this.ids.length - this.shown;
    this.more.hidden = left <= 0;
    this.more.textContent = "显示更多（还有 " + left + " 家）";
    return first;
  };

  /* Full text of policies and announcements (Pagefind). */

  function excerptNodes(excerpt) {
    // Pagefind's excerpt is escaped text with <mark>; parse it in an inert document and keep only text and marks.
    var body = new DOMParser().parseFromString("<!doctype html><body>" + excerpt, "text/html").body;
    return Array.from(body.childNodes).map(function (node) {
      return node.nodeName === "MARK" ? element("mark", {}, node.textContent) : document.createTextNode(node.textContent);
    });
  }

  SearchPage.prototype.pagefind = function () {
    if (!this.pagefindLoaded) {
      var root = this.root;
      this.pagefindLoaded = import(new URL("pagefind/pagefind.js", root).href).then(async function (pagefind) {
        await pagefind.options({ baseUrl: root.pathname, excerptLength: 40 });
        await pagefind.init();
        return pagefind;
      });
    }
    return this.pagefindLoaded;
  };

  // Documents holding `word` as a phrase. Pagefind splits Chinese into words by context, so a quoted word can
  // be cut differently in the query than in the page ("中博会" inside "（中博会）") and find nothing; then the
  // best-ranked loose matches are read and kept where their text holds the word itself.
  var PHRASE_CHECKS = 20;
  async function phraseSearch(pagefind, word) {
    var quoted = await pagefind.search('"' + word + '"');
    if (quoted.results.length) return quoted;
    var loose = (await pagefind.search(word)).results.slice(0, PHRASE_CHECKS);
    var pages = await Promise.all(loose.map(function (result) { return result.data(); }));
    var bare = function (text) { return String(text).replace(/\s+/g, ""); };
    return { results: loose.filter(function (result, index) {
      return bare(pages[index].content).indexOf(bare(word)) >= 0 || bare(pages[index].meta && pages[index].meta.title || "").indexOf(bare(word)) >= 0;
    }) };
  }

  // Pagefind alone ranks documents that hold any segment of the query (的, 企业); a document counts here only when
  // it holds every word of the query as a phrase: one quoted search per word, results kept when all agree.
  async function phraseResults(pagefind, raw) {
    var words = [];
    String(raw).split(SPACE).forEach(function (word) {
      word = word.replace(/"/g, "");
      if (word && words.indexOf(word) < 0) words.push(word);
    });
    if (!words.length) return [];
    var searches = await Promise.all(words.map(function (word) { return phraseSearch(pagefind, word); }));
    var first = searches[0].results;
    var others = searches.slice(1).map(function (search) {
      return new Set(search.results.map(function (result) { return result.id; }));
    });
    return first.filter(function (result) { return others.every(function (ids) { return ids.has(result.id); }); });
  }

  // Full-text searches have their own count: a filter change (a new enterprise search) does not cancel them.
  SearchPage.prototype.searchFulltext = async function (raw) {
    var self = this, generation = ++this.fulltextGeneration;
    var current = function () { return generation === self.fulltextGeneration; };
    this.fulltextQuery = raw;
    this.fulltextList.textContent = "";
    this.fulltextMore.hidden = true;
    this.fulltextStatus.textContent = "正在查找……";
    this.container.setAttribute("data-fulltext-state", "loading");
    var found;
    try {
      found = await phraseResults(await this.pagefind(), raw);
    } catch (error) {
      if (current()) this.fulltextFailed();
      return;
    }
    if (!current()) return;
    this.fulltextStatus.textContent = "";
    this.fulltextStatus.appendChild(document.createTextNode("找到 "));
    this.fulltextStatus.appendChild(element("strong", { "data-fulltext-total": String(found.length) }, String(found.length)));
    this.fulltextStatus.appendChild(document.createTextNode(" 篇包含“" + raw + "”的政策文件和公告"));
    if (!found.length) this.fulltextStatus.appendChild(document.createTextNode("：可以换一个说法，或减少词语。"));
    var shown = 0;
    var showMore = async function () {
      var batch = found.slice(shown, shown + FULLTEXT_PAGE_SIZE);
      var pages;
      self.fulltextMore.disabled = true;
      try {
        pages = await Promise.all(batch.map(function (result) { return result.data(); }));
      } catch (error) {
        if (current()) self.fulltextFailed();
        return;
      } finally {
        self.fulltextMore.disabled = false;
      }
      if (!current()) return;
      shown += batch.length;
      pages.forEach(function (page) {
        var item = element("li", { "class": "zjtx-result" });
        item.appendChild(element("a", { href: new URL(page.url, location.href).href }, page.meta.title || page.url));
        var excerpt = element("span", { "class": "zjtx-result__excerpt" });
        excerptNodes(page.excerpt).forEach(function (node) { excerpt.appendChild(node); });
        item.appendChild(excerpt);
        self.fulltextList.appendChild(item);
      });
      self.fulltextMore.hidden = shown >= found.length;
      self.fulltextMore.textContent = "显示更多（还有 " + (found.length - shown) + " 篇）";
    };
    this.fulltextMore.onclick = showMore;
    await showMore();
    if (current() && this.container.getAttribute("data-fulltext-state") === "loading") {
      this.container.setAttribute("data-fulltext-state", "done");
    }
  };

  SearchPage.prototype.fulltextFailed = function () {
    this.fulltextQuery = null;
    this.fulltextStatus.textContent = "全文索引无法加载，请稍后重试。";
    this.fulltextMore.hidden = true;
    this.container.setAttribute("data-fulltext-state", "error");
  };

  /* Start on every page; again after each instant navigation of mkdocs-material. */

  function start() {
    var root = siteRoot();
    if (!root) return;
    installHeaderBox(root);
    var container = document.querySelector("[data-zjtx-search-page]");
    if (container && !container.zjtxSearch) {
      container.zjtxSearch = new SearchPage(container, root);
      container.zjtxSearch.run();
    }
  }

  window.zjtxSearch = {
    normalise: normalise, queryWords: queryWords, pagesNamed: pagesNamed, Index: Index, siteRoot: siteRoot
  };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
