"""Put the downloads into a built site: /downloads/latest/ and /downloads/<version>/, the JSON API, the feed
and the files of every page table.

Files are copied from the cache, not hard-linked: a later step that rewrote a site file in place (a minifier)
would otherwise change the cached release too. Such steps must leave /downloads/ alone: its checksums are
published.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from ..errors import BuildError
from ..load import Register
from ..render import Site
from .. import api, feed
from . import page_tables
from .releases import Downloads, Version, cache_root, code_digest, prune

DOWNLOADS_DIR = "downloads"
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


def write_site_files(register: Register, downloads: Downloads, site_dir: Path, as_of: date) -> None:
    """Everything the downloads add to a built site: the version folders, the JSON API, the Atom feed and the
    CSV/XLSX of every page table."""
    publish_downloads(downloads, site_dir)
    _copy_tree(derived_files(register, downloads, as_of), site_dir)
    feed.write_feed(register, downloads.releases, as_of, site_dir)


def derived_files(register: Register, downloads: Downloads, as_of: date) -> Path:
    """The API files and the page tables, made once per data, day and code, and kept in the cache: a rebuild
    (serve, a template edit) copies them. The page tables come from one Site, as the pages' own did."""
    folder = cache_root() / "derived" / f"{downloads.latest.digest[:32]}-{as_of.isoformat()}-{code_digest()}"
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    scratch.chmod(0o755)  # copied onto the site's folder with its mode: a web server must read the site
    try:
        site = Site(register, as_of)
        tier_rows, district_rows = site.tier_rows(), site.district_rows()
        page_tables.write_page_tables(register, site, scratch, tier_rows, district_rows)
        api.write_api(register, site, scratch, download_url(), tier_rows, district_rows)
        os.rename(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    prune(folder)
    return folder
