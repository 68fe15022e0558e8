"""适老化 in Debian's Chromium: beside 大字, a high-contrast mode and a larger cursor, operable from the keyboard,
remembered across pages and applied before the first paint; and axe-core with its best-practice rules finds
nothing on any page kind, on a 1366 px desktop and a 360 px and 390 px phone, in every mode."""

from __future__ import annotations

import pytest

from pagekinds import page_kinds, settle
from test_site_browser import Watched

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODES = ("large", "contrast", "cursor")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def site_url(demo_site, serve_dir):
    return serve_dir(demo_site)


def test_each_mode_is_switched_from_the_keyboard_and_remembered(chromium, site_url):
    watched = Watched(chromium, PHONE)
    try:
        page = watched.open(site_url)
        for mode in MODES:
            button = page.locator(f"[data-zjtx-mode={mode}]")
            button.focus()
            page.keyboard.press("Enter" if mode != "contrast" else "Space")
            assert button.get_attribute("aria-pressed") == "true", mode
            assert page.evaluate(f"document.documentElement.classList.contains('zjtx-{mode}')"), mode
        page = watched.open(site_url + "stats/")
        for mode in MODES:
            assert page.evaluate(f"document.documentElement.classList.contains('zjtx-{mode}')"), mode
            assert page.get_attribute(f"[data-zjtx-mode={mode}]", "aria-pressed") == "true"
        # What each mode does: black on white becomes white on black, and the pointer is a large picture.
        colours = page.evaluate("[getComputedStyle(document.body).backgroundColor,"
                                " getComputedStyle(document.body).color]")
        assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
        assert "url(" in page.evaluate("getComputedStyle(document.querySelector('article')).cursor")
        for mode in MODES:
            page.locator(f"[data-zjtx-mode={mode}]").click()
        page = watched.open(site_url)
        assert not any(page.evaluate(f"document.documentElement.classList.contains('zjtx-{mode}')") for mode in MODES)
        assert watched.errors == []
    finally:
        watched.context.close()


def test_the_modes_apply_before_the_first_paint(chromium, site_url):
    """The head's own script applies them: with the site's script never loaded, the page still opens in the mode,
    and the bar of the modes takes no room it did not have (no layout shift)."""
    watched = Watched(chromium, DESKTOP)
    try:
        page = watched.page
        page.add_init_script("localStorage.setItem('zjtx-contrast', '1')")
        page.route("**/assets/zjtx/site.*.js", lambda route: route.abort())
        page.goto(site_url)
        assert page.evaluate("document.documentElement.classList.contains('zjtx-contrast')")
        top = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().top")
        page.unroute("**/assets/zjtx/site.*.js")
        page.goto(site_url)
        page.wait_for_selector(".zjtx-modes")
        assert page.evaluate("document.querySelector('.md-header').getBoundingClientRect().top") == top
    finally:
        watched.context.close()


def axe_violations(chromium, demo_site, site_url, viewport, mode):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    watched = Watched(chromium, viewport)
    found = []
    try:
        if mode:
            watched.page.add_init_script(f"localStorage.setItem('zjtx-{mode}', '1')")
        for path in page_kinds(demo_site):
            page = watched.open(site_url + path)
            settle(page)
            # Every rule axe runs by default, best practices included; every impact counts.
            for violation in axe.run(page).response["violations"]:
                found.append((path, violation["id"], [node["target"] for node in violation["nodes"]][:3]))
        assert watched.errors == []
    finally:
        watched.context.close()
    return found


@pytest.mark.parametrize("mode", [None, *MODES], ids=["plain", *MODES])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "360px"])
def test_axe_finds_nothing_on_any_page_kind(chromium, demo_site, site_url, viewport, mode):
    assert axe_violations(chromium, demo_site, site_url, viewport, mode) == []


def test_axe_finds_nothing_on_a_390px_phone(chromium, demo_site, site_url):
    assert axe_violations(chromium, demo_site, site_url, {"width": 390, "height": 844}, None) == []
