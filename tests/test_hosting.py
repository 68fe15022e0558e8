"""The hosting table (zjtx/hosting.py): every file of a built site gets its type and cache class; the shipped nginx
configuration is what `build.py nginx-config` prints from that table."""

from __future__ import annotations

import re

from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from zjtx import hosting

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "deploy" / "nginx" / "zjtx-register.conf"
UTF8 = "; charset=utf-8"

EXPECTED = {
    # path: (Content-Type, cache class)
    "index.html": ("text/html" + UTF8, "no-cache"),
    "enterprises/91120116MA07EXAMPN/index.html": ("text/html" + UTF8, "no-cache"),
    "404.html": ("text/html" + UTF8, "no-cache"),
    "downloads/0.1.0/index.html": ("text/html" + UTF8, "no-cache"),  # a page, though in a release's folder
    "downloads/0.1.0/register.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", hosting.IMMUTABLE),
    "downloads/0.1.0/register.sqlite": ("application/vnd.sqlite3", hosting.IMMUTABLE),
    "downloads/0.1.0/parquet/enterprises.parquet": ("application/vnd.apache.parquet", hosting.IMMUTABLE),
    "downloads/0.1.0/tianjin-zjtx-register-0.1.0.zip": ("application/zip", hosting.IMMUTABLE),
    "downloads/0.1.0/SHA256SUMS": ("text/plain" + UTF8, hosting.IMMUTABLE),
    "downloads/0.1.0/csv-bom/enterprises.csv": ("text/csv" + UTF8, hosting.IMMUTABLE),
    "downloads/latest/register.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "no-cache"),
    "downloads/latest/SHA256SUMS": ("text/plain" + UTF8, "no-cache"),
    "downloads/latest/data/enterprises.csv": ("text/csv" + UTF8, "no-cache"),
    "downloads/latest/policies/tj-zjtx-plan-2021.md": ("text/markdown" + UTF8, "no-cache"),
    "api/index.json": ("application/json" + UTF8, "no-cache"),
    "api/enterprises/91120116MA07EXAMPN.json": ("application/json" + UTF8, "no-cache"),
    "feed.xml": ("application/atom+xml" + UTF8, "no-cache"),
    "feeds/tiers/little_giant.xml": ("application/atom+xml" + UTF8, "no-cache"),
    "sitemap.xml": ("application/xml" + UTF8, "no-cache"),
    "sitemap.xml.gz": ("application/gzip", "no-cache"),
    "events.ics": ("text/calendar" + UTF8, "no-cache"),
    "robots.txt": ("text/plain" + UTF8, "no-cache"),
    "assets/stylesheets/main.57a0d79d.min.css": ("text/css" + UTF8, hosting.IMMUTABLE),
    "assets/javascripts/bundle.79ae519e.min.js": ("text/javascript" + UTF8, hosting.IMMUTABLE),
    "assets/javascripts/workers/search.2c215733.min.js": ("text/javascript" + UTF8, hosting.IMMUTABLE),
    "assets/zjtx/site.3f0c9a1be2.css": ("text/css" + UTF8, hosting.IMMUTABLE),
    "assets/zjtx/site.css": ("text/css" + UTF8, "no-cache"),  # not hashed: may change under its name
    "assets/zjtx/logo.svg": ("image/svg+xml" + UTF8, "no-cache"),
    "assets/images/favicon.png": ("image/png", "no-cache"),
    "assets/fonts/noto.woff2": ("font/woff2", "no-cache"),
    "pagefind/pagefind.js": ("text/javascript" + UTF8, "no-cache"),
    "pagefind/pagefind-entry.json": ("application/json" + UTF8, "no-cache"),
    "pagefind/pagefind.zh_69f9ff469f.pf_meta": ("application/octet-stream", hosting.IMMUTABLE),
    "pagefind/index/zh_f17b6e9.pf_index": ("application/octet-stream", hosting.IMMUTABLE),
    "pagefind/fragment/zh_12e1b86.pf_fragment": ("application/octet-stream", hosting.IMMUTABLE),
    "pagefind/wasm.unknown.pagefind": ("application/octet-stream", "no-cache"),
    "search-index/manifest.json": ("application/json" + UTF8, "no-cache"),
    "search-index/t/0.bin": ("application/octet-stream", "no-cache"),
}


@pytest.mark.parametrize("path", EXPECTED)
def test_each_kind_of_file_gets_its_type_and_cache_class(path):
    assert hosting.headers(path) == hosting.Headers(*EXPECTED[path])


def test_a_file_the_table_does_not_know_is_octet_stream_and_revalidated():
    assert not hosting.known_type("notes/readme.unknownext")
    assert hosting.headers("notes/readme.unknownext") == hosting.Headers("application/octet-stream", "no-cache")
    assert hosting.known_type("search-index/t/0.bin")  # octet-stream by intent


def test_dot_files_are_not_part_of_the_site():
    assert not hosting.published(".zjtx-site")
    assert not hosting.published("assets/.cache/x.css")
    assert hosting.published("downloads/latest/SHA256SUMS")


def test_text_types_say_utf8_and_are_compressed():
    for value in [*hosting.TYPES_BY_NAME.values(), *hosting.TYPES_BY_EXTENSION.values()]:
        text = value.startswith(("text/", "application/json", "application/xml", "application/atom+xml",
                                 "image/svg+xml"))
        assert value.endswith(UTF8) is text, value
        assert hosting.compressible(value) is text, value


@pytest.mark.slow
def test_every_file_of_a_built_site_has_a_type_and_the_right_cache_class(released_site):
    paths = sorted(path.relative_to(released_site).as_posix() for path in released_site.rglob("*") if path.is_file())
    published = [path for path in paths if hosting.published(path)]
    assert set(paths) - set(published) == {".zjtx-site"}
    assert [path for path in published if not hosting.known_type(path)] == []
    octet = {path.rpartition(".")[2] for path in published if hosting.content_type(path) == hosting.UNKNOWN_TYPE}
    assert octet <= {"bin", "pf_meta", "pf_index", "pf_fragment", "pagefind"}, octet
    immutable = {path for path in published if hosting.headers(path).cache_control == hosting.IMMUTABLE}
    for path in published:
        released = (path.startswith("downloads/") and not path.startswith("downloads/latest/")
                    and path.count("/") >= 2 and not path.endswith(".html"))
        hashed = path.startswith(("assets/stylesheets/", "pagefind/fragment/", "pagefind/index/")) \
            or (path.startswith("pagefind/pagefind.") and path.endswith(".pf_meta")) \
            or re.fullmatch(r"assets/(zjtx|search)/(?:[^/]+/)*[a-z-]+\.[0-9a-f]{10}\.(css|js)", path) is not None
        assert (path in immutable) is (released or hashed), path
    # The site has each kind the table names for it.
    kinds = {hosting.cache_rule(path)[0] for path in published}
    assert kinds == {"page", "released download", "hashed asset", "hashed search shard", "default"}
    assert any(path.endswith(".xlsx") for path in immutable) and any(path.endswith(".sqlite") for path in immutable)


def test_the_shipped_nginx_configuration_is_what_the_command_prints():
    result = CliRunner().invoke(build.cli, ["nginx-config", "--root", "/srv/zjtx/site", "--path", "/zjtx/"])
    assert result.exit_code == 0, result.output
    assert result.output == EXAMPLE.read_text(encoding="utf-8"), \
        "regenerate: python build.py nginx-config --root /srv/zjtx/site --path /zjtx/ > deploy/nginx/zjtx-register.conf"


def test_the_nginx_configuration_carries_every_rule_of_the_table():
    text = EXAMPLE.read_text(encoding="utf-8")
    for _, pattern, value in hosting.CACHE_RULES:
        assert f'"~^/zjtx/{pattern}$" "{value}";' in text
    for extension in hosting.TYPES_BY_EXTENSION:
        assert f" {extension}" in text
    assert "charset utf-8;" in text and "gzip on;" in text and "autoindex off;" in text
    assert "error_page 403 404 =404 /zjtx/404.html;" in text


@pytest.mark.parametrize("args, message", [
    (["--root", "site"], "--root site 须为绝对路径"),
    (["--root", "/srv/zjtx/site", "--path", "zjtx/"], "--path zjtx/ 须以 / 开头"),
    (["--root", "/srv/my site"], "会当作语法的字符"),
    (["--root", "/srv/zjtx/site", "--server-name", "a;b"], "会当作语法的字符"),
])
def test_nginx_config_refuses_values_nginx_would_misread(args, message):
    result = CliRunner().invoke(build.cli, ["nginx-config", *args])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
