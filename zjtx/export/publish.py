"""Put the downloads into a built site: /downloads/latest/ and /downloads/<version>/, the JSON API, the feed,
the files of every page table and the enterprise search index.

Files are copied from the cache, not hard-linked: a later step that rewrote a site file in place (a minifier)
would otherwise change the cached release too. Such steps must leave /downloads/ alone: its checksums are
published.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

from ..errors import BuildError
from ..load import Register
from ..render import Site
from .. import api, search
from . import page_tables
from .releases import Downloads, Version

DOWNLOADS_DIR = "downloads"
SEARCH_INDEX_DIR = "search-index"
LATEST = "latest"
SAFE_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")


def version_folder(version: str) -> str:
    if not SAFE_VERSION.fullmatch(version) or version == LATEST:
        raise BuildError(
            f"version {version!r} cannot be a folder name: write it as X.Y.Z in datapackage.json",
            f"版本号 {version!r} 不能用作文件夹名：请在 datapackage.json 中写成 X.Y.Z",
        )
    return version


def _copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=shutil.copyfile, dirs_exist_ok=True)


def publish_downloads(downloads: Downloads, site_dir: Path) -> None:
    """Copy each version's files beside the folder's page (index.html, which MkDocs has written)."""
    base = site_dir / DOWNLOADS_DIR
    base.mkdir(parents=True, exist_ok=True)
    _copy_tree(downloads.latest.folder, base / LATEST)
    for version in downloads.versions():
        _copy_tree(version.folder, base / version_folder(version.version))


def download_url(version: Version | None = None) -> str:
    """The folder of a version (or of latest), relative to the site root."""
    return f"{DOWNLOADS_DIR}/{version_folder(version.version) if version else LATEST}/"


def write_site_files(register: Register, downloads: Downloads, derived: Path, site_dir: Path, as_of: date) -> None:
    """Everything the downloads add to a built site: the version folders and the files write_derived_files made
    into `derived` (moved, not copied)."""
    publish_downloads(downloads, site_dir)
    move_into(derived, site_dir)


def write_derived_files(register: Register, downloads: Downloads, as_of: date, target: Path) -> None:
    """The JSON API, the CSV/XLSX of every page table, the enterprise search index and the Atom feed, written into
    `target`, a folder laid out as the site. The page tables come from one Site, as the pages' own did."""
    from .. import feed  # feedgen brings lxml: imported by the process that makes these files only

    site = Site(register, as_of)
    tier_rows, district_rows = site.tier_rows(), site.district_rows()
    page_tables.write_page_tables(register, site, target, tier_rows, district_rows)
    api.write_api(register, site, target, download_url(), tier_rows, district_rows)
    search.write_search_index(register, target / SEARCH_INDEX_DIR)
    feed.write_feed(register, downloads.releases, as_of, target)
    # The feeds of new designations beside each tier's and district's page (their pages link them).
    feed.write_place_feeds(register, as_of, target)


def move_into(source: Path, target: Path) -> None:
    """Move the files of `source` into the same places under `target` by renames (one file system): a folder
    that `target` lacks moves whole. At 5,000 enterprises copying the API's files took three seconds."""
    for entry in os.scandir(source):
        destination = target / entry.name
        if not destination.exists():
            os.rename(entry.path, destination)
        elif entry.is_dir(follow_symlinks=False) and destination.is_dir():
            move_into(Path(entry.path), destination)
        else:
            raise BuildError(
                f"{destination.relative_to(target)} would be written twice: a page has the path of a download",
                f"{destination.relative_to(target)} 被写入两次：某个页面与下载文件同名",
            )
