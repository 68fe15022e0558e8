"""Put the finished parts into the new site: the download folders of every version, and the files the exports'
process wrote beside the site (API, page tables, search index, feeds), which move in by renames.

Files are copied from the export cache, not hard-linked: a later step that rewrote a site file in place (a minifier)
would otherwise change the cached release too. Such steps must leave /downloads/ alone: its checksums are published.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import BuildError
from ..export.releases import Downloads
from ..urls import DOWNLOADS_DIR, LATEST, version_folder


def _copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=shutil.copyfile, dirs_exist_ok=True)


def publish_downloads(downloads: Downloads, site_dir: Path) -> None:
    """Copy each version's files beside the folder's page (index.html, which MkDocs has written)."""
    base = site_dir / DOWNLOADS_DIR
    base.mkdir(parents=True, exist_ok=True)
    _copy_tree(downloads.latest.folder, base / LATEST)
    for version in downloads.versions():
        _copy_tree(version.folder, base / version_folder(version.version))


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
