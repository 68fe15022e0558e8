"""Which versions the site offers for download, exported once and kept in a cache outside the site.

A release is a git tag `data-vX.Y.Z` whose package carries version X.Y.Z. Each release is exported from its tag
once and cached by the tag's commit, the package's place in the repository and EXPORT_FORMAT, so an old download
keeps its bytes for ever and a build does not redo it. The working tree is `latest`: when its version is released
already, its data must be the released data (a released version is frozen) and its files are the release's files;
until it is tagged, it is offered under `latest/` only, never under a version's folder, which hosts cache for a year.

The cache lives outside the repository (ZJTX_CACHE_DIR, or the user's cache folder), where no commit can put a file,
and a cached export is used only once it is verified: its data files are those of the tag (or of the working tree)
byte for byte, and every file matches its SHA256SUMS. One build at a time uses the cache (a lock), and each build
takes copies of the files it publishes, so builds into different folders never break each other.

CI checkouts must fetch the tags (`fetch-depth: 0`), or the site offers only the working tree.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import changes, revisions
from ..errors import BuildError, PackageError, ZjtxError
from ..load import load_register
from ..package import Package
from ..view import RegisterView
from . import EXPORT_FORMAT, archive, export_package

CACHE_ENV = "ZJTX_CACHE_DIR"
INFO = "version.json"
FILES = "files"


def cache_base() -> Path:
    """ZJTX_CACHE_DIR, else the user's cache folder (XDG_CACHE_HOME, or ~/.cache) under zjtx-register."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return user_cache / "zjtx-register"


def cache_root(package_dir: Path | None = None) -> Path:
    """The downloads' cache; refused inside the package's repository, where a commit could put files in it."""
    root = (cache_base() / "downloads").resolve()
    repository = _repository(package_dir) if package_dir is not None else None
    if repository is not None and (root == repository.resolve() or repository.resolve() in root.parents):
        raise BuildError(
            f"the export cache {root} lies inside the repository {repository}, where a commit could put files in "
            f"it: set {CACHE_ENV} to a folder outside the repository (or unset it to use {Path.home() / '.cache'})",
            f"导出缓存 {root} 位于仓库 {repository} 之内，提交可以往里面放文件：请把 {CACHE_ENV} 设为仓库之外的文件夹"
            f"（或不设置，使用 {Path.home() / '.cache'}）",
        )
    return root


@dataclass
class Version:
    version: str
    day: date  # the day its files describe: the tag's commit day, or the build's day for unreleased data
    folder: Path  # the exported files
    digest: str  # of the package's published files, to tell whether the working tree equals a release
    tag: str = ""
    commit: str = ""
    summary: str = ""  # what changed since the previous release (zjtx.changes), in Chinese
    counts: dict = field(default_factory=dict)
    since: str = ""  # the version it is compared with

    @property
    def released(self) -> bool:
        return bool(self.tag)

    def files(self) -> list[dict]:
        """Every file of the export, with size and SHA-256 (from its SHA256SUMS, which is listed too)."""
        sums = archive.read_sums(self.folder)
        sums[archive.SUMS] = archive.sha256(self.folder / archive.SUMS)
        return [
            {"path": path, "size": (self.folder / path).stat().st_size, "sha256": digest}
            for path, digest in sorted(sums.items())
        ]


@dataclass
class Downloads:
    latest: Version
    releases: list[Version]  # newest first

    def versions(self) -> list[Version]:
        """Every version the changelog lists: the releases, and the working tree when it is unreleased."""
        if self.latest.released:
            return list(self.releases)
        return [self.latest, *self.releases]


# The code whose output the caches of unreleased data hold: editing it makes them again. (A release's cache is
# keyed by its commit and EXPORT_FORMAT only, so that its files never change once published.)
CODE = [*Path(__file__).parent.glob("*.py"), *(Path(__file__).parent.parent / name for name in
        ("package.py", "load.py", "library.py", "column.py", "view.py"))]


def code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(CODE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def package_digest(package: Package) -> str:
    digest = hashlib.sha256()
    for path in package.published_files():
        digest.update(package.relative(path).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@contextlib.contextmanager
def locked(root: Path):
    """One build at a time in the cache: the others wait (an export at 100,000 enterprises takes a minute)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _export_cached(folder: Path, package: Package, day: date, view: RegisterView | None = None) -> None:
    """Export into `folder`; a half-written export never takes its place."""
    view = view or RegisterView(load_register(package), day)
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        seconds: dict[str, float] = {}
        export_package(package, scratch / FILES, view, seconds)
        # The seconds stay in the cache (benchmarks/run.py reads them); they are not published.
        info = {"version": package.version, "day": day.isoformat(), "format": EXPORT_FORMAT,
                "digest": package_digest(package), "seconds": {k: round(v, 2) for k, v in seconds.items()}}
        (scratch / INFO).write_text(json.dumps(info) + "\n", encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _verified(folder: Path, data_files: dict[str, str], version: str) -> bool:
    """Whether a cached export may be used: its claims are those of its key, its data files are `data_files` (path
    inside the package -> git blob id) exactly, and every file is listed in its SHA256SUMS with that checksum."""
    try:
        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
        files = folder / FILES
        if info.get("version") != version or info.get("format") != EXPORT_FORMAT:
            return False
        sums = archive.read_sums(files)
        present = {p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file() or p.is_symlink()}
        if present != {*sums, archive.SUMS} or any((files / path).is_symlink() for path in present):
            return False
        if any(archive.sha256(files / path) != digest for path, digest in sums.items()):
            return False
        return all(path in sums and revisions.blob_id((files / path).read_bytes()) == blob
                   for path, blob in data_files.items())
    except (OSError, ValueError, KeyError):
        return False


def _cached(folder: Path, data_files: dict[str, str], version: str, export) -> None:
    """The export in `folder`, made anew unless a verified one is there."""
    if not _verified(folder, data_files, version):
        shutil.rmtree(folder, ignore_errors=True)
        export()


def _version(folder: Path, **extra) -> Version:
    info = json.loads((folder / INFO).read_text(encoding="utf-8"))
    return Version(info["version"], date.fromisoformat(info["day"]), folder / FILES, info["digest"], **extra)


def _repository(package_dir: Path) -> Path | None:
    try:
        return revisions.repository_of(package_dir)[0]
    except PackageError:
        return None  # not in a git work tree: there are no releases, only the working tree


def _published_blobs(package: Package) -> dict[str, str]:
    return {package.relative(path): revisions.blob_id(path.read_bytes()) for path in package.published_files()}


def release_versions(package_dir: Path, root: Path) -> list[Version]:
    """Every release of the package, exported (or taken from the cache, verified), oldest first."""
    repo = _repository(package_dir)
    if repo is None:
        return []
    found = []
    place = hashlib.sha256(revisions.repository_of(package_dir)[1].as_posix().encode("utf-8")).hexdigest()[:8]
    for release in revisions.releases(repo):
        if not revisions.exists_at(release.tag, package_dir):
            continue  # the tag is a release of another package of the repository, or from before this one
        folder = root / "releases" / f"{release.commit}-{place}-f{EXPORT_FORMAT}"
        try:
            with revisions.package_at(release.tag, package_dir) as old_dir:
                old = Package.read(old_dir)
                if old.version != release.version:
                    continue  # a tag that does not match its descriptor's version is not a release
                day = revisions.commit_day(repo, release.commit)
                _cached(folder, _published_blobs(old), release.version,
                        lambda folder=folder, old=old, day=day: _export_cached(folder, old, day))
        except ZjtxError as error:
            raise BuildError(
                f"release {release.tag} cannot be exported: {error.message_en}",
                f"发布版本 {release.tag} 无法导出：{error.message_zh}",
            ) from error
        found.append(_version(folder, tag=release.tag, commit=release.commit))
    return found


def _compare(old: Version, new: Version, root: Path) -> None:
    """Fill in what changed from `old` to `new`, cached for a pair of releases."""
    cached = root / "changes" / f"{old.digest[:20]}-{new.digest[:20]}.json"
    try:
        data = json.loads(cached.read_text(encoding="utf-8"))
        summary, counts = str(data["summary"]), {str(k): int(v) for k, v in data["counts"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        result = changes.compare_packages(old.folder, new.folder)
        summary, counts = result.summary_zh(), result.counts()
        if new.released:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps({"summary": summary, "counts": counts}, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    new.summary, new.counts, new.since = summary, counts, old.version


def _take(version: Version, target: Path) -> Version:
    """A copy of the version's files for one build, so that another build's pruning cannot remove them under it."""
    shutil.copytree(version.folder, target, copy_function=shutil.copyfile)
    version.folder = target
    return version


def prepare_downloads(view: RegisterView, into: Path | None = None, releases_too: bool = True) -> Downloads:
    """Export every release and the working tree (cached); refuse a working tree that changes a released version.

    With `into`, the build's own copies of the files it publishes are made there (latest/ and one folder per
    release), while the cache is locked; without, the versions point into the cache (for tests and tools).
    `releases_too=False` copies latest/ only: the site links its releases elsewhere (`build --downloads-url`), and
    their versions point into the cache, where releases are never pruned."""
    package = view.register.package
    package_dir, as_of = package.root, view.day
    root = cache_root(package_dir)
    with locked(root):
        releases = release_versions(package_dir, root)
        version = package.version
        digest = package_digest(package)
        latest = next((r for r in releases if r.version == version), None)
        if latest is not None and latest.digest != digest:
            raise BuildError(
                f"version {version} is released (tag {latest.tag}) but the data in {package_dir} differ from it: "
                "a released version never changes. Raise \"version\" in datapackage.json (e.g. to the next patch "
                "number), then build again",
                f"版本 {version} 已经发布（标签 {latest.tag}），但 {package_dir} 中的数据与之不同：已发布的版本不能再改。"
                "请在 datapackage.json 中提高 \"version\"（例如改为下一个修订号），再重新生成",
            )
        if latest is None:
            # Unreleased data describe the build's day; the cache key holds the day, so a new day exports again.
            folder = root / "tree" / f"{digest[:32]}-{as_of.isoformat()}-{code_digest()}"
            _cached(folder, _published_blobs(package), version, lambda: _export_cached(folder, package, as_of, view))
            prune(folder)
            latest = _version(folder)
        for older, newer in zip(releases, releases[1:]):
            _compare(older, newer, root)
        if not latest.released and releases:
            _compare(releases[-1], latest, root)
        if into is not None:
            copies = {id(r): _take(r, into / "releases" / r.version) for r in releases if releases_too}
            latest = copies.get(id(latest)) or _take(latest, into / "latest")
    return Downloads(latest, list(reversed(releases)))


def prune(keep: Path) -> None:
    """Only the newest files made from unreleased data are worth keeping: the others describe data that is gone."""
    for folder in keep.parent.iterdir():
        if folder != keep and not folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)
