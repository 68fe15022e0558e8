"""Byte-for-byte reproducible builds: the same package, as-of day, site address and code give the same bytes in
every file of the site, whatever the hash seed, the clock, the file system or the folder the build runs in.

A publisher compares checksums and uploads only what changed, and a reader can check that a published file is what
the data says: both need this. The second build runs with another PYTHONHASHSEED, a clock a year and more ahead
(libfaketime), from a clone of the repository on another file system (tmpfs lists folders in another order) and
with an export cache of its own, so that a release and the working tree are exported anew.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gitrepo import commit, git

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-24"
SITE_URL = "https://example.org/zjtx/"
FAKETIME = shutil.which("faketime")


def checksums(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def build(repo: Path, out: Path, cache: Path, seed: str, clock: list[str]) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "ZJTX_CACHE_DIR": str(cache)}
    env.pop("SOURCE_DATE_EPOCH", None)
    command = [*clock, sys.executable, str(ROOT / "build.py"), "build", "--datapackage", str(repo / "datapackage"),
               "--out", str(out), "--as-of", AS_OF, "--site-url", SITE_URL]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_two_builds_give_the_same_bytes_in_every_file(tmp_path):
    if FAKETIME is None:
        pytest.fail("faketime is missing: apt-get install -y faketime (make test installs it)")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    generated = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "demo-data", "--enterprises", "150", "--out",
         str(repo / "datapackage"), "--as-of", AS_OF], capture_output=True, text=True)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    commit(repo, "data")
    # A release, so that the downloads of a tagged version are exported by both builds too.
    git(repo, "tag", "-a", "data-v0.1.0", "-m", "first release")
    descriptor = repo / "datapackage" / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"version": "0.1.0"', '"version": "0.2.0"'),
                          encoding="utf-8")
    commit(repo, "next version")

    build(repo, tmp_path / "first" / "site", tmp_path / "cache-1", "1", [])
    # tmpfs orders a folder's entries unlike ext4; the clone's folder names differ from the first build's.
    other = Path(os.environ.get("ZJTX_OTHER_FS", "/dev/shm"))
    scratch = Path(tempfile.mkdtemp(prefix="zjtx-repro-", dir=other if other.is_dir() else tmp_path))
    try:
        clone = scratch / "another-clone"
        subprocess.run(["git", "clone", "--quiet", str(repo), str(clone)], check=True)
        build(clone, scratch / "out" / "site", scratch / "cache-2", "2", [FAKETIME, "-f", "+400d"])
        first, second = checksums(tmp_path / "first" / "site"), checksums(scratch / "out" / "site")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    differing = sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path))
    assert differing == [], f"{len(differing)} file(s) differ, e.g. {differing[:10]}"
    # The release and the working tree (latest/, unreleased) were both exported, and the test saw their files.
    assert any(path.startswith("downloads/0.1.0/") for path in first)
    assert any(path.startswith("downloads/latest/register") for path in first)
    assert not any(path.startswith("downloads/0.2.0/") for path in first)
    assert "sitemap.xml.gz" in first
