"""The build's work in its exports' process: the downloads of every version, then the files derived from the
register on the day (the JSON API, the CSV/XLSX of every page table, the Atom feeds and the events calendar),
written into a folder laid out as the site. The enterprise search index (`search_index`) goes into the same folder
from the build's own process, which would otherwise wait idle for this one once MkDocs is done. Each job takes the register's view of the day,
which the process shares with the build (zjtx.build.workers)."""

from __future__ import annotations

from pathlib import Path

from .. import api, feed, ical, search
from ..export import page_tables
from ..export.releases import Downloads, prepare_downloads
from ..urls import download_url
from ..view import RegisterView

SEARCH_INDEX_DIR = "search-index"


def downloads(view: RegisterView, into: Path, releases_too: bool = True) -> Downloads:
    """Every version's downloads, the build's own copies in `into` (zjtx.export.releases); of latest/ only when
    the releases are linked from elsewhere."""
    return prepare_downloads(view, into, releases_too)


def derived_files(view: RegisterView, downloads: Downloads, target: Path) -> Path:
    page_tables.write_page_tables(view, target)
    api.write_api(view, target, download_url())
    feed.write_feed(view, downloads.releases, target)
    # The feeds of new designations beside each tier's and district's page (their pages link them).
    feed.write_place_feeds(view, target)
    ical.write_calendar(view, target)
    return target


def search_index(view: RegisterView, target: Path) -> dict:
    return search.write_search_index(view, target / SEARCH_INDEX_DIR)
