"""The built site in Debian's Chromium: no console errors, the tier table, the timeline, accessibility, phones."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from collections import Counter

from conftest import HOSTILE, SITE_AS_OF
from packages import AS_OF as GOOD_AS_OF, view_of
from packages import make_good_package
from test_site import read_table
from zjtx import search
from zjtx.load import load_register

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PAGE_WEIGHT_LIMIT = 500 * 1024


@pytest.fixture(scope="module")
def demo_url(demo_site, serve_dir):
    return serve_dir(demo_site)


# Tables page 50 rows at a time: the table tests need a register whose tables run to several pages.
TABLE_ENTERPRISES = 300


@pytest.fixture(scope="module")
def table_package(tmp_path_factory) -> Path:
    from zjtx.demo import generate

    package = tmp_path_factory.mktemp("table-package")
    generate(package, TABLE_ENTERPRISES, seed=11, as_of=SITE_AS_OF)
    return package


@pytest.fixture(scope="module")
def table_site(table_package, tmp_path_factory) -> Path:
    from packages import build

    out = tmp_path_factory.mktemp("table-site") / "site"
    build(table_package, out, SITE_AS_OF)
    return out


@pytest.fixture(scope="module")
def table_url(table_site, serve_dir):
    return serve_dir(table_site)


@pytest.fixture(scope="module")
def hostile_url(hostile_site, serve_dir):
    return serve_dir(hostile_site)


class Watched:
    """A browser tab that records what went wrong, and every request it made."""

    def __init__(self, browser, viewport):
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.bytes = 0
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", self._response)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")
        else:
            try:
                self.bytes += len(response.body())
            except Exception:  # redirects and aborted requests have no body
                pass

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture
def tab(chromium):
    watched = Watched(chromium, DESKTOP)
    yield watched
    watched.context.close()


@pytest.fixture
def phone(chromium):
    watched = Watched(chromium, PHONE)
    yield watched
    watched.context.close()


def largest_tier(site: Path) -> str:
    return max((site / "tiers").glob("*/rows.json"), key=lambda p: json.loads(p.read_text())["count"]).parent.name


def wait_for_table(page):
    page.wait_for_selector(".zjtx-table[data-state=ready]")


def matching(page) -> int:
    return int(page.get_attribute(".zjtx-count", "data-matching"))


def every_row(page, column: int = 2) -> list[str]:
    """The cells of one column on every page of the table, pressing 下一页 until the last page."""
    cells = []
    while True:
        cells += page.locator(f".zjtx-table tbody tr td:nth-child({column})").all_inner_texts()
        following = page.locator(".zjtx-pager button", has_text="下一页")
        if following.is_disabled():
            return cells
        first = page.locator(".zjtx-table tbody tr td:nth-child(2)").first.inner_text()
        following.click()
        page.wait_for_function("first => document.querySelector('.zjtx-table tbody tr td:nth-child(2)').textContent"
                               " !== first", arg=first)


def test_home_page_renders_without_console_errors(tab, demo_url):
    page = tab.open(demo_url)
    assert page.locator("h1").first.is_visible()
    assert page.locator("progress").count() >= 1
    assert page.locator(".md-banner").inner_text().startswith("示例数据")
    # The ladder and its figures come before the prose.
    assert page.evaluate("document.querySelector('.zjtx-ladder').compareDocumentPosition("
                         "document.querySelector('.zjtx-lead')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert tab.errors == []
    assert all(url.startswith(demo_url) for url in tab.requests), tab.requests
    assert tab.bytes <= PAGE_WEIGHT_LIMIT


def test_tier_table_pages_through_every_row_newest_first(tab, table_url, table_site, table_package):
    register = view_of(table_package, SITE_AS_OF)
    tier = largest_tier(table_site)
    rows = read_table(table_site / "tiers" / tier / "rows.json", register)
    page = tab.open(f"{table_url}tiers/{tier}/")
    wait_for_table(page)
    assert matching(page) == len(rows) > 50  # more than one page
    usccs = every_row(page, 2)
    assert sorted(usccs) == sorted(rows)
    years = [int(rows[uscc]["year"]) for uscc in usccs]
    assert years == sorted(years, reverse=True)
    assert tab.errors == []


def test_tier_table_filters_by_district(tab, table_url, table_site, table_package):
    register = view_of(table_package, SITE_AS_OF)
    tier = largest_tier(table_site)
    rows = read_table(table_site / "tiers" / tier / "rows.json", register)
    counts = Counter(cells["district"] for cells in rows.values())
    code = max(counts, key=counts.get)
    page = tab.open(f"{table_url}tiers/{tier}/")
    wait_for_table(page)
    page.locator(".zjtx-filters select[name=district]").select_option(label=register.districts[code].name_zh)
    page.wait_for_function(f"() => document.querySelector('.zjtx-count').dataset.matching == '{counts[code]}'")
    assert set(every_row(page, 3)) == {register.districts[code].name_zh}
    assert f"district={code}" in page.url
    assert str(counts[code]) in page.locator(".zjtx-count").inner_text()
    assert tab.errors == []


def test_a_filtered_table_can_be_linked_to(tab, table_url, table_site, table_package):
    register = view_of(table_package, SITE_AS_OF)
    tier = largest_tier(table_site)
    rows = read_table(table_site / "tiers" / tier / "rows.json", register)
    year = max(cells["year"] for cells in rows.values())
    page = tab.open(f"{table_url}tiers/{tier}/?year={year}&status=active")
    wait_for_table(page)
    expected = {u for u, cells in rows.items() if cells["year"] == year and cells["status"] == "active"}
    assert matching(page) == len(expected)
    assert set(every_row(page, 2)) == expected


def test_the_text_filter_finds_what_a_plain_scan_finds(tab, table_url, table_site, table_package):
    register = view_of(table_package, SITE_AS_OF)
    tier = largest_tier(table_site)
    rows = read_table(table_site / "tiers" / tier / "rows.json", register)
    names = sorted(register.enterprises[u].name for u in rows)
    uscc = sorted(rows)[len(rows) // 2]
    page = tab.open(f"{table_url}tiers/{tier}/")
    wait_for_table(page)
    box = page.locator(".zjtx-filters input[type=search]")
    for query in [names[len(names) // 2][2:4], uscc.lower(), "天津" + names[0].removeprefix("天津市")[:5], "不存在的企业xyz"]:
        expected = {u for u in search.name_matches(register, query) if u in rows}
        box.fill(query)
        page.wait_for_function(f"() => document.querySelector('.zjtx-table').dataset.state == 'ready'"
                               f" && new URL(location.href).searchParams.get('q') === {json.dumps(query)}")
        assert matching(page) == len(expected), query
        found = every_row(page, 2) if expected else []
        assert set(found) == expected, query
        assert page.locator(".zjtx-table tbody tr").count() == min(len(expected), 50), query
    assert tab.errors == []


def test_tier_table_sorts_by_district(tab, table_url, table_site, table_package):
    register = view_of(table_package, SITE_AS_OF)
    tier = largest_tier(table_site)
    page = tab.open(f"{table_url}tiers/{tier}/")
    wait_for_table(page)
    page.click("th[data-key=district] button")
    page.wait_for_selector("th[data-key=district][aria-sort=ascending]")
    order = {register.districts[code].name_zh: code for code in register.districts}
    shown = [order[name] for name in page.locator(".zjtx-table tbody tr td:nth-child(3)").all_inner_texts()]
    assert shown == sorted(shown)
    assert "sort=district" in page.url
    page.click("th[data-key=district] button")
    page.wait_for_selector("th[data-key=district][aria-sort=descending]")
    assert "sort=-district" in page.url


def test_a_big_announcement_pages_through_its_list(tab, table_url, table_site, table_package):
    register = view_of(table_package, SITE_AS_OF)
    folder = max((table_site / "announcements").glob("*/rows.json"), key=lambda p: json.loads(p.read_text())["count"])
    rows = read_table(folder, register)
    page = tab.open(f"{table_url}announcements/{folder.parent.name}/")
    wait_for_table(page)
    assert sorted(every_row(page, 2)) == sorted(rows)
    assert tab.errors == []


def test_enterprise_page_shows_its_timeline(tab, demo_url, demo_package):
    register = load_register(demo_package)
    uscc = max(register.enterprises, key=lambda u: len(register.certifications_by_uscc.get(u, [])))
    page = tab.open(f"{demo_url}enterprises/{uscc}/")
    entries = page.locator(".zjtx-timeline > li")
    history = register.certifications_by_uscc[uscc]
    assert entries.count() == len(history)
    for entry, certification in zip(entries.all(), history):
        assert entry.is_visible()
        assert certification.certified_on.isoformat() in entry.inner_text()
        assert entry.locator(f'a[href$="announcements/{certification.announcement_id}/"]').count() >= 1
    entries.first.locator('a[href*="announcements/"]').first.click()
    page.wait_for_load_state()
    assert f"/announcements/{history[0].announcement_id}/" in page.url
    assert tab.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violation(chromium, demo_url, demo_site, viewport):
    from axe_playwright_python.sync_playwright import Axe

    uscc = next((demo_site / "enterprises").iterdir()).name
    policy = next((demo_site / "policies").glob("*/index.html")).parent.name
    watched = Watched(chromium, viewport)
    axe = Axe()
    found = []
    try:
        for path in ["", f"tiers/{largest_tier(demo_site)}/", f"enterprises/{uscc}/", f"policies/{policy}/",
                     "districts/", "districts/120116/", "stats/", "announcements/", "search/?q=精密", "404.html"]:
            page = watched.open(demo_url + path)
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    found.append((path, violation["id"], [node["target"] for node in violation["nodes"]][:3]))
    finally:
        watched.context.close()
    assert found == []


# Elements that must stay on one line, and the check that one did: an inline box broken across lines has two rects.
UNBROKEN = "time, .zjtx-code, .zjtx-data td:nth-child(n+4)"
BROKEN = """selector => Array.from(document.querySelectorAll(selector))
    .filter(el => el.getClientRects().length > 0 && el.offsetParent !== null)
    .filter(el => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const tops = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const rect of range.getClientRects()) if (rect.width > 0) tops.push(rect.top);
        }
        return tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 4;
    })
    .map(el => el.textContent)"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}],
                         ids=["390px", "1366px"])
def test_pages_fit_the_screen_and_never_break_dates_or_codes(chromium, table_url, table_site, hostile_url,
                                                              viewport):
    watched = Watched(chromium, viewport)
    try:
        uscc = next((table_site / "enterprises").iterdir()).name
        announcement = max((table_site / "announcements").glob("*/rows.json"),
                           key=lambda p: json.loads(p.read_text())["count"]).parent.name
        paths = ["", f"tiers/{largest_tier(table_site)}/", "districts/", "districts/120116/", f"enterprises/{uscc}/",
                 "stats/", "data/", "announcements/", f"announcements/{announcement}/", "policies/",
                 "policies/tj-zjtx-plan-2021/", "search/?q=精密"]
        for path in paths:
            page = watched.open(table_url + path)
            if page.locator(".zjtx-table").count():
                wait_for_table(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
            assert page.evaluate(BROKEN, UNBROKEN) == [], path
        page = watched.open(hostile_url + "enterprises/911201013000000109/")  # a 300-character word
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        # Chart text stays at least 12 px on screen.
        page = watched.open(table_url + "stats/")
        smallest = page.evaluate("Math.min(...Array.from(document.querySelectorAll('.zjtx-chart text'))"
                                 ".map(t => t.getBoundingClientRect().height))")
        assert smallest >= 12 * 0.9, smallest  # the box of 12 px text is about its size
        assert watched.errors == []
    finally:
        watched.context.close()


def test_tables_become_cards_on_a_phone(phone, table_url, table_site):
    page = phone.open(f"{table_url}tiers/{largest_tier(table_site)}/")
    wait_for_table(page)
    row = page.locator(".zjtx-table tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    labels = row.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert '"统一社会信用代码"' in labels
    assert page.locator(".zjtx-table thead").evaluate("h => h.getBoundingClientRect().height") <= 1


def test_the_menu_opens_from_the_keyboard_and_hidden_links_take_no_focus(phone, demo_url):
    page = phone.open(demo_url)
    hidden_focus = []
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => { const el = document.activeElement;
            return {menu: el.matches('[data-zjtx-menu]'), visible: el.checkVisibility({visibilityProperty: true})
                    && el.getBoundingClientRect().right > 0, text: el.textContent.trim().slice(0, 20)}; }""")
        if not state["visible"]:
            hidden_focus.append(state["text"])
        if state["menu"]:
            break
    assert state["menu"], "Tab never reached the menu button"
    assert hidden_focus == []
    page.keyboard.press("Enter")
    assert page.is_checked("#__drawer")
    link = page.locator(".md-sidebar--primary a[href$='tiers/']").first
    link.wait_for(state="visible")
    page.wait_for_function("document.activeElement.closest('.md-sidebar--primary') !== null")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__drawer")
    assert page.evaluate("document.activeElement.matches('[data-zjtx-menu]')")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_keyboard_walk_starts_at_the_skip_link_and_always_shows_the_focus(chromium, table_url, table_site,
                                                                            viewport):
    watched = Watched(chromium, viewport)
    uscc = next((table_site / "enterprises").iterdir()).name
    problems = []
    try:
        for path in ["", f"tiers/{largest_tier(table_site)}/", f"enterprises/{uscc}/", "announcements/", "stats/",
                     "policies/tj-zjtx-plan-2021/", "search/?q=精密"]:
            page = watched.open(table_url + path)
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.matches('a.md-skip')"), path
            assert page.locator(":focus").is_visible()
            for step in range(30):
                state = page.evaluate("""() => { const el = document.activeElement, style = getComputedStyle(el);
                    const box = el.getBoundingClientRect();
                    return {tag: el.tagName + '.' + el.className, outline: style.outlineStyle !== 'none'
                            && parseFloat(style.outlineWidth) >= 2,
                            visible: el.checkVisibility({visibilityProperty: true}) && box.width > 0
                            && box.right > 0 && box.left < innerWidth}; }""")
                if state["tag"].startswith("BODY"):
                    break  # past the last control of the page
                if not (state["outline"] and state["visible"]):
                    problems.append((path, step, state))
                page.keyboard.press("Tab")
            page.keyboard.press("Shift+Tab")
        # The skip link leads to the content.
        page = watched.open(table_url)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "zjtx-content"
    finally:
        watched.context.close()
    assert problems == []


def test_larger_text_mode_persists_across_pages(tab, demo_url):
    page = tab.open(demo_url)
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    page.click("[data-zjtx-mode=large]")  # the reading modes' bar (issue 18) holds the 大字 button now
    assert page.get_attribute("[data-zjtx-mode=large]", "aria-pressed") == "true"
    page = tab.open(demo_url + "stats/")
    assert page.evaluate("document.documentElement.classList.contains('zjtx-large')")
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    assert after >= before * 1.3
    page.click("[data-zjtx-mode=large]")
    page = tab.open(demo_url)
    assert not page.evaluate("document.documentElement.classList.contains('zjtx-large')")


class _NotFound(SimpleHTTPRequestHandler):
    """A static host: a missing file gets the site's 404.html (GitHub Pages, Netlify and nginx do the same)."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "sub" / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_404_page_works_at_any_depth_under_a_sub_path(tab, tmp_path):
    from packages import build

    site = tmp_path / "host" / "sub"
    build(make_good_package(tmp_path / "package"), site, GOOD_AS_OF, site_url="https://example.org/sub/")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NotFound, directory=str(tmp_path / "host")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/sub/"
    try:
        for path in ["nothing-here", "enterprises/000000000000000000/", "a/b/c/d/e/"]:
            tab.errors.clear()
            page = tab.open(base + path)
            assert page.locator("h1").inner_text() == "找不到这个页面"
            assert page.evaluate("document.documentElement.lang") == "zh"
            background = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
            assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded
            assert [e for e in tab.errors if not e.startswith("HTTP 404") and "404" not in e] == []
            assert page.locator("article input[name=q]").count() == 1
        page.locator("article a", has_text="返回首页").click()
        page.wait_for_load_state()
        assert page.url == base
        page = tab.open(base + "x/y/")
        page.fill("article input[name=q]", "天津")
        page.press("article input[name=q]", "Enter")
        page.wait_for_selector('[data-zjtx-search-page][data-search-state="done"]')
        assert page.url.startswith(base + "search/")
    finally:
        server.shutdown()


def test_hostile_text_never_runs(tab, hostile_url):
    for path in ["", "enterprises/911201013000000109/", "enterprises/91120111300000010Q/", "tiers/seed/",
                 "tiers/sme/", "districts/120101/", "announcements/lg-2022/", "policies/tj-zjtx-plan-2021/",
                 "stats/", "search/?q=天津"]:
        page = tab.open(hostile_url + path)
        page.wait_for_timeout(100)
        assert page.locator("img[src=x]").count() == 0, path
        assert page.locator("strong", has_text="zjtx-bold").count() == 0, path
    page = tab.open(hostile_url + "districts/120111/")
    wait_for_table(page)
    assert HOSTILE["breakout"] in page.locator(".zjtx-table tbody").inner_text()
    assert tab.dialogs == []


def test_site_works_under_a_sub_path(tab, demo_site, serve_dir, tmp_path):
    (tmp_path / "project").symlink_to(demo_site, target_is_directory=True)
    base = serve_dir(tmp_path) + "project/"
    page = tab.open(base)
    background = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.locator(".md-nav--primary a[href$='tiers/']").first.click()
    page.wait_for_load_state()
    assert page.url == base + "tiers/"
    page.locator("article a[href*='/tiers/'], article a[href$='/']").first.click()
    page.wait_for_load_state("networkidle")
    wait_for_table(page)
    page.locator(".zjtx-table tbody a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base + "enterprises/")
    assert tab.errors == []
    assert all(url.startswith(base) for url in tab.requests), tab.requests


def test_the_announcement_list_can_be_filtered(tab, table_url, table_package):
    register = view_of(table_package, SITE_AS_OF)
    page = tab.open(table_url + "announcements/")
    box = page.locator("form.zjtx-filters input[type=search]")
    box.wait_for()
    word = "种子"
    box.fill(word)
    shown = page.locator("table[data-zjtx-filter] tbody tr:not([hidden])")
    expected = [a for a in register.announcements.values() if word in a.title or word in a.doc_number]
    assert shown.count() == len(expected) > 0
    assert f"符合条件的 {len(expected)} 条" in page.locator(".zjtx-count").inner_text()
    box.fill("")
    kind = page.locator("form.zjtx-filters select").nth(1)
    kind.select_option(label="撤销")
    assert shown.count() == sum(a.kind == "revocation" for a in register.announcements.values())
