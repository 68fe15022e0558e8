"""The search page in Debian's Chromium: every query returns exactly the enterprises the reference matcher finds.

Each test runs twice: on a harness (the parts of the site that search uses, with 400 demo enterprises and the tricky
names of test_search.py) and on the site as `build.py build` makes it (conftest's demo_site). Both are served from a
sub-path (/sub/) by a static server that records every response, so a URL that leaves the sub-path fails.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from conftest import GOOD_AS_OF, HOSTILE, SITE_AS_OF
from packages import ROOT, view_of
from test_search import demo_register, pinyin_of, render_search_page, traditional
from zjtx import search
from zjtx.view import RegisterView
from zjtx.search import matches, name_matches, normalise, write_fulltext_index, write_search_index

pytestmark = pytest.mark.browser

SUB_PATH = "/sub/"
ASSETS = ROOT / "templates" / "assets" / "search"

# Like the site's pages (overrides/): its style sheets, and the header's search form.
PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="zjtx-root" content="{root}"><link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}/assets/zjtx/site.css">
<link rel="stylesheet" href="{root}/assets/search/search.css"><title>{title}</title></head>
<body><header class="md-header"><nav class="md-header__inner"><a href="{root}/">名录</a>
<form class="zjtx-search" role="search" action="{root}/search/" method="get"><label for="zjtx-q" class="zjtx-sr-only">搜索企业、公告和政策</label>
<input id="zjtx-q" name="q" type="search" placeholder="搜索企业" autocomplete="off"><button type="submit">搜索</button></form></nav></header>
<main><article class="md-content__inner"><h1>{title}</h1>
{body}
</article></main><script src="{root}/assets/search/search.js"></script></body></html>
"""


def build_harness(register: RegisterView, site: Path) -> None:
    """The parts of the built site that search uses, laid out as the site build lays them out."""
    site.mkdir(parents=True)
    (site / "index.html").write_text(PAGE.format(root=".", title="首页", body="<p>首页</p>"), encoding="utf-8")
    (site / "search").mkdir()
    (site / "search" / "index.html").write_text(
        PAGE.format(root="..", title="搜索", body=render_search_page(register, "..")), encoding="utf-8")
    shutil.copytree(ASSETS.parent, site / "assets")
    write_search_index(register, site / "search-index")
    for policy in register.policies.values():
        paragraphs = "".join(f"<p>{line}</p>" for line in register.policy_text(policy).splitlines() if line.strip())
        folder = site / "policies" / policy.policy_id
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(PAGE.format(root="../..", title=policy.title, body=paragraphs),
                                           encoding="utf-8")
    for announcement in register.announcements.values():
        folder = site / "announcements" / announcement.announcement_id
        folder.mkdir(parents=True)
        text = f"<p>{announcement.doc_number} {announcement.issuer} {announcement.published_on}</p>"
        (folder / "index.html").write_text(PAGE.format(root="../..", title=announcement.title, body=text),
                                           encoding="utf-8")
    # A page outside the full-text scope: its words must not be found.
    (site / "about").mkdir()
    (site / "about" / "index.html").write_text(
        PAGE.format(root="..", title="关于", body="<p>梯度培育工作方案之外的说明</p>"), encoding="utf-8")
    write_fulltext_index(site)


@dataclass
class Served:
    url: str
    register: RegisterView
    requests: list[tuple[str, int, int]] = field(default_factory=list)  # path, status, body bytes


class _Handler(SimpleHTTPRequestHandler):
    """Serves files and records the path, status and body size of every response."""

    def __init__(self, *args, log, **kwargs):
        self.log = log
        super().__init__(*args, **kwargs)

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self.log.append((self.path.split("?")[0], self._status, int(value)))
        super().send_header(keyword, value)

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that moves on to the next page drops the downloads it no longer needs: not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served_under_sub_path(site: Path, scratch: Path):
    """Serve `site` at http://127.0.0.1:PORT/sub/ from a folder holding nothing else; yield (URL, response log)."""
    (scratch / SUB_PATH.strip("/")).symlink_to(site.resolve(), target_is_directory=True)
    log: list = []
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(scratch), log=log))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}", log
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module", params=["harness", "built site"])
def search_site(request, tmp_path_factory):
    if request.param == "built site":
        site = request.getfixturevalue("demo_site")
        register = view_of(request.getfixturevalue("demo_package"), SITE_AS_OF)  # the day the site shows
    else:
        register = demo_register(tmp_path_factory.mktemp("package"), 400)
        site = tmp_path_factory.mktemp("harness") / "site"
        build_harness(register, site)
    with served_under_sub_path(site, tmp_path_factory.mktemp("served")) as (url, log):
        yield Served(url, register, log)


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert not errors, errors


def open_search(page, served: Served, **params) -> None:
    page.goto(served.url + "search/?" + urlencode(params, quote_via=quote))
    page.wait_for_selector('[data-zjtx-search-page][data-search-state="done"]')


def all_results(page) -> list[str]:
    """USCCs of every row, after pressing "show more" until every match is on the page."""
    rows = "[data-search-results] > li"
    while page.is_visible("[data-search-more]"):
        shown = page.locator(rows).count()
        page.click("[data-search-more]")
        page.wait_for_function(f"n => document.querySelectorAll('{rows}').length > n", arg=shown)
    return page.locator(rows).evaluate_all("items => items.map(item => item.dataset.uscc)")


def total(page) -> int:
    return int(page.get_attribute("[data-search-total]", "data-search-total"))


def district_of(register: RegisterView, name: str) -> str:
    enterprise = next(e for e in register.enterprises.values() if e.name == name)
    return register.districts[enterprise.district_code].name_zh


def example_queries(register: RegisterView) -> list[str]:
    """The kinds of query people type: fragments, brackets of every kind, a lower-case USCC, a product, a district."""
    names = sorted(enterprise.name for enterprise in register.enterprises.values() if enterprise.name.isalnum())
    middle = names[len(names) // 2]
    products = sorted(product.product_name for product in register.products)
    latin = [name for name in products if name[:1].isascii() and name[:1].isalpha()] or ["no latin"]
    queries = [
        middle[2:5],                                      # a fragment from the middle of a name
        middle[-6:],                                      # the end of a name
        names[len(names) // 3][3],                        # one character
        sorted(register.enterprises)[len(names) // 3].lower(),  # a USCC in lower case
        products[len(products) // 2],                     # a product name
        latin[len(latin) // 2][:6].lower(),               # a model number in the other case
        "中才邦业[杭州]", "德帕姆(杭州)泵业", "ＰＴ－１００", "strasse", "abc robotics",  # the tricky names
        "(天津)", "【天津】",                                # brackets in many names
        "滨海新区", "和平区",                               # districts
        "有限公司",                                        # nearly everything
        "这家企业不存在",                                   # nothing
        "不存在的企业xyz",                                  # nothing, although 的 and 企业 are everywhere
        f"{middle[2:4]} {district_of(register, middle)}",  # two words: a piece of a name and its district
        f"{middle[2:4]} {district_of(register, middle).removesuffix('区')}",  # 西青 for 西青区
        "天津" + middle.removeprefix("天津市").removeprefix("天津")[:4],   # 天津 for 天津市
        middle.removeprefix("天津市").removeprefix("天津")[:4] + "有限公司",
        f"{products[len(products) // 2]} {middle[2:4]}",   # a product and a piece of a name
    ]
    bracketed = sorted(e.name for e in register.enterprises.values() if "（" in e.name)
    if bracketed:
        before, _, after = bracketed[len(bracketed) // 2].partition("（")
        inside, _, after = after.partition("）")
        queries += [
            f"{before}({inside})",                        # half-width brackets for full-width ones
            f"{before[-1:]}【{inside}】{after[:1]}",       # lenticular brackets
            f"{before} ( {inside} ) {after[:2]}",         # spaces around the brackets
        ]
    return queries


def test_queries_return_exactly_the_matching_enterprises(page, search_site):
    for query in example_queries(search_site.register):
        open_search(page, search_site, q=query)
        expected = matches(search_site.register, query)
        assert total(page) == len(expected), query
        found = all_results(page)
        assert len(found) == len(set(found)), query
        assert set(found) == expected, query
        # Name matches first, then the enterprises only a product name finds.
        by_name = name_matches(search_site.register, query)
        assert found == [u for u in found if u in by_name] + [u for u in found if u not in by_name], query


def test_an_empty_result_says_why_and_what_to_try(page, search_site):
    open_search(page, search_site, q="不存在的企业xyz")
    assert total(page) == 0
    status = page.locator("[data-search-status]").inner_text()
    assert "没有找到" in status and "连续的几个字" in status
    page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')
    assert page.get_attribute("[data-fulltext-total]", "data-fulltext-total") == "0"
    assert page.locator("[data-fulltext-results] > li").count() == 0


def spelled_queries(register: RegisterView) -> list[str]:
    """Queries as people type them other than in the name's own characters: traditional characters, pinyin,
    initials, English district names."""
    names = sorted(enterprise.name for enterprise in register.enterprises.values() if enterprise.name.isalnum())
    pieces = [names[len(names) // 2][2:5], names[len(names) // 3][-6:-4], names[len(names) // 5][3:5]]
    queries = []
    for piece in pieces:
        full, initials = pinyin_of(piece)
        queries += [traditional(piece), full, full[:-1], initials, initials.upper()]
    english = sorted(d.name_en for d in register.districts.values())
    return queries + [
        "電機", "濱海新區", "天津長城行車", "yifeng", "yi feng", "tjyf", "cqyh", "lvlve",
        "Binhai", "binhai new area", "TEDA", "Xiqing District", english[len(english) // 2],
        f"{pinyin_of(pieces[0])[1]} {english[0].split()[0]}",  # initials and an English district word
    ]


def test_other_spellings_return_exactly_the_matching_enterprises(page, search_site):
    register = search_site.register
    for query in spelled_queries(register):
        open_search(page, search_site, q=query)
        expected = matches(register, query)
        assert total(page) == len(expected), query
        found = all_results(page)
        assert set(found) == expected, query
        by_name = name_matches(register, query)
        assert found == [u for u in found if u in by_name] + [u for u in found if u not in by_name], query


def industry_pages(view: RegisterView) -> list[tuple[str, str]]:
    from zjtx.pages.column import Column

    return [(i.industry_code, i.name_zh) for i in Column(view).products]


def test_a_query_that_names_a_district_tier_or_industry_offers_its_page_first(page, search_site):
    register, industries = search_site.register, industry_pages(search_site.register)
    paths = {"district": "districts/{}/", "tier": "tiers/{}/", "industry": "products/?industry={}"}
    queries = ["滨海新区", "Binhai New Area", "濱海新區", "西青", "精密 西青", "小巨人", "种子企业", "精密"]
    queries += [name[:4] for _, name in industries[:3]]
    offered_somewhere = False
    for query in queries:
        open_search(page, search_site, q=query)
        links = page.locator("[data-search-pages] a")
        expected = search.pages_named(register, query, industries)
        assert links.evaluate_all("links => links.map(a => a.href)") == [
            search_site.url + paths[kind].format(identifier) for kind, identifier in expected], query
        offered_somewhere |= bool(expected)
        if expected:
            kind, identifier = expected[0]
            names = {"district": {code: d.name_zh for code, d in register.districts.items()},
                     "tier": {tier_id: t.name_zh for tier_id, t in register.tiers.items()},
                     "industry": dict(industries)}
            labels = {"district": "区域页面", "tier": "层级页面", "industry": "行业产品"}
            assert links.first.text_content() == f"{names[kind][identifier]} → {labels[kind]}"
            # Above every enterprise found.
            assert page.evaluate("""() => {
                const offer = document.querySelector('[data-search-pages] a');
                const row = document.querySelector('[data-search-results] > li');
                return !row || offer.getBoundingClientRect().bottom <= row.getBoundingClientRect().top;
            }""")
    assert offered_somewhere


def test_show_more_moves_focus_to_the_first_new_result(page, search_site):
    open_search(page, search_site, q="有限公司")
    rows = page.locator("[data-search-results] > li")
    shown = rows.count()
    assert page.is_visible("[data-search-more]") and shown == 50
    page.focus("[data-search-more]")
    page.keyboard.press("Enter")
    page.wait_for_function("n => document.querySelectorAll('[data-search-results] > li').length > n", arg=shown)
    page.wait_for_function("() => document.activeElement.closest('[data-search-results] > li') !== null")
    focused = "document.activeElement.closest('[data-search-results] > li').dataset.uscc"
    assert page.evaluate(focused) == rows.nth(shown).get_attribute("data-uscc")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == rows.nth(shown + 1).get_attribute("data-uscc")


# Layout shifts as Chromium reports them (the Layout Instability API), summed as Cumulative Layout Shift counts
# them: shifts that follow the reader's own input within half a second are not the page's fault.
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push({ value: entry.value,
      sources: (entry.sources || []).map(s => s.node ? (s.node.className || s.node.nodeName) : "") });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_results_load_without_moving_the_page(chromium, search_site, viewport):
    context = chromium.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.add_init_script(OBSERVE_SHIFTS)
        for query in ["有限公司", "滨海新区", "不存在的企业xyz", "精密"]:
            open_search(page, search_site, q=query)
            page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')
            page.wait_for_timeout(300)
            shifts = page.evaluate("window.__shifts")
            assert sum(shift["value"] for shift in shifts) < 0.005, (query, shifts)
    finally:
        context.close()


def test_full_text_counts_only_documents_holding_every_word(page, search_site):
    for query in ["梯度培育", "种子企业 2024", "专精特新 不存在xyz"]:
        open_search(page, search_site, q=query)
        page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')
        fulltext = int(page.get_attribute("[data-fulltext-total]", "data-fulltext-total"))
        while page.is_visible("[data-fulltext-more]"):
            page.click("[data-fulltext-more]")
            page.wait_for_timeout(200)
        urls = page.locator("[data-fulltext-results] a").evaluate_all("links => links.map(a => a.href)")
        assert len(urls) == fulltext, query
        for url in urls:  # a plain scan of each page found: it holds every word
            text = page.context.request.get(url).text()
            body = re.sub(r"<[^>]+>", "", text.split("<article", 1)[1].split("</article>", 1)[0])
            assert all(word in body for word in query.split()), (query, url)
        if "不存在" in query:
            assert fulltext == 0


def test_the_header_box_suggests_enterprises_while_typing(page, search_site):
    register = search_site.register
    names = sorted(e.name for e in register.enterprises.values() if e.name.isalnum())
    fragment = names[len(names) // 2][2:5]
    page.goto(search_site.url)
    box = page.locator('.md-header input[name="q"]')
    box.press_sequentially(fragment, delay=30)
    page.wait_for_selector("#zjtx-suggest:not([hidden]) a")
    suggested = page.locator("#zjtx-suggest li:not(.zjtx-suggest__all):not(.zjtx-suggest__page) a")
    hrefs = suggested.evaluate_all("links => links.map(a => a.href)")
    expected = matches(register, fragment)
    assert 0 < len(hrefs) <= 8
    assert {href.rstrip("/").rsplit("/", 1)[1] for href in hrefs} <= expected
    assert str(len(expected)) in page.locator(".zjtx-suggest__all").inner_text()
    box.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#zjtx-suggest') !== null")
    page.keyboard.press("Escape")
    assert page.locator("#zjtx-suggest").is_hidden()


def test_filters_narrow_by_tier_and_district(page, search_site):
    register = search_site.register
    query = "有限公司"
    district = sorted({e.district_code for e in register.enterprises.values()})[0]
    cases = [
        ({"tier": "sme"}, lambda u: "sme" in {t.tier_id for t in register.tiers_held(u)}),
        ({"tier": "none"}, lambda u: not register.tiers_held(u)),
        ({"district": district}, lambda u: register.enterprises[u].district_code == district),
        ({"tier": "seed", "district": district},
         lambda u: register.enterprises[u].district_code == district
         and "seed" in {t.tier_id for t in register.tiers_held(u)}),
    ]
    everything = matches(register, query)
    for filters, keep in cases:
        open_search(page, search_site, q=query, **filters)
        expected = {uscc for uscc in everything if keep(uscc)}
        assert total(page) == len(expected), filters
        assert int(page.get_attribute("[data-search-total]", "data-search-unfiltered")) == len(everything)
        assert set(all_results(page)) == expected, filters
        for name, value in filters.items():
            assert page.input_value(f'[data-search-filter="{name}"]') == value


def test_changing_a_filter_updates_results_and_the_address(page, search_site):
    open_search(page, search_site, q="有限公司")
    unfiltered = total(page)
    page.select_option('[data-search-filter="tier"]', "little_giant")
    page.wait_for_function(f"() => document.querySelector('[data-search-total]').dataset.searchTotal != '{unfiltered}'")
    assert "tier=little_giant" in page.url
    expected = {u for u in matches(search_site.register, "有限公司")
                if "little_giant" in {t.tier_id for t in search_site.register.tiers_held(u)}}
    assert total(page) == len(expected)
    # The filters narrow the enterprises only; the full-text section finishes and stays.
    page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')


def test_rows_link_to_enterprise_pages_and_show_tiers_and_district(page, search_site):
    register = search_site.register
    uscc = sorted(register.enterprises)[5]
    open_search(page, search_site, q=uscc.lower())
    row = page.locator(f'[data-search-results] > li[data-uscc="{uscc}"]')
    assert row.locator("a").get_attribute("href") == f"{search_site.url}enterprises/{uscc}/"
    assert row.locator("a").text_content() == register.enterprises[uscc].name
    district = register.districts[register.enterprises[uscc].district_code].name_zh
    assert row.locator(".zjtx-result__district").text_content() == district
    tiers = row.locator(".zjtx-result__tiers").text_content()
    for tier in register.tiers_held(uscc):
        assert tier.name_zh in tiers


def test_names_are_shown_as_text_never_run(page, search_site):
    """The harness has names with markup in them; the built site has none, and a query of markup finds nothing and
    runs nothing there."""
    open_search(page, search_site, q="<script>")
    expected = matches(search_site.register, "<script>")
    assert total(page) == len(expected)
    assert page.evaluate("() => window.__xss") is None
    if expected:
        assert "<script>" in page.locator("[data-search-results]").text_content()


def test_the_header_box_leads_to_the_search_page(page, search_site):
    page.goto(search_site.url)
    box = page.locator('.md-header input[name="q"]')
    box.fill("有限公司")
    box.press("Enter")
    page.wait_for_selector('[data-zjtx-search-page][data-search-state="done"]')
    assert page.url.startswith(search_site.url + "search/")
    assert total(page) == len(matches(search_site.register, "有限公司"))
    assert page.input_value('.md-header input[name="q"]') == "有限公司"


def test_everything_is_fetched_from_under_the_sub_path(page, search_site):
    search_site.requests.clear()
    open_search(page, search_site, q="有限公司")
    page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')
    assert search_site.requests
    for path, status, _ in search_site.requests:
        assert path.startswith(SUB_PATH) and status == 200, (path, status)


def test_policy_text_is_found_in_its_own_section(page, search_site):
    open_search(page, search_site, q="梯度培育")
    page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')
    assert int(page.get_attribute("[data-fulltext-total]", "data-fulltext-total")) >= 1
    links = page.locator("[data-fulltext-results] a").evaluate_all("links => links.map(a => a.href)")
    assert links and all(link.startswith(search_site.url + "policies/") for link in links)
    assert page.locator("[data-fulltext-results] mark").count() >= 1


def test_the_browser_normalises_every_character_as_python_does(page):
    page.add_script_tag(path=ASSETS / "search.js")
    chars = [chr(cp) for cp in range(0x20, 0x30000)
             if not 0xD800 <= cp < 0xE000 and unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")]
    texts = chars + ["ΣΑΣ ΟΔΟΣ", "İstanbul", "ﬁ（Ⅻ）", "ǰ̌", "㍿ ㈱ ㊤"]
    browser_forms = page.evaluate("texts => texts.map(zjtxSearch.normalise)", texts)
    different = [(text, form, normalise(text)) for text, form in zip(texts, browser_forms) if form != normalise(text)]
    assert not different, different[:20]


def test_the_browser_reads_words_as_python_does(page):
    page.add_script_tag(path=ASSETS / "search.js")
    simplified = {"電": "电", "機": "机", "責": "责", "濱": "滨", "區": "区"}
    queries = ["天津市電機有限公司", "電機 电机", "天津長城有限責任公司", "濱海新區", "yi feng  YiFeng", "天津", "有限公司",
               "天" * 40, "a" * 33 + " " + "𠀋" * 40, "天津市" + "精" * 35 + "有限公司", "　精密\u3000精密 "]
    for query in queries:
        for table in (None, simplified):
            words = page.evaluate("([q, t]) => zjtxSearch.queryWords(q, t && new Map(Object.entries(t)))", [query, table])
            assert words == search.query_words(query, table), (query, table)


def test_hostile_names_stay_text_on_the_built_site(page, hostile_site, hostile_package, tmp_path):
    register = view_of(hostile_package, GOOD_AS_OF)
    with served_under_sub_path(hostile_site, tmp_path) as (url, _):
        for query in ["<script>", "天津", "PT<img", "{{ 7*7 }}", "和平区" + HOSTILE["script"]]:
            page.goto(url + "search/?" + urlencode({"q": query}, quote_via=quote))
            page.wait_for_selector('[data-zjtx-search-page][data-search-state="done"]')
            expected = matches(register, query)
            assert expected, query
            assert set(all_results(page)) == expected, query
            names = page.locator("[data-search-results] > li > a").all_text_contents()
            assert sorted(names) == sorted(register.enterprises[uscc].name for uscc in expected)
            assert page.locator("[data-search-results] :is(script, img, b, strong)").count() == 0
