"""How a host serves each file of a built site: its Content-Type and Cache-Control, decided here for every target.

The object-storage publisher (zjtx.storage) sets these headers on every object it uploads; the nginx server block
(zjtx.nginx) is generated from the same tables, so a file is served alike wherever the site is published.

- Content-Type comes from the file's name: a few exact names first (a file without an extension, the sitemap among
  the Atom feeds), then the extension. Text is always UTF-8 and says so. A file the tables do not know is sent as
  application/octet-stream; tests/test_hosting.py checks that no file of a built site is, but the search indexes'
  binary shards, which are meant to be.
- Cache-Control comes from the file's path, the first matching rule deciding: files that never change under their
  name (released downloads, content-hashed assets and index shards) may be kept for a year; everything else, pages,
  `downloads/latest/`, API files, feeds, the sitemap and the search manifests, is revalidated on every use (the
  host's ETag or Last-Modified makes that a 304 when nothing changed).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
UTF8 = "; charset=utf-8"
UNKNOWN_TYPE = "application/octet-stream"

# Exact file names, looked up before the extension.
TYPES_BY_NAME: dict[str, str] = {
    "SHA256SUMS": "text/plain" + UTF8,
    "sitemap.xml": "application/xml" + UTF8,  # every other .xml of the site is an Atom feed
}

TYPES_BY_EXTENSION: dict[str, str] = {
    # text
    "html": "text/html" + UTF8,
    "css": "text/css" + UTF8,
    "js": "text/javascript" + UTF8,  # RFC 9239
    "mjs": "text/javascript" + UTF8,
    "json": "application/json" + UTF8,
    "map": "application/json" + UTF8,
    "csv": "text/csv" + UTF8,  # csv-bom/ files are UTF-8 too, with a byte-order mark for Excel
    "xml": "application/atom+xml" + UTF8,  # feed.xml and the per-tier and per-district feeds
    "ics": "text/calendar" + UTF8,
    "txt": "text/plain" + UTF8,
    "md": "text/markdown" + UTF8,
    "svg": "image/svg+xml" + UTF8,
    # downloads
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sqlite": "application/vnd.sqlite3",
    "parquet": "application/vnd.apache.parquet",
    "zip": "application/zip",
    "gz": "application/gzip",  # sitemap.xml.gz: a file of its own, not a compressed sitemap.xml
    "pdf": "application/pdf",
    # search indexes: binary shards read by the site's scripts, so octet-stream is meant. Pagefind compresses its
    # files itself and decompresses them in the browser, so no host may add a Content-Encoding to them.
    "bin": UNKNOWN_TYPE,
    "pf_meta": UNKNOWN_TYPE,
    "pf_index": UNKNOWN_TYPE,
    "pf_fragment": UNKNOWN_TYPE,
    "pagefind": UNKNOWN_TYPE,  # Pagefind's WebAssembly, compressed (wasm.<language>.pagefind)
    "wasm": "application/wasm",
    # fonts and images
    "woff2": "font/woff2",
    "woff": "font/woff",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "ico": "image/x-icon",
}

# Which types the sender compresses (gzip): text, and nothing that is compressed already.
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/atom+xml", "image/svg+xml")

# (rule, regular expression over the path relative to the site root, Cache-Control); the first match wins and a
# path no rule matches is revalidated. Written in the syntax Python and nginx's PCRE share.
CACHE_RULES: list[tuple[str, str, str]] = [
    # A release's download page carries the site's menu and styles, which change with the site.
    ("page", r".*\.html", REVALIDATE),
    ("released download", r"downloads/(?!latest/)[^/]+/.+", IMMUTABLE),
    # MkDocs Material's assets/stylesheets/main.<hex>.min.css, assets/javascripts/bundle.<hex>.min.js, and the
    # site's own assets once named assets/<folder>/<name>.<hex>.<ext>.
    ("hashed asset", r"assets/(?:[^/]+/)+[^/]+\.[0-9a-f]{8,}(?:\.min)?\.[a-z0-9]+", IMMUTABLE),
    # Pagefind names its index, fragments and metadata by their content; pagefind-entry.json points at them.
    ("hashed search shard", r"pagefind/(?:fragment|index)/[^/]+_[0-9a-f]{7,}\.pf_(?:fragment|index)", IMMUTABLE),
    ("hashed search shard", r"pagefind/pagefind\.[^/]+_[0-9a-f]{7,}\.pf_meta", IMMUTABLE),
]
_CACHE = [(name, re.compile(pattern), value) for name, pattern, value in CACHE_RULES]


@dataclass(frozen=True)
class Headers:
    content_type: str
    cache_control: str


def published(path: str) -> bool:
    """Whether a file of the site folder is part of the site: names beginning with a dot (the build's marker
    .zjtx-site, lock and scratch files) are not, and no host serves them."""
    return not any(part.startswith(".") for part in PurePosixPath(path).parts)


def content_type(path: str) -> str:
    name = PurePosixPath(path).name
    if name in TYPES_BY_NAME:
        return TYPES_BY_NAME[name]
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return TYPES_BY_EXTENSION.get(extension, UNKNOWN_TYPE)


def known_type(path: str) -> bool:
    """Whether the tables name this file's type (octet-stream included where it is meant)."""
    name = PurePosixPath(path).name
    return name in TYPES_BY_NAME or ("." in name and name.rpartition(".")[2].lower() in TYPES_BY_EXTENSION)


def cache_rule(path: str) -> tuple[str, str]:
    """The name of the rule that decides the path's Cache-Control ("default" when none matches), and its value."""
    return next(((name, value) for name, pattern, value in _CACHE if pattern.fullmatch(path)), ("default", REVALIDATE))


def headers(path: str) -> Headers:
    """The headers of the file at `path`, relative to the site root with `/` between folders."""
    return Headers(content_type(path), cache_rule(path)[1])


def compressible(content_type_value: str) -> bool:
    return content_type_value.startswith(COMPRESSIBLE)


# What a host takes: GitHub Pages publishes a site of at most 1 GB (GitHub's documented limit).
PAGES_LIMIT = 1_000_000_000
PAGES_HOSTS = (".github.io",)


@dataclass(frozen=True)
class SiteSize:
    files: int
    bytes: int
    download_bytes: int  # under downloads/: the part a site may serve from elsewhere (build --downloads-url)

    @property
    def site_bytes(self) -> int:
        """Pages, API files, search index, feeds and assets: everything but the downloads."""
        return self.bytes - self.download_bytes


def site_size(site_dir) -> SiteSize:
    """The files and bytes a host would serve from a built site (zjtx.hosting.published)."""
    files = total = downloads = 0
    stack = [str(site_dir)]
    root_length = len(str(site_dir)) + 1
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                files += 1
                total += size
                if entry.path[root_length:].startswith("downloads/"):
                    downloads += size
    return SiteSize(files, total, downloads)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"


def meant_for_pages(site_url: str | None) -> bool:
    """Whether the site's address is GitHub Pages' (a build without an address may be meant for it too)."""
    host = urlsplit(site_url or "").hostname or ""
    return not site_url or host.endswith(PAGES_HOSTS)


def host_advice(size: SiteSize, site_url: str | None, downloads_elsewhere: bool = False) -> tuple[str, str] | None:
    """(English, Chinese) advice when a site meant for GitHub Pages passes its 1 GB; None when it fits."""
    if size.bytes <= PAGES_LIMIT or not meant_for_pages(site_url):
        return None
    fixes_en = ["publish it to object storage or your own nginx, which have no such limit "
                "(`python build.py publish --to s3://BUCKET/PREFIX`, or `python build.py nginx-config`)"]
    fixes_zh = ["发布到对象存储或自己的 nginx，它们没有这一限制（python build.py publish --to s3://BUCKET/PREFIX，"
                "或 python build.py nginx-config）"]
    if not downloads_elsewhere and size.site_bytes <= PAGES_LIMIT:
        fixes_en.append("or serve the released versions' downloads from another address and link them from /data/ "
                        "(`python build.py build --downloads-url URL`)")
        fixes_zh.append("或把已发布版本的下载文件放在另一个地址，由“数据与下载”页链接过去（python build.py build "
                        "--downloads-url 网址）")
    return (
        f"the site is {megabytes(size.bytes)} ({megabytes(size.site_bytes)} of pages, API and search, "
        f"{megabytes(size.download_bytes)} of downloads): more than GitHub Pages publishes (1 GB). "
        + " ".join(fixes_en),
        f"网站共 {megabytes(size.bytes)}（页面、接口与搜索 {megabytes(size.site_bytes)}，下载文件 "
        f"{megabytes(size.download_bytes)}），超过 GitHub Pages 可发布的 1 GB。请" + "；".join(fixes_zh),
    )
