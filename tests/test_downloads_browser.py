"""The download pages in Debian's Chromium: they fit a phone, open their file lists, and pass axe."""

from __future__ import annotations

import pytest

from test_site_browser import PHONE, Watched

pytestmark = pytest.mark.browser

PAGES = ["data/", "changelog/", "downloads/latest/"]


@pytest.fixture(scope="module")
def demo_url(demo_site, serve_dir):
    return serve_dir(demo_site)


def test_download_pages_fit_a_phone_with_their_file_lists_open(chromium, demo_url):
    phone = Watched(chromium, PHONE)
    try:
        for path in PAGES:
            page = phone.open(demo_url + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    finally:
        phone.context.close()


def test_download_pages_have_no_serious_accessibility_violation(chromium, demo_url):
    from axe_playwright_python.sync_playwright import Axe

    watched = Watched(chromium, PHONE)
    found = []
    try:
        for path in PAGES:
            page = watched.open(demo_url + path)
            for violation in Axe().run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    found.append((path, violation["id"], [node["target"] for node in violation["nodes"]][:3]))
    finally:
        watched.context.close()
    assert found == []


def test_a_page_table_downloads_from_its_link(chromium, demo_url, demo_site):
    watched = Watched(chromium, PHONE)
    try:
        page = watched.open(demo_url + "tiers/sme/")
        with page.expect_download() as download:
            page.click("a[href='tier-sme.xlsx']")
        assert download.value.suggested_filename == "tier-sme.xlsx"
        saved = download.value.path()
        assert saved is not None and saved.read_bytes() == (demo_site / "tiers" / "sme" / "tier-sme.xlsx").read_bytes()
    finally:
        watched.context.close()
