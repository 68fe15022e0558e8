"""Faults leave the last site and the data whole, and bad data is reported as validate reports it.

Whatever the renderer would trip over (an impossible date, an unknown tier or event), the build answers with the
validation report; a crash between the output folder's two renames is repaired by the next build, which never
deletes the last good site; a full, read-only or busy output is a bilingual message; two builds into different
folders share the export cache safely; the cache is never inside the repository and a tampered cached export is
made anew.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import build as cli_module
from gitrepo import commit, git
from packages import AS_OF, ROOT, add_row, build, make_good_package, read_table, set_cell
from zjtx.errors import BuildError, InvalidPackage
from zjtx.urls import SITE_MARKER


@pytest.fixture
def package(tmp_path):
    return make_good_package(tmp_path / "package")


def checksums(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


# Bad data: the validation report, never what the data broke --------------------------------------------------------

def _impossible_date(package):
    set_cell(package, "certifications", 2, "certified_on", "2025-02-30")
    return "data/certifications.csv", 2


def _unknown_tier(package):
    set_cell(package, "certifications", 2, "tier_id", "no_such_tier")
    return "data/certifications.csv", 2


def _unknown_event(package):
    uscc = read_table(package, "enterprises")[1][0]
    return "data/event_participants.csv", add_row(package, "event_participants", {"event_id": "no-such-event",
                                                                                  "uscc": uscc})


def _rank_not_a_number(package):
    set_cell(package, "tiers", 2, "rank", "x")
    return "data/tiers.csv", 2


@pytest.mark.slow
@pytest.mark.parametrize("break_it", [_impossible_date, _unknown_tier, _unknown_event, _rank_not_a_number],
                         ids=["impossible date", "unknown tier", "unknown event", "rank not a number"])
def test_build_answers_bad_data_with_the_validation_report(package, tmp_path, break_it):
    file, line = break_it(package)
    with pytest.raises(InvalidPackage) as raised:
        build(package, tmp_path / "site", AS_OF)
    assert any(p.severity == "error" and p.file == file and p.row == line for p in raised.value.problems), \
        [(p.file, p.row, p.code) for p in raised.value.problems]
    assert not (tmp_path / "site").exists()
    result = CliRunner().invoke(cli_module.cli, ["build", "--datapackage", str(package), "--out",
                                                 str(tmp_path / "site"), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and f"{file}" in result.output and "网站未生成" in result.output


@pytest.mark.slow
def test_serve_reports_bad_data_and_keeps_serving_until_it_is_fixed(package, tmp_path):
    """The preview survives a first build that fails: it says why, and rebuilds when the file is saved again."""
    good = (package / "data" / "certifications.csv").read_bytes()
    set_cell(package, "certifications", 2, "certified_on", "2025-02-30")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--datapackage", str(package), "--out",
         str(tmp_path / "site"), "--as-of", AS_OF.isoformat(), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        seen = []
        for line in server.stdout:
            seen.append(line)
            if "改正后保存文件即可重新生成" in line:
                (package / "data" / "certifications.csv").write_bytes(good)
            if "已生成" in line:
                break
        output = "".join(seen)
        assert "2025-02-30" in output and "Traceback" not in output
        assert "已生成" in output and server.poll() is None
        assert (tmp_path / "site" / "index.html").is_file()
    finally:
        server.terminate()
        server.wait(timeout=30)


# The output folder ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_crash_between_the_two_renames_is_repaired_and_the_last_site_kept(package, tmp_path, monkeypatch):
    """Killed after the old site was moved aside and before the new one took its place: the next build, even
    one that fails, puts the old site back first and never deletes it."""
    out = tmp_path / "site"
    build(package, out, AS_OF)
    before = checksums(out)
    os.rename(out, tmp_path / ".site.old-123-456")  # as a killed swap leaves it
    set_cell(package, "certifications", 2, "certified_on", "2025-02-30")
    with pytest.raises(InvalidPackage):
        build(package, out, AS_OF)
    assert checksums(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "site"]


@pytest.mark.slow
def test_the_swap_without_an_atomic_exchange_restores_the_old_site_on_failure(package, tmp_path, monkeypatch):
    from zjtx.build import output

    out = tmp_path / "site"
    build(package, out, AS_OF)
    before = checksums(out)
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    real_rename = os.rename

    def second_rename_fails(source, target):
        if Path(source).name.startswith(".site.new-site-"):
            raise OSError(errno.EIO, "input/output error", str(target))
        return real_rename(source, target)

    monkeypatch.setattr(output.os, "rename", second_rename_fails)
    with pytest.raises(OSError):
        build(package, out, AS_OF)
    assert checksums(out) == before


@pytest.mark.slow
@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "磁盘已满"), (errno.EROFS, "只读"), (errno.EBUSY, "占用")])
def test_a_full_read_only_or_busy_output_is_a_message_and_the_last_site_stays(package, tmp_path, monkeypatch, code,
                                                                             words):
    import zjtx.build

    out = tmp_path / "site"
    build(package, out, AS_OF)
    before = checksums(out)

    def fails(new, old):
        raise OSError(code, os.strerror(code), str(old))

    monkeypatch.setattr(zjtx.build.output, "replace_dir", fails)
    with pytest.raises(BuildError) as raised:
        build(package, out, AS_OF)
    assert words in raised.value.message_zh and "unchanged" in raised.value.message_en
    assert checksums(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "site"]


def test_an_output_that_is_a_mount_point_is_refused_before_any_work(package, tmp_path, monkeypatch):
    from zjtx.build import output

    out = tmp_path / "site"
    out.mkdir()
    monkeypatch.setattr(output.os.path, "ismount", lambda path: Path(path) == out)
    with pytest.raises(BuildError) as raised:
        build(package, out, AS_OF)
    assert "挂载点" in raised.value.message_zh and "mount point" in raised.value.message_en


# The export cache -------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_two_builds_at_once_share_the_export_cache_and_both_succeed(package, tmp_path):
    env = {**os.environ, "ZJTX_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, str(ROOT / "build.py"), "build", "--datapackage", str(package), "--as-of",
               AS_OF.isoformat(), "--out"]
    for round_ in range(2):  # an empty cache, then a cache the builds find and prune
        builds = [subprocess.Popen([*command, str(tmp_path / f"site-{round_}-{n}")], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for n in range(2)]
        outputs = [process.communicate(timeout=300)[0] for process in builds]
        assert [process.returncode for process in builds] == [0, 0], outputs
        assert checksums(tmp_path / f"site-{round_}-0") == checksums(tmp_path / f"site-{round_}-1")


def test_a_cache_inside_the_repository_is_refused(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    package = make_good_package(repo / "datapackage")
    commit(repo, "data")
    monkeypatch.setenv("ZJTX_CACHE_DIR", str(repo / "build" / "cache"))
    with pytest.raises(BuildError) as raised:
        build(package, tmp_path / "site", AS_OF)
    assert "inside the repository" in raised.value.message_en and "仓库" in raised.value.message_zh


@pytest.mark.slow
def test_a_committed_or_tampered_cache_is_never_published(tmp_path, monkeypatch):
    """A pull request that adds a crafted export under the old cache folder changes nothing, and a cached export
    whose file no longer matches its checksums, or whose data is not the tag's, is made anew."""
    from zjtx.export.releases import cache_root

    repo = tmp_path / "repo"
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    package = make_good_package(repo / "datapackage")
    commit(repo, "data")
    git(repo, "tag", "-a", "data-v0.1.0", "-m", "release")
    crafted = repo / "build" / "cache" / "downloads" / "releases" / "x" / "files" / "csv-bom" / "enterprises.csv"
    crafted.parent.mkdir(parents=True)
    crafted.write_text('=HYPERLINK("http://evil.example","x")\n', encoding="utf-8")
    monkeypatch.setenv("ZJTX_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "site"
    build(package, out, AS_OF)
    honest = checksums(out)
    assert "HYPERLINK" not in (out / "downloads" / "0.1.0" / "csv-bom" / "enterprises.csv").read_text("utf-8-sig")

    release = next((cache_root() / "releases").iterdir()) / "files"
    bom = release / "csv-bom" / "enterprises.csv"
    bom.write_bytes(bom.read_bytes() + b'=HYPERLINK("http://evil.example","x")\r\n')  # checksums left as they were
    build(package, out, AS_OF)
    assert checksums(out) == honest

    data = release / "data" / "enterprises.csv"
    data.write_bytes(data.read_bytes().replace(b"\n", b"\r\n"))
    sums = {path: digest for path, digest in (line.split("  ") for line in
                                             (release / "SHA256SUMS").read_text().splitlines())}
    sums["data/enterprises.csv"] = hashlib.sha256(data.read_bytes()).hexdigest()  # checksums recomputed
    (release / "SHA256SUMS").write_text("".join(f"{d}  {p}\n" for p, d in sums.items()))
    build(package, out, AS_OF)
    assert checksums(out) == honest
    assert json.loads((out / SITE_MARKER).read_text())["version"] == "0.1.0"
