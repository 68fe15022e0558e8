"""The package as it stood at a git revision: releases (tags `data-vX.Y.Z`), a pull request's base, any ref.

Commands that compare or publish versions (diff, check-scope, the downloads of every release) read an old
package by extracting its folder from git into a temporary directory; the working tree is never touched.
check-scope also reads a pull request's commit this way, as data: its files are listed and read from git's
objects (`git diff-tree`, `git cat-file`), never checked out, and nothing of it runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from collections.abc import Iterator

from .package import DEFAULT_PACKAGE, DESCRIPTOR_NAME, package_dir_of
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


def _run(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                              env={**os.environ, **env} if env else None)
    except FileNotFoundError as error:
        raise PackageError("git is not installed: install git to compare or publish versions",
                           "未安装 git：比较或发布版本需要 git") from error


def _git(repo: Path, *args: str, binary: bool = False, env: dict[str, str] | None = None):
    result = _run(repo, *args, env=env)
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise PackageError(f"git {' '.join(args)} failed: {message}", f"git {' '.join(args)} 失败：{message}")
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


def file_at(ref: str, relative: str, package_dir: Path = DEFAULT_PACKAGE) -> bytes | None:
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
def package_at(ref: str, package_dir: Path = DEFAULT_PACKAGE) -> Iterator[Path]:
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
            try:
                tar.extractall(scratch, filter="data")
            except tarfile.FilterError as error:
                # A link that leads out of the package (or an absolute one) is never extracted, nor published.
                member = getattr(error, "tarinfo", None)
                name = member.name if member is not None else "?"
                raise PackageError(
                    f"{name} at {ref} is a link that leads outside the package ({error}): remove it and commit, "
                    "then release the corrected data under a new version",
                    f"{ref} 中的 {name} 是指向数据包之外的链接（{error}）：请删除它并提交，再以新版本号发布改正后的数据",
                ) from None
        yield Path(scratch) / relative


def files_at(ref: str, package_dir: Path) -> dict[str, tuple[str, str]]:
    """The package's files as git holds them at `ref`: path inside the package -> (mode, blob id)."""
    repo, relative = repository_of(package_dir)
    output = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref, "--", relative.as_posix(), binary=True)
    files = {}
    for entry in output.decode("utf-8", "replace").split("\0"):
        if entry:
            header, _, path = entry.partition("\t")
            mode, _, object_id = header.split(" ")
            files[PurePosixPath(path).relative_to(relative.as_posix()).as_posix()] = (mode, object_id)
    return files


def blob_id(data: bytes) -> str:
    """The id git gives a file of these bytes (`git hash-object`), to compare a file with the one a commit holds."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@contextlib.contextmanager
def resolve(spec: str | Path, package_dir: Path = DEFAULT_PACKAGE) -> Iterator[Path]:
    """A package given as a folder, a datapackage.json, or a git revision of `package_dir`'s repository."""
    path = Path(spec)
    if path.exists():
        yield package_dir_of(path)
        return
    with package_at(str(spec), package_dir) as folder:
        yield folder


def commit_day(repo: Path, ref: str) -> date:
    """The day a commit was made (committer date): a release's date, the same in every clone."""
    return date.fromisoformat(_git(repo, "show", "-s", "--format=%cs", f"{ref}^{{commit}}").strip())


def exists_at(ref: str, package_dir: Path = DEFAULT_PACKAGE) -> bool:
    """Whether the package folder (its datapackage.json) is part of the tree at `ref`: a package generated into an
    ignored folder of the repository (build/demo/) has no history."""
    repo, relative = repository_of(package_dir)
    try:
        _git(repo, "cat-file", "-e", f"{ref}:{(relative / DESCRIPTOR_NAME).as_posix()}")
    except PackageError:
        return False
    return True


@dataclass(frozen=True)
class FileChange:
    """One path that differs between two trees, as git records it (paths from the top of the repository)."""
    path: str
    status: str  # A added, M modified, D deleted, T type changed (a file became a link, …)
    new_mode: str  # 100644 or 100755 a file, 120000 a symbolic link, 160000 a submodule, 000000 deleted
    new_object: str

    @property
    def regular_file(self) -> bool:
        return self.new_mode in ("100644", "100755")


def _commit_of(repo: Path, ref: str, role: str) -> str:
    if not is_revision(repo, ref):
        raise PackageError(
            f"the {role} {ref!r} is not a commit of {repo} (fetch it first: git fetch origin {ref})",
            f"{role} {ref!r} 不是 {repo} 中的提交（请先 git fetch origin {ref}）",
        )
    return _git(repo, "rev-parse", "--verify", f"{ref}^{{commit}}").strip()


def work_tree_commit(repo: Path) -> str:
    """A commit of the work tree as `git add --all` would record it, on top of HEAD. It is made with a temporary
    index and written only to git's objects: the index, the branch and the files are left as they are."""
    with tempfile.TemporaryDirectory(prefix="zjtx-index-") as scratch:
        index = Path(scratch) / "index"
        real_index = Path(repo) / _git(repo, "rev-parse", "--git-path", "index").strip()
        if real_index.is_file():
            shutil.copyfile(real_index, index)  # tracked files stay tracked even where .gitignore matches them
        env = {"GIT_INDEX_FILE": str(index)}
        _git(repo, "add", "--all", env=env)
        tree = _git(repo, "write-tree", env=env).strip()
    parents = ["-p", "HEAD"] if is_revision(repo, "HEAD") else []
    identity = {"GIT_AUTHOR_NAME": "check-scope", "GIT_AUTHOR_EMAIL": "check-scope@invalid",
                "GIT_COMMITTER_NAME": "check-scope", "GIT_COMMITTER_EMAIL": "check-scope@invalid"}
    return _git(repo, "commit-tree", tree, *parents, "-m", "the work tree, for check-scope", env=identity).strip()


def merged_tree(repo: Path, base: str, head: str) -> str:
    """The tree that merging `head` into `base` gives: what the base branch would hold once a pull request is
    merged. Computed from git's objects alone (`git merge-tree`), with no work tree."""
    base, head = _commit_of(repo, base, "base"), _commit_of(repo, head, "head")
    result = _run(repo, "merge-tree", "--write-tree", "--no-messages", "--name-only", "-z", base, head)
    # Exit 1 is a merge with conflicts: the tree comes first, then the conflicted paths.
    fields = result.stdout.decode("utf-8", "replace").split("\0")
    if result.returncode == 1:
        conflicted = "、".join(sorted({path for path in fields[1:] if path}))
        raise PackageError(
            f"{head} does not merge cleanly into {base} (conflicts in {conflicted}): merge the base branch into "
            "the pull request, resolve the conflicts and push again",
            f"{head} 与 {base} 合并时有冲突（{conflicted}）：请把目标分支合并到本分支，解决冲突后再推送",
        )
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise PackageError(f"git merge-tree failed (git 2.38 or later is needed): {message}",
                           f"git merge-tree 失败（需要 git 2.38 或更高版本）：{message}")
    return fields[0].strip()


def changed_files(repo: Path, old: str, new: str) -> list[FileChange]:
    """Every path whose content, type or mode differs from tree-ish `old` to `new`; renames are a removal and an
    addition, so both paths are named."""
    output = _git(repo, "diff-tree", "-r", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", old, new,
                  binary=True).decode("utf-8", "replace")
    fields = output.split("\0")
    changes = []
    for header, path in zip(fields[0::2], fields[1::2]):
        _, new_mode, _, new_object, status = header.lstrip(":").split(" ")
        changes.append(FileChange(path, status[0], new_mode, new_object))
    return sorted(changes, key=lambda change: change.path)


def blob(repo: Path, object_id: str) -> bytes:
    """The bytes of a file stored in git, as stored: no filter, attribute or conversion applies."""
    return _git(repo, "cat-file", "blob", object_id, binary=True)
