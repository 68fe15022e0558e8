"""The built site in Debian's Chromium: no console errors, the tier table, the timeline, accessibility, phones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import HOSTILE
from zjtx.load import load_register

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PAGE_WEIGHT_LIMIT = 500 * 1024


@pytest.fixture(scope="module")
def demo_url(demo_site, serve_dir):
    return serve_dir(demo_site)


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
    return max((site / "tiers").glob("*/rows.json"), key=lambda p: len(json.loads(p.read_text())["rows"])).parent.name


def wait_for_table(page):
    page.wait_for_selector(".zjtx-filters:not([hidden]) select")


def test_home_page_renders_without_console_errors(tab, demo_url):
    page = tab.open(demo_url)
    assert page.locator("h1").first.is_visible()
    assert page.locator("progress").count() >= 1
    assert page.locator(".md-banner").inner_text().startswith("示例数据")
    assert tab.errors == []
    assert all(url.startswith(demo_url) for url in tab.requests), tab.requests
    assert tab.bytes <= PAGE_WEIGHT_LIMIT


def test_tier_table_filters_by_district(tab, demo_url, demo_site):
    tier = largest_tier(demo_site)
    data = json.loads((demo_site / "tiers" / tier / "rows.json").read_text(encoding="utf-8"))
    counts = {}
    for row in data["rows"]:
        counts[row[3]] = counts.get(row[3], 0) + 1
    index = max(counts, key=counts.get)
    code, name = data["lookups"]["district"][index]
    page = tab.open(f"{demo_url}tiers/{tier}/")
    wait_for_table(page)
    page.select_option("select[name=district]", code)
    rows = page.locator(".zjtx-table tbody tr")
    assert rows.count() == counts[index] < len(data["rows"])
    assert set(page.locator(".zjtx-table tbody tr td:nth-child(2)").all_inner_texts()) == {name}
    assert f"district={code}" in page.url
    assert str(counts[index]) in page.locator(".zjtx-count").inner_text()
    assert tab.errors == []


def test_a_filtered_table_can_be_linked_to(tab, demo_url, demo_site):
    tier = largest_tier(demo_site)
    data = json.loads((demo_site / "tiers" / tier / "rows.json").read_text(encoding="utf-8"))
    year = max(row[5] for row in data["rows"])
    page = tab.open(f"{demo_url}tiers/{tier}/?year={year}")
    wait_for_table(page)
    assert page.locator("select[name=year]").input_value() == str(year)
    assert page.locator(".zjtx-table tbody tr").count() == sum(1 for row in data["rows"] if row[5] == year)


def test_tier_table_sorts_by_name(tab, demo_url, demo_site):
    page = tab.open(f"{demo_url}tiers/{largest_tier(demo_site)}/")
    wait_for_table(page)
    page.click("th[data-key=name] button")
    assert page.get_attribute("th[data-key=name]", "aria-sort") == "ascending"
    names = page.locator(".zjtx-table tbody tr td:first-child").all_inner_texts()
    in_order = page.evaluate("names => names.slice().sort(new Intl.Collator('zh-Hans-CN').compare)", names)
    assert names == in_order
    page.click("th[data-key=name] button")
    assert page.get_attribute("th[data-key=name]", "aria-sort") == "descending"


def test_tier_table_stays_quick_with_3000_rows(tab, demo_site, serve_dir, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    tier = largest_tier(site)
    path = site / "tiers" / tier / "rows.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    template = data["rows"]
    data["rows"] = [[row[0], f"{row[1]}{n}", *row[2:]] for n in range(3000 // len(template) + 1) for row in template][:3000]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page = tab.open(serve_dir(site) + f"tiers/{tier}/")
    wait_for_table(page)
    code = data["lookups"]["district"][0][0]
    elapsed = page.evaluate(
        """code => {
            const select = document.querySelector("select[name=district]");
            const started = performance.now();
            select.value = code;
            select.dispatchEvent(new Event("change"));
            select.value = "";
            select.dispatchEvent(new Event("change"));
            document.querySelector("th[data-key=name] button").click();
            return performance.now() - started;
        }""",
        code,
    )
    assert "3000" in page.locator(".zjtx-count").inner_text()
    assert elapsed < 1000, f"filtering and sorting 3,000 rows took {elapsed:.0f} ms"


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
                     "districts/120116/", "stats/"]:
            page = watched.open(demo_url + path)
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    found.append((path, violation["id"], [node["target"] for node in violation["nodes"]][:3]))
    finally:
        watched.context.close()
    assert found == []


def test_pages_fit_a_phone_screen(phone, demo_url, demo_site, hostile_url):
    uscc = next((demo_site / "enterprises").iterdir()).name
    urls = [demo_url + path for path in ["", f"tiers/{largest_tier(demo_site)}/", f"enterprises/{uscc}/",
                                         "stats/", "data/", "announcements/"]]
    urls.append(hostile_url + "enterprises/911201013000000109/")  # a 300-character word
    for url in urls:
        page = phone.open(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], url
    page = phone.open(demo_url)
    page.click(".md-header label[for=__drawer]")
    link = page.locator(".md-nav--primary a[href$='tiers/']").first
    link.wait_for(state="visible")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/tiers/")


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
