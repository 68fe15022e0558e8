"""Every page kind on a 360 px phone and a 1366 px desktop, in Debian's Chromium: no page-level sideways scroll,
controls at least 44 px, no focus on hidden controls, filters on their own lines, header suggestions inside the
screen, charts that start at their latest years, enterprise pages with the site's header, logo and menu, and the
pages that open on what is useful (services that can be used today, with and without JavaScript; products)."""

from __future__ import annotations

import pytest

from pagekinds import page_kinds, settle
from test_site_browser import Watched

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1366px"])
TARGET = 44

# Controls a finger or a pointer uses, visible on the screen, smaller than TARGET in either direction (inline links
# in running text are exempt, as in WCAG 2.5.8).
SMALL_TARGETS = """target => Array.from(document.querySelectorAll(
        'button, input:not([type=radio]):not([type=checkbox]), select, summary, .zjtx-choice label, '
        + '.md-header a, .md-header label, .zjtx-footer__links a, .md-nav__link, .zjtx-pager button'))
    .filter(el => el.checkVisibility({visibilityProperty: true}))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.width > 0 && (box.height < target - 0.5 || box.width < target - 0.5))
    .map(([el, box]) => el.outerHTML.slice(0, 80) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height))"""


@pytest.fixture(scope="module")
def site_url(demo_site, serve_dir):
    return serve_dir(demo_site)


@WIDTHS
def test_every_page_kind_fits_the_screen_with_controls_large_enough(chromium, demo_site, site_url, viewport):
    watched = Watched(chromium, viewport)
    wide, small = [], []
    try:
        for path in page_kinds(demo_site):
            page = watched.open(site_url + path)
            settle(page)
            if page.evaluate("document.documentElement.scrollWidth") > viewport["width"]:
                wide.append(path)
            small += [(path, target) for target in page.evaluate(SMALL_TARGETS, TARGET)]
            assert page.locator(".md-header .md-logo").is_visible(), path
            assert page.locator("footer .zjtx-footer__links").is_visible(), path
        assert watched.errors == []
    finally:
        watched.context.close()
    assert wide == []
    assert sorted({t for _, t in small}) == []


FOCUS_STATE = """() => { const el = document.activeElement, box = el.getBoundingClientRect();
    return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 20),
            visible: el.checkVisibility({visibilityProperty: true}) && box.width > 0 && box.height > 0
                     && box.right > 0 && box.left < innerWidth}; }"""


@WIDTHS
def test_the_keyboard_reaches_only_controls_that_can_be_seen(chromium, demo_site, site_url, viewport):
    watched = Watched(chromium, viewport)
    hidden = []
    try:
        for path in page_kinds(demo_site):
            page = watched.open(site_url + path)
            settle(page)
            for _ in range(45):
                page.keyboard.press("Tab")
                state = page.evaluate(FOCUS_STATE)
                if state["tag"] == "BODY":
                    break
                if not state["visible"]:
                    hidden.append((path, state["tag"], state["text"]))
    finally:
        watched.context.close()
    assert hidden == []


@WIDTHS
def test_filters_are_labelled_controls_whose_labels_never_split(chromium, site_url, viewport):
    watched = Watched(chromium, viewport)
    try:
        for path in ("services/", "products/", "tiers/seed/", "announcements/"):
            page = watched.open(site_url + path)
            settle(page)
            labels = page.evaluate("""() => Array.from(document.querySelectorAll(
                    '.zjtx-filters label, .zjtx-filters legend')).filter(el => el.checkVisibility()).map(el => {
                const text = Array.from(el.childNodes).find(n => n.nodeType === 3 && n.textContent.trim());
                const range = document.createRange();
                range.selectNodeContents(text || el);
                const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                const control = el.matches('legend') ? null : (el.control || el.querySelector('select, input'));
                return {text: (text || el).textContent.trim(), lines: lines.size,
                        below: control ? control.getBoundingClientRect().top >= range.getBoundingClientRect().bottom - 1
                               || control.type === 'radio' : true};
            })""")
            assert labels, path
            for label in labels:
                assert label["lines"] == 1, (path, label)
                assert label["below"], (path, label)  # the control on a line of its own, under its label
    finally:
        watched.context.close()


@WIDTHS
def test_header_suggestions_stay_inside_the_screen(chromium, demo_package, site_url, viewport):
    from zjtx.load import load_register

    name = next(iter(load_register(demo_package).enterprises.values())).name
    watched = Watched(chromium, viewport)
    try:
        page = watched.open(site_url + "stats/")
        page.fill(".md-header input[name=q]", name[:2])
        page.wait_for_selector(".zjtx-suggest:not([hidden])")
        box = page.locator(".zjtx-suggest").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        watched.context.close()


def test_charts_on_a_phone_show_their_latest_years_with_a_hint(chromium, site_url):
    watched = Watched(chromium, PHONE)
    try:
        page = watched.open(site_url + "stats/")
        figure = page.locator(".zjtx-figure").first
        assert figure.evaluate("f => f.scrollWidth > f.clientWidth")
        assert figure.evaluate("f => Math.abs(f.scrollLeft + f.clientWidth - f.scrollWidth) <= 1")
        hint = page.locator(".zjtx-figure + .zjtx-scroll-hint").first
        assert hint.is_visible() and "滑动" in hint.inner_text()
    finally:
        watched.context.close()
    watched = Watched(chromium, DESKTOP)
    try:
        page = watched.open(site_url + "stats/")
        assert not page.locator(".zjtx-scroll-hint").first.is_visible()  # the chart fits: nothing to say
    finally:
        watched.context.close()


@WIDTHS
def test_enterprise_pages_keep_the_header_logo_and_a_menu(chromium, demo_site, site_url, viewport):
    uscc = sorted(p.name for p in (demo_site / "enterprises").iterdir())[0]
    watched = Watched(chromium, viewport)
    try:
        page = watched.open(f"{site_url}enterprises/{uscc}/")
        assert page.locator(".md-header .md-logo img").is_visible()
        menu = page.locator(".md-header a.zjtx-menu-link")
        assert menu.is_visible()
        menu.click()
        page.wait_for_load_state()
        assert page.url == site_url + "site-map/"
        assert page.locator("article a[href='../tiers/']").count() == 1
    finally:
        watched.context.close()


def visible_states(page) -> set[str]:
    return set(page.eval_on_selector_all("table[data-zjtx-services] tbody tr",
                                         "rows => rows.filter(r => r.checkVisibility()).map(r => r.dataset.state)"))


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_services_open_on_what_can_be_used_today(chromium, demo_site, site_url, javascript):
    import re

    html = (demo_site / "services" / "index.html").read_text(encoding="utf-8")
    total = len(re.findall(r"<tr data-kind=", html))
    open_now = len(re.findall(r'data-state="open"', html))
    assert 0 < open_now < total
    context = chromium.new_context(viewport=PHONE, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(site_url + "services/")
        assert visible_states(page) == {"open"}
        assert page.locator("table[data-zjtx-services] tbody tr:visible").count() == open_now
        count = page.locator("[data-zjtx-services-count]").inner_text()
        assert f"可以申请的服务 {open_now} 项" in count and str(total) in count
        page.locator(".zjtx-choice label", has_text="全部").click()
        assert page.locator("table[data-zjtx-services] tbody tr:visible").count() == total
        assert f"{total} 项" in page.locator("[data-zjtx-services-count]").inner_text()
    finally:
        context.close()


def test_products_open_on_products(chromium, site_url):
    watched = Watched(chromium, DESKTOP)
    try:
        page = watched.open(site_url + "products/")
        settle(page)
        assert page.locator("[data-zjtx-products-table]").is_visible()
        assert page.locator("[data-zjtx-products-table] tbody tr").count() > 0
        assert page.locator("select[name=industry]").input_value() != ""
        assert watched.errors == []
    finally:
        watched.context.close()


def test_a_wide_table_scrolls_in_its_own_box_with_its_first_column_fixed(chromium, site_url):
    watched = Watched(chromium, PHONE)
    try:
        page = watched.open(site_url + "districts/")
        table = page.locator("article table").first
        assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # it scrolls, the page does not
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        first = table.locator("tbody tr td").first
        left = first.evaluate("td => td.getBoundingClientRect().left")
        table.evaluate("t => { t.scrollLeft = t.scrollWidth; }")
        assert first.evaluate("td => td.getBoundingClientRect().left") == left
        assert table.get_attribute("tabindex") == "0"  # the keyboard can scroll it
    finally:
        watched.context.close()
