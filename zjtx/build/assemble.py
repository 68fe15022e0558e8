"""Put the finished parts into the new site: the download folders of every version, and the files the exports'
process wrote beside the site (API, page tables, search index, feeds). All of them move in by renames: the
downloads are the build's own copies of the cached exports (zjtx.export.releases.prepare_downloads).

Steps that post-process a built site (minifiers) must leave /downloads/ alone: its checksums are published.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import BuildError
from ..export.releases import Downloads
from ..urls import DOWNLOADS_DIR, LATEST, version_folder


def publish_downloads(downloads: Downloads, site_dir: Path, releases: bool = True) -> None:
    """Move latest/ and, unless they are served from elsewhere (`releases=False`), each release's files beside
    the folder's page (index.html, which MkDocs has written). Unreleased data is offered under latest/ only."""
    base = site_dir / DOWNLOADS_DIR
    base.mkdir(parents=True, exist_ok=True)
    latest = downloads.latest.folder
    if downloads.latest.released and releases:
        # latest is also a release's folder: that release gets a copy (the two may diverge by a later release).
        shutil.copytree(latest, base / version_folder(downloads.latest.version), copy_function=shutil.copyfile,
                        dirs_exist_ok=True)
    move(latest, base / LATEST)
    for version in downloads.releases if releases else []:
        if version.folder != latest:
            move(version.folder, base / version_folder(version.version))


def move(source: Path, target: Path) -> None:
    """Move a folder to `target`, into it where it exists already (a folder MkDocs wrote a page into)."""
    if target.exists():
        move_into(source, target)
    else:
        os.rename(source, target)


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
