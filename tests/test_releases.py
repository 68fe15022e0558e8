"""Releases: every data-vX.Y.Z tag is exported once, byte-identical across builds; a released version is frozen;
the changelog and the feed list the releases."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from packages import AS_OF, edit_descriptor, make_good_package, set_cell, view_of, read_table
from zjtx.errors import BuildError
from zjtx.export.archive import SUMS
from zjtx.export.releases import CACHE_ENV, prepare_downloads

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(repo: Path, *args: str, day: str = "2025-01-10") -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"{day}T12:00:00+08:00",
           "GIT_COMMITTER_DATE": f"{day}T12:00:00+08:00"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def release(repo: Path, version: str, day: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Data {version}", day=day)
    git(repo, "tag", "-a", f"data-v{version}", "-m", f"release {version}", day=day)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A repository with two releases: 0.1.0, then 0.2.0 with a corrected name and a newer summary."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    package = make_good_package(repo / "datapackage")
    release(repo, "0.1.0", "2025-03-01")
    set_cell(package, "enterprises", 2, "summary", "更正后的简介")
    edit_descriptor(package, lambda d: d.update(version="0.2.0"))
    release(repo, "0.2.0", "2025-06-01")
    return repo


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def sums(folder: Path) -> bytes:
    return (folder / SUMS).read_bytes()


def test_every_release_is_exported_the_same_in_every_build(repo, tmp_path, monkeypatch):
    package = repo / "datapackage"
    builds = []
    for number, as_of in enumerate((AS_OF, date(2025, 12, 31))):
        monkeypatch.setenv(CACHE_ENV, str(tmp_path / f"cache-{number}"))  # no cache shared: made twice
        builds.append(prepare_downloads(view_of(package, as_of)))
    first, second = builds
    assert [r.version for r in first.releases] == ["0.2.0", "0.1.0"]
    assert [r.day for r in first.releases] == [date(2025, 6, 1), date(2025, 3, 1)]
    for a, b in zip(first.releases, second.releases):
        files = sorted(p.relative_to(a.folder) for p in a.folder.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(b.folder) for p in b.folder.rglob("*") if p.is_file())
        for name in files:
            assert (a.folder / name).read_bytes() == (b.folder / name).read_bytes(), name
    # The working tree carries the released 0.2.0 unchanged: latest is that release's files.
    assert first.latest.released and first.latest.version == "0.2.0"
    assert first.releases[0].summary == "信息更正 1 处" and first.releases[0].since == "0.1.0"


def test_a_cached_release_is_not_exported_again(repo, cache):
    package = repo / "datapackage"
    first = prepare_downloads(view_of(package, AS_OF))
    marker = first.releases[1].folder / SUMS
    stamp = marker.stat().st_mtime_ns
    again = prepare_downloads(view_of(package, AS_OF))
    assert again.releases[1].folder == first.releases[1].folder
    assert marker.stat().st_mtime_ns == stamp


def test_a_released_version_is_frozen(repo, tmp_path, cache):
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(repo), str(work)], check=True, capture_output=True)
    package = work / "datapackage"
    set_cell(package, "enterprises", 3, "summary", "未发布的修改")
    with pytest.raises(BuildError) as error:
        prepare_downloads(view_of(package, AS_OF))
    assert "0.2.0" in error.value.message_en and "Raise \"version\"" in error.value.message_en
    assert "提高" in error.value.message_zh
    result = CliRunner().invoke(build.cli, ["build", "--datapackage", str(package), "--out",
                                            str(tmp_path / "site"), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1, result.output
    assert "已经发布" in result.output and "is released" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()
    # Raising the version makes the same data a new, unreleased version, compared with the last release.
    edit_descriptor(package, lambda d: d.update(version="0.2.1"))
    downloads = prepare_downloads(view_of(package, AS_OF))
    assert not downloads.latest.released and downloads.latest.version == "0.2.1"
    assert downloads.latest.since == "0.2.0" and downloads.latest.summary == "信息更正 1 处"
    assert [v.version for v in downloads.versions()] == ["0.2.1", "0.2.0", "0.1.0"]


def test_a_checkout_without_tags_offers_the_working_tree_only(tmp_path, cache):
    package = make_good_package(tmp_path / "package")  # not in a git repository at all
    downloads = prepare_downloads(view_of(package, AS_OF))
    assert downloads.releases == [] and not downloads.latest.released
    assert downloads.latest.day == AS_OF


@pytest.mark.slow
def test_the_site_offers_every_release_with_changelog_and_feed(repo, tmp_path, monkeypatch):
    from packages import build

    sites = []
    for number, as_of in enumerate((AS_OF, date(2025, 12, 31))):
        monkeypatch.setenv(CACHE_ENV, str(tmp_path / f"cache-{number}"))  # the second build exports again
        sites.append(build(repo / "datapackage", tmp_path / f"site-{number}", as_of).out_dir)
    for version in ("0.1.0", "0.2.0"):
        first, second = (s / "downloads" / version for s in sites)
        files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.name != "index.html")
        assert files == sorted(p.relative_to(second) for p in second.rglob("*")
                               if p.is_file() and p.name != "index.html")
        assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files), version
    site = sites[0]
    downloads = site / "downloads"
    assert sorted(p.name for p in downloads.iterdir()) == ["0.1.0", "0.2.0", "latest"]
    assert sums(downloads / "latest") == sums(downloads / "0.2.0") != sums(downloads / "0.1.0")
    assert (downloads / "0.1.0" / "tianjin-zjtx-register-0.1.0.zip").exists()
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert changelog.index('id="v0.2.0"') < changelog.index('id="v0.1.0"')
    assert "与版本 0.1.0 相比：信息更正 1 处" in changelog
    data = (site / "data" / "index.html").read_text(encoding="utf-8")
    for version in ("0.1.0", "0.2.0"):
        digest = __import__("hashlib").sha256((downloads / version / "register.xlsx").read_bytes()).hexdigest()
        assert digest in data
    atom = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall("a:entry", atom)
    titles = [e.findtext("a:title", namespaces=atom) for e in entries]
    assert "数据发布 0.2.0" in titles and "数据发布 0.1.0" in titles
    days = [e.findtext("a:updated", namespaces=atom) for e in entries]
    assert days == sorted(days, reverse=True)
    assert feed.findtext("a:updated", namespaces=atom) == days[0]
    for entry in entries:
        link = entry.find("a:link", atom).get("href").partition("#")[0]
        assert (site / link / "index.html").exists(), link
    listing = (downloads / "0.1.0" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/0.1.0/register.sqlite"' in listing
    assert "index.html" not in (downloads / "0.1.0" / SUMS).read_text()


def test_a_release_that_cannot_be_exported_is_named(tmp_path, cache):
    repo = tmp_path / "repo"
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    package = make_good_package(repo / "datapackage")
    year = read_table(package, "targets")[1][1]
    set_cell(package, "targets", 2, "year", "二〇二五")  # a release made before validation caught this
    release(repo, "0.1.0", "2025-03-01")
    set_cell(package, "targets", 2, "year", year)  # corrected since
    with pytest.raises(BuildError) as error:
        prepare_downloads(view_of(package, AS_OF))
    assert "release data-v0.1.0 cannot be exported" in error.value.message_en
    assert "data/targets.csv line 2, field year" in error.value.message_en
    assert "发布版本 data-v0.1.0 无法导出" in error.value.message_zh


def test_a_package_outside_the_tagged_history_has_no_releases(repo, tmp_path, cache):
    """A package generated into an ignored folder of the repository (build/demo/) is not the released one."""
    package = make_good_package(repo / "build" / "demo")
    try:
        downloads = prepare_downloads(view_of(package, AS_OF))
    finally:
        shutil.rmtree(repo / "build")
    assert downloads.releases == [] and downloads.latest.version == "0.1.0" and not downloads.latest.released


def test_the_changelog_names_every_figure_in_words(tmp_path):
    """Every figure zjtx.changes counts (enterprises_renamed included) is shown by its words, never its key."""
    from zjtx.labels import CHANGE_WORDS, COUNT_PHRASES
    from zjtx.pages.downloads import count_label

    view = view_of(make_good_package(tmp_path / "package"), AS_OF)
    keys = [*COUNT_PHRASES, *(f"{kind}:{tier}" for kind in CHANGE_WORDS for tier in view.tiers)]
    for key in keys:
        words = count_label(view, key)
        assert words != key and not any(c.isascii() and c.isalpha() for c in words), (key, words)
    assert count_label(view, "enterprises_renamed") == "企业更名（家）"
