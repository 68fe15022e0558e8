"""A site that fits its host: the build says what it weighs and, past GitHub Pages' 1 GB, what to do; released
versions' downloads can be served from another address (`build --downloads-url`, folders made by `releases`),
linked from /data/ and /changelog/, while downloads/latest/ stays in the site."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import build as cli
from conftest import SITE_AS_OF
from packages import make_good_package
from zjtx import storage
from zjtx.hosting import PAGES_LIMIT, SiteSize, host_advice, site_size

ELSEWHERE = "https://dl.example.org/zjtx/downloads"
GB = PAGES_LIMIT


def links(page: str) -> set[str]:
    """The href values of a page, whether or not the minifier kept the quotes."""
    return {m.group(1) or m.group(2) for m in re.finditer(r'href=(?:"([^"]*)"|([^\s>"]+))', page)}


def run(*args):
    return CliRunner().invoke(cli.cli, list(args))


def digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def linked_site(released_package, tmp_path_factory):
    out = tmp_path_factory.mktemp("linked") / "site"
    result = run("build", "--datapackage", str(released_package), "--out", str(out),
                 "--as-of", SITE_AS_OF.isoformat(), "--downloads-url", ELSEWHERE + "/")
    assert result.exit_code == 0, result.output
    return out, result.output


def test_a_site_linking_its_releases_elsewhere_keeps_latest_and_links_the_rest(linked_site, released_site):
    site, _ = linked_site
    assert (released_site / "downloads" / "0.1.0").is_dir()  # the full build holds the release
    assert not (site / "downloads" / "0.1.0").exists()
    latest, full_latest = digests(site / "downloads" / "latest"), digests(released_site / "downloads" / "latest")
    latest.pop("index.html"), full_latest.pop("index.html")  # the folder's page (this build's is minified)
    assert latest == full_latest
    data = (site / "data" / "index.html").read_text(encoding="utf-8")
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    for page in (data, changelog):
        assert f"{ELSEWHERE}/0.1.0/" in links(page)
        assert not [href for href in links(page) if "downloads/0.1.0" in href and not href.startswith(ELSEWHERE)]
    # Each released file is linked at the other address, latest's in the site.
    assert f"{ELSEWHERE}/0.1.0/SHA256SUMS" in links(data)
    assert links(data) & {"../downloads/latest/SHA256SUMS", "/downloads/latest/SHA256SUMS"}


def test_the_build_says_what_the_site_weighs(linked_site, released_site):
    site, output = linked_site
    size = site_size(site)
    assert f"网站 {size.files} 个文件" in output and f"{size.files} files" in output
    full = site_size(released_site)
    assert size.download_bytes < full.download_bytes
    assert size.site_bytes > 0 and size.bytes == size.site_bytes + size.download_bytes
    assert "GitHub Pages" not in output  # a small site fits


def test_release_folders_are_byte_for_byte_the_full_builds(released_package, released_site, tmp_path):
    out = tmp_path / "releases"
    result = run("releases", "--datapackage", str(released_package), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "downloads/0.1.0/" in result.output
    full = digests(released_site / "downloads" / "0.1.0")
    full.pop("index.html")  # the folder's page belongs to the site
    assert digests(out / "downloads" / "0.1.0") == full
    assert sorted(p.name for p in (out / "downloads").iterdir()) == ["0.1.0"]  # unreleased data are not a release
    # The folder can be published as it is: it carries the marker of a folder build.py made.
    assert {f.path for f in storage.site_files(out)} == {f"downloads/0.1.0/{path}" for path in full}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "https://", "https://a.org/x?y=1",
                                 'https://a.org/"><script>'])
def test_a_downloads_url_that_is_not_a_web_address_is_refused_before_building(tmp_path, url):
    good_package = make_good_package(tmp_path / "package")
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("old site", encoding="utf-8")
    result = run("build", "--datapackage", str(good_package), "--out", str(out), "--downloads-url", url)
    assert result.exit_code == 1
    assert "不是网址" in result.output and "is not a web address" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_site_over_one_gigabyte_meant_for_pages_is_told_how_to_fit():
    size = SiteSize(files=900_000, bytes=int(1.9 * GB), download_bytes=int(1.0 * GB))
    english, chinese = host_advice(size, "https://bureau.github.io/zjtx/")
    assert "1 GB" in english and "publish --to s3://" in english and "--downloads-url" in english
    assert "超过 GitHub Pages" in chinese and "--downloads-url" in chinese and "对象存储" in chinese
    assert host_advice(size, None) is not None  # no address: it may well be meant for Pages


def test_advice_names_only_the_fixes_that_would_work():
    pages_too_big = SiteSize(files=1, bytes=int(1.5 * GB), download_bytes=int(0.2 * GB))
    english, _ = host_advice(pages_too_big, "https://bureau.github.io/")
    assert "--downloads-url" not in english and "object storage" in english  # linking downloads would not suffice
    english, _ = host_advice(SiteSize(1, int(1.5 * GB), int(0.9 * GB)), None, downloads_elsewhere=True)
    assert "--downloads-url" not in english


@pytest.mark.parametrize("size, url", [
    (SiteSize(100, int(0.9 * GB), int(0.5 * GB)), "https://bureau.github.io/zjtx/"),  # fits Pages
    (SiteSize(100, int(3 * GB), int(2 * GB)), "https://gxj.tj.gov.cn/zjtx/"),  # its own host: no such limit
])
def test_a_site_that_fits_its_host_gets_no_advice(size, url):
    assert host_advice(size, url) is None
