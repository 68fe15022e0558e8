"""Addresses: the site's paths built from ids, and which addresses from the data may become links.

Ids become folder and file names (`enterprises/<uscc>/`, `api/announcements/<id>.json`): validation keeps them to
SAFE_SEGMENT, and `segment` guards the file system anyway. Only web addresses from the data are ever linked.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import BuildError

SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
# Written into every site a build makes: only such a folder (or an empty one) may be replaced, or published.
SITE_MARKER = ".zjtx-site"


def segment(value: str) -> str:
    """An identifier used as a folder or file name; validation guarantees the pattern, this guards the file system."""
    if not SAFE_SEGMENT.fullmatch(value):
        raise BuildError(f"{value!r} cannot be part of a page address", f"{value!r} 不能用作页面地址")
    return value


def is_web_url(url: str) -> bool:
    """Whether an address from the data may become a link: http and https only."""
    return url.startswith(("https://", "http://"))


# Downloads: /downloads/latest/ and one folder per version.
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


def downloads_address(url: str) -> str:
    """An address that serves release folders (`<URL>/<version>/<file>`), checked before a build links to it."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment \
            or re.search(r"[\s\"'<>\\]", url):
        raise BuildError(
            f"--downloads-url {url!r} is not a web address: give the https:// address under which each release's "
            "folder is served, e.g. https://downloads.example.org/zjtx/downloads",
            f"--downloads-url {url!r} 不是网址：请给出存放各发布版本文件夹的 https:// 地址，"
            "例如 https://downloads.example.org/zjtx/downloads",
        )
    return url.rstrip("/")


def download_url(version: str | None = None) -> str:
    """The folder of a version (or of latest), relative to the site root."""
    return f"{DOWNLOADS_DIR}/{version_folder(version) if version else LATEST}/"
