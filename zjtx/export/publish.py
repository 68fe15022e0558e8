"""Put the downloads into a built site: /downloads/latest/ and /downloads/<version>/, the JSON API, the feed
and the files of every page table.

Files are copied from the cache, not hard-linked: a later step that rewrote a site file in place (a minifier)
would otherwise change the cached release too. Such steps must leave /downloads/ alone: its checksums are
published.
"""

from __future__ import annotations

import re
import shutil
from html import escape
from urllib.parse import quote
from datetime import date
from pathlib import Path

from ..errors import BuildError
from ..load import Register
from ..render import Site
from .. import api, feed
from . import page_tables
from .releases import Downloads, Version

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
    shutil.copytree(source, target, copy_function=shutil.copyfile)


def publish_downloads(downloads: Downloads, site_dir: Path) -> None:
    base = site_dir / DOWNLOADS_DIR
    base.mkdir(parents=True, exist_ok=True)
    folders = [(downloads.latest, base / LATEST)]
    folders += [(version, base / version_folder(version.version)) for version in downloads.versions()]
    for version, folder in folders:
        _copy_tree(version.folder, folder)
        # A folder address must answer on any static host; the listing is the site's, not part of the download.
        (folder / "index.html").write_text(listing(version, folder.name), encoding="utf-8")


def listing(version: Version, name: str) -> str:
    """A plain page listing the files of a download folder with size and SHA-256."""
    title = escape(f"下载 {name}（版本 {version.version}，{version.day.isoformat()}）")
    rows = "\n".join(
        f'<tr><td><a href="{escape(quote(f["path"]))}">{escape(f["path"])}</a></td><td>{f["size"]}</td>'
        f'<td><code>{f["sha256"]}</code></td></tr>'
        for f in version.files()
    )
    return (
        f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n<body>\n'
        f'<h1>{title}</h1>\n<p><a href="../../data/">数据与下载说明</a> · <a href="../../changelog/">更新记录</a></p>\n'
        '<table>\n<thead><tr><th scope="col">文件</th><th scope="col">字节</th><th scope="col">SHA-256</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</body></html>\n"
    )


def download_url(version: Version | None = None) -> str:
    """The folder of a version (or of latest), relative to the site root."""
    return f"{DOWNLOADS_DIR}/{version_folder(version.version) if version else LATEST}/"


def write_site_files(register: Register, downloads: Downloads, site_dir: Path, as_of: date) -> None:
    """Everything the downloads add to a built site: the version folders, the JSON API, the Atom feed and the
    CSV/XLSX of every page table. The page tables come from one Site, as the pages' own did."""
    publish_downloads(downloads, site_dir)
    site = Site(register, as_of)
    tier_rows, district_rows = site.tier_rows(), site.district_rows()
    page_tables.write_page_tables(register, site, site_dir, tier_rows, district_rows)
    api.write_api(register, site, site_dir, download_url(), tier_rows, district_rows)
    feed.write_feed(register, downloads.releases, as_of, site_dir)
