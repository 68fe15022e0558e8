"""One page of every kind the site has, for the browser tests of layout, reading modes and accessibility."""

from __future__ import annotations

import json
from pathlib import Path


def _first(site: Path, folder: str) -> str:
    return sorted(p.parent.name for p in (site / folder).glob("*/index.html"))[0]


def _largest(site: Path, folder: str) -> str:
    return max((site / folder).glob("*/rows.json"), key=lambda p: json.loads(p.read_text())["count"]).parent.name


def page_kinds(site: Path) -> list[str]:
    """Addresses relative to the site's root: home, every index, one record page of each kind, the column's pages,
    the footer's pages, search and the 404 page."""
    return [
        "", "tiers/", f"tiers/{_largest(site, 'tiers')}/", "districts/", "districts/120116/",
        f"enterprises/{_first(site, 'enterprises')}/", "announcements/",
        f"announcements/{_largest(site, 'announcements')}/", "policies/", "policies/tj-zjtx-plan-2021/", "services/",
        f"services/{_first(site, 'services')}/", "events/", f"events/{_first(site, 'events')}/", "products/", "stats/",
        "data/", "changelog/", "downloads/latest/", "about/",
        "contribute/", "search/?q=精密", "feedback/", "statement/", "privacy/", "site-map/", "404.html",
    ]


def settle(page) -> None:
    """Wait for what the page's scripts draw: an enterprise table, the products, a search, the print header."""
    if page.locator(".zjtx-table[data-src]").count():
        page.wait_for_selector(".zjtx-table[data-state=ready]")
    if page.locator("[data-zjtx-products]").count():
        page.wait_for_selector("[data-zjtx-products][data-state=done]")
    if page.locator("[data-zjtx-search-page]").count():
        page.wait_for_selector('[data-zjtx-search-page][data-search-state="done"]')
    page.wait_for_selector(".zjtx-print", state="attached")
