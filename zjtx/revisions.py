"""The package as it stood at a git revision: releases (tags `data-vX.Y.Z`), a pull request's base, any ref.

Commands that compare or publish versions (diff, check-scope, the downloads of every release) read an old
package by extracting its folder from git into a temporary directory; the working tree is never touched.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from . import load
from .errors import PackageError

RELEASE_TAG = re.compile(r"^data-v(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Release:
    tag: str
    version: str
    commit: str

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return tuple(int(part) for part in RELEASE_TAG.match(self.tag).groups())


def _git(repo: Path, *args: str, binary: bool = False):
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
    except FileNotFoundError as error:
        raise PackageError("git is not installed: install git to compare or publish versions",
                           "未安装 git：比较或发布版本需要 git") from error
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode("utf-8", "replace").strip()
        raise PackageError(f"git {' '.join(args)} failed: {message}", f"git {' '.join(args)} 失败：{message}") from error
    return result.stdout if binary else result.stdout.decode("utf-8")


def repository_of(path: Path) -> tuple[Path, Path]:
    """The top of the git work tree holding `path`, and `path` relative to it."""
    path = Path(path).resolve()
    folder = path if path.is_dir() else path.parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    return top, path.relative_to(top)


def is_revision(repo: Path, ref: str) -> bool:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except PackageError:
        return False
    return True


def releases(repo: Path) -> list[Release]:
    """Every release tag of the repository, oldest first. A shallow clone without tags has none."""
    try:
        lines = _git(repo, "tag", "--list", "data-v*", "--format=%(refname:short) %(objectname) %(*objectname)")
    except PackageError:
        return []
    found = []
    for line in lines.splitlines():
        parts = line.split()
        if not parts or not RELEASE_TAG.match(parts[0]):
            continue
        commit = parts[2] if len(parts) > 2 else parts[1]  # an annotated tag points at its commit through *objectname
        found.append(Release(parts[0], parts[0].removeprefix("data-v"), commit))
    return sorted(found, key=lambda release: release.sort_key)


def file_at(ref: str, relative: str, package_dir: Path = load.DEFAULT_PACKAGE) -> bytes | None:
    """A file of the repository holding `package_dir` as it was at `ref` (path from the top of the work tree),
    or None when the file did not exist there. Rules that a change must not rewrite for itself (who may edit
    which district) are read this way, from the base of the change."""
    repo, _ = repository_of(package_dir)
    if not is_revision(repo, ref):
        raise PackageError(f"{ref!r} is not a git revision of {repo}", f"{ref!r} 不是 {repo} 中的 git 版本")
    try:
        return _git(repo, "show", f"{ref}:{relative}", binary=True)
    except PackageError:
        return None


@contextlib.contextmanager
def package_at(ref: str, package_dir: Path = load.DEFAULT_PACKAGE) -> Iterator[Path]:
    """A temporary copy of the package folder as it was at `ref` (a commit, tag or branch)."""
    repo, relative = repository_of(package_dir)
    if not is_revision(repo, ref):
        raise PackageError(
            f"{ref!r} is neither a folder nor a git revision of {repo}: give a path, a branch, a tag or a commit "
            "(in a shallow CI checkout, fetch it first: git fetch --tags --depth=1 origin REF)",
            f"{ref!r} 既不是文件夹，也不是 {repo} 中的 git 版本：请给出路径、分支、标签或提交"
            "（CI 浅克隆时先 git fetch 该版本）",
        )
    archive = _git(repo, "archive", "--format=tar", ref, "--", relative.as_posix(), binary=True)
    with tempfile.TemporaryDirectory(prefix="zjtx-rev-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        yield Path(scratch) / relative


@contextlib.contextmanager
def resolve(spec: str | Path, package_dir: Path = load.DEFAULT_PACKAGE) -> Iterator[Path]:
    """A package given as a folder, a datapackage.json, or a git revision of `package_dir`'s repository."""
    path = Path(spec)
    if path.exists():
        yield load.package_dir_of(path)
        return
    with package_at(str(spec), package_dir) as folder:
        yield folder


def commit_day(repo: Path, ref: str) -> date:
    """The day a commit was made (committer date): a release's date, the same in every clone."""
    return date.fromisoformat(_git(repo, "show", "-s", "--format=%cs", f"{ref}^{{commit}}").strip())


def exists_at(ref: str, package_dir: Path = load.DEFAULT_PACKAGE) -> bool:
    """Whether the package folder (its datapackage.json) is part of the tree at `ref`: a package generated into an
    ignored folder of the repository (build/demo/) has no history."""
    repo, relative = repository_of(package_dir)
    try:
        _git(repo, "cat-file", "-e", f"{ref}:{(relative / load.DESCRIPTOR_NAME).as_posix()}")
    except PackageError:
        return False
    return True
