"""Build the public site: validate the package, render the pages, run MkDocs, then swap the output folder in.

The package is validated in a second process while this one renders the pages; the pages go to MkDocs from
memory (never into the source tree), and MkDocs writes into a temporary folder beside the output folder. Only a
complete build of valid data replaces the output, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import gc
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml
from mkdocs.plugins import BasePlugin
from mkdocs.utils.yaml import yaml_load

from . import assets, publisher, search
from .export import pages as download_pages
from .export.publish import write_derived_files, write_site_files
from .export.releases import Downloads, prepare_downloads
from .errors import BuildError, InvalidPackage, ZjtxError
from .load import DEFAULT_PACKAGE, load_register
from .render import TEMPLATES_DIR, Progress, render_site

# Imported where they are used: Frictionless by the validation's process only, MkDocs' builder once the pages
# render; importing them first would hold up the fork of the exports' process by most of a second.

REPO_DIR = Path(__file__).resolve().parent.parent
MKDOCS_CONFIG = REPO_DIR / "mkdocs.yml"
THEME_DIR = REPO_DIR / "overrides"
HOOKS_FILE = Path(__file__).resolve().with_name("mkdocs_hooks.py")
DEFAULT_OUT = REPO_DIR / "site"
# Written into every site this module builds: only such a folder (or an empty one) may be replaced.
SITE_MARKER = ".zjtx-site"
# Pages are minified as MkDocs writes them (mkdocs_hooks.minify). The tests that read pages as text switch it off
# (tests/conftest.py); tests/test_minify.py proves a minified build holds the same elements and text.
MINIFY = True


@dataclass
class BuildResult:
    out_dir: Path
    pages: int
    seconds: float
    warnings: list = field(default_factory=list)  # validation problems of severity "warning"


def build_site(
    package_dir: Path = DEFAULT_PACKAGE,
    out_dir: Path = DEFAULT_OUT,
    as_of: date | None = None,
    progress: Progress | None = None,
    config_file: Path = MKDOCS_CONFIG,
    templates_dir: Path = TEMPLATES_DIR,
    site_url: str | None = None,
    minify: bool | None = None,
) -> BuildResult:
    """Build the site of the package into out_dir, replacing the previous site only when everything succeeded."""
    started = time.monotonic()
    as_of = as_of or date.today()
    package_dir = Path(package_dir).resolve()
    out_dir = Path(out_dir).resolve()
    check_out_dir(out_dir, [package_dir, Path(templates_dir).resolve(), THEME_DIR])
    with build_lock(out_dir):
        remove_leftovers(out_dir)
        return _build_locked(package_dir, out_dir, as_of, progress, config_file, templates_dir, site_url,
                             MINIFY if minify is None else minify, started)


def _build_locked(package_dir, out_dir, as_of, progress, config_file, templates_dir, site_url, minify,
                  started) -> BuildResult:
    with tempfile.TemporaryDirectory(prefix="zjtx-build-") as build_dir, fewer_collections():
        register = load_register(package_dir, as_of)
        gc.freeze()  # the register lives as long as the build: the collector need not scan it again
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        # Forked before the validation's pool exists, so the exports' process inherits no thread of it. It writes
        # beside the output folder, so that its files move into the new site by renames.
        with _scratch_dir(out_dir, "derived") as derived, \
                BackgroundExports(package_dir, register, as_of, derived) as exports, \
                BackgroundValidation(package_dir, as_of, progress) as validation:
            docs_dir = Path(build_dir) / "docs"
            generated: dict[str, str] = {}
            pages = render_site(register, docs_dir, as_of, progress, Path(templates_dir), write=generated.__setitem__,
                                publisher=read_publisher(Path(config_file)).as_dict())
            downloads = exports.downloads(progress)
            pages += download_pages.render_download_pages(register, downloads, docs_dir, as_of, Path(templates_dir))
            new_site = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
            try:
                new_site.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
                config = write_mkdocs_config(
                    Path(config_file), Path(build_dir) / "mkdocs.yml", docs_dir, new_site, register.is_demo, site_url,
                    minify, assets.manifest(Path(templates_dir) / assets.ASSETS),
                )
                with source_date(as_of):
                    run_mkdocs(config, progress, generated)
                write_fulltext_index(new_site, progress)
                exports.derived(progress)
                write_site_files(register, downloads, derived, new_site, as_of)
                marker = {"version": register.descriptor.get("version"), "as_of": as_of.isoformat()}
                (new_site / SITE_MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
                warnings = validation.warnings()
                replace_dir(new_site, out_dir)
            except BaseException:
                shutil.rmtree(new_site, ignore_errors=True)
                raise
    return BuildResult(out_dir, pages, time.monotonic() - started, warnings)


def verdict(problems: list) -> list:
    """The package's warnings; raises InvalidPackage when it has an error, with the problems `validate` lists."""
    if any(problem.severity == "error" for problem in problems):
        raise InvalidPackage(problems)
    return problems


def _validate_in_child(package_dir: Path, as_of: date) -> tuple:
    """validate_package in the second process: problems, or the library error that stopped it, as plain values
    (the library's exceptions carry two messages that pickling would lose)."""
    from .validate import validate_package

    try:
        return [publishable(problem) for problem in validate_package(package_dir, as_of)], None
    except ZjtxError as error:
        return None, (type(error), error.message_en, error.message_zh)


@contextmanager
def fewer_collections():
    """Python's cyclic garbage collector, tuned for a build that allocates millions of short-lived objects.

    With the default thresholds it ran hundreds of times per 20,000 pages and took a seventh of the build's
    CPU time, a share that grows with the register; the pages' objects are freed by reference counting anyway.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


class BackgroundValidation:
    """Validation of the package in a second process, while this one renders the site from the same files.

    On two cores this takes validation (a sixth of a build) off the build's time. Nothing is published before
    `warnings()` has the verdict; and if rendering fails first, which invalid data can cause, the build waits
    for the verdict and reports the data's problems rather than what they broke.
    """

    def __init__(self, package_dir: Path, as_of: date, progress: Progress | None):
        self.package_dir, self.as_of, self.progress = package_dir, as_of, progress
        self.pool = None
        self.pending = None
        self.asked = False

    def __enter__(self):
        self.pool = multiprocessing.get_context().Pool(1)
        self.pending = self.pool.apply_async(_validate_in_child, (self.package_dir, self.as_of))
        return self

    def warnings(self) -> list:
        """The package's warnings; raises InvalidPackage (or the error that stopped validation) otherwise."""
        self.asked = True
        if self.progress:
            self.progress("校验数据", 0, 1)
        problems, error = self.pending.get()
        if self.progress:
            self.progress("校验数据", 1, 1)
        if error:
            kind, message_en, message_zh = error
            raise kind(message_en, message_zh)
        return verdict(problems)

    def __exit__(self, kind, error, traceback):
        try:
            if isinstance(error, Exception) and not self.asked:
                self.warnings()  # invalid data explains a failure better than the failure does
        finally:
            self.pool.terminate()
            self.pool.join()
        return False


# Errors that time alone causes: the bureau must update the row, but the site keeps building and shows it as lapsed.
LAPSES_WITH_TIME = {"active-but-expired"}


def publishable(problem):
    """A problem as the build judges it: an active row past its term is a warning, not a reason to go dark."""
    if problem.code in LAPSES_WITH_TIME and problem.severity == "error":
        return dataclasses.replace(problem, severity="warning")
    return problem


@contextlib.contextmanager
def build_lock(out_dir: Path):
    """One build at a time into an output folder: a second one is refused at once, saying which is running.

    The lock file beside the output exists only while a build runs: it is removed before it is unlocked, and a
    build that locked a file someone removed meanwhile tries again on the new one."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.with_name(f".{out_dir.name}.lock")
    while True:
        handle = open(lock_path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise BuildError(
                f"another build into {out_dir} is running (process {holder}): wait for it to finish, or use --out",
                f"另一个构建正在写入 {out_dir}（进程 {holder}）：请等它完成，或用 --out 指定其他文件夹",
            ) from None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the previous holder removed this file before we locked it
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        handle.close()


def remove_leftovers(out_dir: Path) -> None:
    """Folders an interrupted build left beside the output (killed before it could clean up); the lock is held,
    so no running build owns them."""
    for pattern in (f".{out_dir.name}.new-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in Path(tempfile.gettempdir()).glob("zjtx-build-*"):
        try:
            if time.time() - leftover.stat().st_mtime > 24 * 3600:  # another build's, if still fresh
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def check_out_dir(out_dir: Path, sources: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy anything but a previous build."""
    for source in sources:
        if source == out_dir or source in out_dir.parents:
            raise BuildError(
                f"--out {out_dir} is inside {source}: choose a folder outside the data package and templates",
                f"--out {out_dir} 位于 {source} 之中：请选择数据包和模板之外的文件夹",
            )
    if out_dir.exists():
        if not out_dir.is_dir():
            raise BuildError(f"--out {out_dir} is a file: choose a folder", f"--out {out_dir} 是文件：请指定文件夹")
        if any(out_dir.iterdir()) and not (out_dir / SITE_MARKER).exists():
            raise BuildError(
                f"--out {out_dir} holds files that build.py did not write: choose another folder, or empty it",
                f"--out {out_dir} 中有不是 build.py 生成的文件：请换一个文件夹，或先清空它",
            )


def write_mkdocs_config(
    config_file: Path, target: Path, docs_dir: Path, site_dir: Path, demo: bool, site_url: str | None = None,
    minify: bool = True, asset_names: dict[str, str] | None = None,
) -> Path:
    """The committed MkDocs configuration with the build's folders, theme overrides and hooks filled in.

    site_url (build --site-url) replaces the configuration's: MkDocs then lists every page in sitemap.xml, gives
    each a canonical link, and writes 404.html with links from the site's path, so it works at any depth.
    """
    config = read_mkdocs_config(config_file)
    base = config_file.resolve().parent
    theme = config.setdefault("theme", {})
    if isinstance(theme, str):
        theme = config["theme"] = {"name": theme}
    theme["custom_dir"] = str(THEME_DIR)
    hooks = [str((base / hook).resolve()) for hook in config.get("hooks", [])]
    # Policy texts come from the package: every Markdown page keeps only safe links (zjtx.safe_markdown).
    extensions = config.setdefault("markdown_extensions", [])
    if "zjtx.safe_markdown" not in extensions:
        extensions.append("zjtx.safe_markdown")
    config.update(
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        hooks=[str(HOOKS_FILE), *hooks],
        strict=True,
    )
    if site_url:
        config["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
    config.setdefault("extra", {}).setdefault("zjtx", {}).update(demo=demo, minify=minify)
    # The publisher, 纠错 and the host's colours, checked (zjtx.publisher), for the theme's templates.
    config["extra"]["zjtx"]["publisher"] = publisher.read(config["extra"]).as_dict()
    # The site's own stylesheets and scripts are published under content-hashed names (zjtx.assets): the theme's
    # templates find them through extra.zjtx.assets, and extra_css names them directly.
    if asset_names:
        config["extra"]["zjtx"]["assets"] = dict(asset_names)
        config["extra_css"] = [asset_names.get(name, name) for name in config.get("extra_css", [])]
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def read_mkdocs_config(config_file: Path) -> dict:
    """The MkDocs configuration as its YAML says, with INHERIT followed."""
    with open(config_file, "rb") as handle:
        return yaml_load(handle) or {}


def read_publisher(config_file: Path) -> publisher.Publisher:
    """The publisher, 纠错 and the host's colours from `extra` of the MkDocs configuration (zjtx.publisher)."""
    return publisher.read(read_mkdocs_config(config_file).get("extra"))


class _PageProgress(BasePlugin):
    """Reports MkDocs' progress through the pages to the caller's progress callback."""

    def __init__(self, progress: Progress):
        super().__init__()
        self.progress = progress
        self.total = 0
        self.done = 0

    def on_files(self, files, config):
        self.total = len(files.documentation_pages())
        return files

    def on_post_page(self, output, page, config):
        self.done += 1
        self.progress("构建网站", self.done, self.total)
        return output


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _InMemoryFiles(BasePlugin):
    """Hands MkDocs the files zjtx.render produced in memory, as if they were in the docs folder.

    At 100,000 enterprises, writing the pages to a build folder, reading them back and deleting them cost more
    than a fifth of the build on an ext4 disk; MkDocs holds every page's text in memory during a build anyway.
    """

    def __init__(self, generated: dict[str, str]):
        super().__init__()
        self.generated = generated

    def on_files(self, files, config):
        from mkdocs.structure.files import File

        for path in sorted(self.generated):
            files.append(File.generated(config, path, content=self.generated.pop(path)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # MkDocs has read the page into page.markdown and reads the file no more; without this the text would be
        # held twice until the build ends (a quarter of the peak memory at 100,000 enterprises).
        page.file.content_string = ""
        return markdown


def run_mkdocs(config_path: Path, progress: Progress | None = None, generated: dict[str, str] | None = None) -> None:
    """Run a strict MkDocs build; its warnings become the message of the BuildError that a failure raises.

    `generated` holds files of the docs folder by path, kept in memory rather than written (_InMemoryFiles).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(config_file=str(config_path))
        if generated:
            config.plugins["zjtx/in-memory"] = _InMemoryFiles(generated)
        if progress:
            config.plugins["zjtx/progress"] = _PageProgress(progress)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        details = "\n".join(collect.messages) or str(error)
        raise BuildError(f"MkDocs could not build the site:\n{details}", f"MkDocs 未能生成网站：\n{details}") from error
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate


@contextmanager
def source_date(day: date):
    """SOURCE_DATE_EPOCH for MkDocs (its pages' dates, sitemap.xml and the time inside sitemap.xml.gz): the
    as-of day, unless the caller set one (reproducible-builds.org), so that no output depends on the clock."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(day, datetime.min.time(), timezone.utc).timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def write_fulltext_index(site_dir: Path, progress: Progress | None) -> None:
    """The full-text index of the built pages (zjtx.search, Pagefind), into the new site before it replaces the old
    one. (The enterprise index is made with the downloads, zjtx.export.publish.write_derived_files.)"""
    if progress:
        progress("生成全文索引", 0, 1)
    search.write_fulltext_index(site_dir)
    if progress:
        progress("生成全文索引", 1, 1)


@contextmanager
def _scratch_dir(out_dir: Path, kind: str):
    """A private folder beside the output (named as remove_leftovers finds it), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-{kind}-", dir=out_dir.parent))
    folder.chmod(0o755)  # its folders move into the site: a web server must read them
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class BackgroundExports:
    """The downloads (zjtx.export), made in a forked process while this one renders the pages.

    The exports are a third of a build's work and need nothing the pages make. The pages about the downloads
    (sizes, checksums) wait for `downloads()`; the API files and page tables only have to be ready when the
    finished site is put together, `derived()`, after MkDocs. The child reports a library error as itself, so the
    build fails with the same message as it would in one process.
    """

    def __init__(self, package_dir: Path, register, as_of: date, derived: Path):
        self.package_dir, self.register, self.as_of, self.derived_dir = package_dir, register, as_of, derived
        self.process = None
        self.receive = None
        self.steps = None  # without fork: the steps, run in this process as they are asked for

    def _steps(self):
        """The work, in the order it is asked for: the downloads, then the folder of the derived files."""
        downloads = prepare_downloads(self.package_dir, self.register, self.as_of)
        yield downloads
        write_derived_files(self.register, downloads, self.as_of, self.derived_dir)
        yield self.derived_dir

    def _work(self, send) -> None:
        try:
            for result in self._steps():
                send.send(("ok", result))
        except ZjtxError as error:
            send.send(("error", (type(error), error.message_en, error.message_zh)))
        except BaseException as error:  # noqa: BLE001 - a bug: its traceback goes to the parent, which raises it
            import traceback

            send.send(("bug", "".join(traceback.format_exception(error))))
        finally:
            send.close()

    def __enter__(self):
        if "fork" not in multiprocessing.get_all_start_methods():
            self.steps = self._steps()  # no fork (not Linux or macOS): done in this process, when asked for
            return self
        forked = multiprocessing.get_context("fork")
        self.receive, send = forked.Pipe(duplex=False)
        self.process = forked.Process(target=self._work, args=(send,), daemon=True)
        self.process.start()
        send.close()
        return self

    def _next(self, progress, what: str):
        if progress:
            progress(what, 0, 1)
        if self.steps is not None:
            value = next(self.steps)
        else:
            try:
                kind, value = self.receive.recv()
            except EOFError:
                raise BuildError("the process making the downloads stopped without a word (out of memory?)",
                                 "生成下载文件的进程意外退出（内存不足？）") from None
            if kind == "error":
                error_type, message_en, message_zh = value
                raise error_type(message_en, message_zh)
            if kind == "bug":
                # A bug, not bad data (validation reports that first): say where, so it can be reported.
                raise BuildError(
                    f"making the downloads failed, a bug of build.py; please report it with this:\n{value}",
                    f"生成下载文件时出错，这是 build.py 的缺陷；请附上以下信息报告：\n{value}",
                )
        if progress:
            progress(what, 1, 1)
        return value

    def downloads(self, progress: Progress | None = None) -> Downloads:
        return self._next(progress, "生成下载文件")

    def derived(self, progress: Progress | None = None) -> Path:
        """The folder of write_derived_files, once they are written."""
        return self._next(progress, "生成接口文件、表格下载与企业索引")

    def __exit__(self, *exc):
        if self.process is not None:
            self.receive.close()
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
        return False


def replace_dir(new: Path, out: Path) -> None:
    """Put `new` in the place of `out` by renames on one file system; if that fails, `out` is left as it was."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
        os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
