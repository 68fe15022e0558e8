"""Build the public site of a package, step by step:

1. validate: the package is validated in a second process (zjtx.build.workers) from the start;
2. read: the package is read once, its register loaded and viewed on the as-of day (zjtx.view);
3. export: a second process makes the downloads of every version, then the files derived from the register
   (API, page tables, search index, feeds; zjtx.build.exports), while this one
4. renders the pages (zjtx.pages) into memory, and
5. runs MkDocs (zjtx.build.mkdocs) into a new folder beside the output, then the full-text index;
6. assemble: the downloads and derived files join the new site (zjtx.build.assemble);
7. swap: only a complete build of valid data replaces the output folder, in one step (zjtx.build.output).

Whatever fails first, a package with errors is reported with validate's problems (never with what they broke),
and a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import gc
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import assets, search
from ..checks import for_publishing
from ..errors import InvalidPackage
from ..hosting import SiteSize, site_size
from ..load import load_register
from ..package import DEFAULT_PACKAGE, Package
from ..pages.downloads import render_download_pages
from ..pages.environment import TEMPLATES_DIR
from ..pages.render import Progress, render_site
from ..urls import DOWNLOADS_DIR, downloads_address, version_folder
from ..view import RegisterView
from . import assemble, exports, output
from .memory import fewer_collections
from .mkdocs import MKDOCS_CONFIG, THEME_DIR, build_pages, read_publisher
from .output import SITE_MARKER
from .workers import Worker

DEFAULT_OUT = Path(__file__).resolve().parent.parent.parent / "site"
# Pages are minified as MkDocs writes them (zjtx/build/mkdocs/hooks.py); tests that read pages as text pass
# minify=False, and tests/test_minify.py proves that a minified build holds the same elements and text.
MINIFY = True


@dataclass
class BuildResult:
    out_dir: Path
    pages: int
    seconds: float
    warnings: list = field(default_factory=list)  # validation problems of severity "warning"
    size: SiteSize | None = None  # what the new site holds, for the host-fit advice (zjtx.hosting)


def build_site(
    package_dir: Path = DEFAULT_PACKAGE,
    out_dir: Path = DEFAULT_OUT,
    as_of: date | None = None,
    progress: Progress | None = None,
    config_file: Path = MKDOCS_CONFIG,
    templates_dir: Path = TEMPLATES_DIR,
    site_url: str | None = None,
    minify: bool | None = None,
    downloads_url: str | None = None,
) -> BuildResult:
    """Build the site of the package into out_dir, replacing the previous site only when everything succeeded.

    With `downloads_url`, released versions' download folders are linked at that address instead of being copied
    into the site (a site that would not fit its host otherwise); latest/ stays in the site."""
    started = time.monotonic()
    as_of = as_of or date.today()
    downloads_url = downloads_address(downloads_url) if downloads_url else None
    package_dir = Path(package_dir).resolve()
    out_dir = Path(out_dir).resolve()
    output.check_out_dir(out_dir, [package_dir, Path(templates_dir).resolve(), THEME_DIR])
    with output.build_lock(out_dir):
        output.repair(out_dir)
        try:
            with Worker(None, "validating the package", "校验数据包") as validation:
                verdict = validation.submit(_validate, package_dir, as_of)
                try:
                    pages, warnings, size = _build(package_dir, out_dir, as_of, progress, Path(config_file),
                                                   Path(templates_dir), site_url,
                                                   MINIFY if minify is None else minify, downloads_url, verdict)
                except Exception:
                    # Invalid data explains a failure better than the failure does: a renderer's error on data
                    # that validation rejects is reported as validate reports it.
                    _verdict(verdict, progress)
                    raise
        except OSError as error:
            if error.errno not in output.DISK_ERRORS:
                raise
            raise output.disk_error(error, out_dir) from error
    return BuildResult(out_dir, pages, time.monotonic() - started, warnings, size)


def _validate(_shared, package_dir: Path, as_of: date) -> list:
    from ..validate import validate_package  # Frictionless is imported by this process only

    return validate_package(package_dir, as_of, parallel=False)


def _verdict(job, progress: Progress | None) -> list:
    """The package's warnings; raises InvalidPackage (with every problem) when it has an error."""
    if progress:
        progress("校验数据", 0, 1)
    problems = for_publishing(job.result())
    if progress:
        progress("校验数据", 1, 1)
    if any(problem.severity == "error" for problem in problems):
        raise InvalidPackage(problems)
    return problems


def _build(package_dir: Path, out_dir: Path, as_of: date, progress, config_file: Path, templates_dir: Path,
           site_url: str | None, minify: bool, downloads_url: str | None, verdict) -> tuple[int, list, SiteSize]:
    with tempfile.TemporaryDirectory(prefix="zjtx-build-") as work, fewer_collections():
        work_dir = Path(work)
        view = RegisterView(load_register(Package.read(package_dir)), as_of)
        gc.freeze()  # the register lives as long as the build: the collector need not scan it again
        derived = output.new_site(out_dir, "derived")
        taken = output.new_site(out_dir, "downloads")
        new_site = output.new_site(out_dir)
        try:
            with Worker(view, "making the downloads", "生成下载文件") as exporter:
                downloads_job = exporter.submit(exports.downloads, taken, downloads_url is None)
                docs_dir = work_dir / "docs"
                generated: dict[str, str] = {}
                pages = render_site(view, docs_dir, progress, templates_dir, write=generated.__setitem__,
                                    publisher=read_publisher(config_file).as_dict())
                downloads = _step(progress, "生成下载文件", downloads_job.result)
                derived_job = exporter.submit(exports.derived_files, downloads, derived)
                pages += render_download_pages(view, downloads, docs_dir, templates_dir, downloads_url)
                build_pages(config_file, work_dir, docs_dir, new_site, generated, demo=view.register.is_demo,
                            site_url=site_url, minify=minify, day=as_of,
                            asset_names=assets.manifest(templates_dir / assets.ASSETS), progress=progress)
                _step(progress, "生成全文索引", lambda: search.write_fulltext_index(new_site))
                _step(progress, "生成企业索引", lambda: exports.search_index(view, derived))
                _step(progress, "生成接口文件与表格下载", derived_job.result)
            assemble.publish_downloads(downloads, new_site, releases=downloads_url is None)
            assemble.move_into(derived, new_site)
            marker = {"version": view.register.package.version, "as_of": as_of.isoformat()}
            (new_site / SITE_MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
            warnings = _verdict(verdict, progress)
            size = site_size(new_site)
            output.replace_dir(new_site, out_dir)
        finally:
            for folder in (derived, taken, new_site):
                shutil.rmtree(folder, ignore_errors=True)
    return pages, warnings, size


def write_release_folders(package_dir: Path, out_dir: Path) -> list[tuple[str, int, int]]:
    """Every released version's download folder under out_dir/downloads/<version>/, replacing out_dir in one step
    (a folder this function or a build made, or an empty one). Returns (version, files, bytes) per release."""
    package_dir = Path(package_dir).resolve()
    out_dir = Path(out_dir).resolve()
    output.check_out_dir(out_dir, [package_dir])
    with output.build_lock(out_dir):
        output.repair(out_dir)
        view = RegisterView(load_register(Package.read(package_dir)), date.today())
        taken = output.new_site(out_dir, "downloads")
        new_site = output.new_site(out_dir)
        try:
            downloads = exports.downloads(view, taken)
            written = []
            (new_site / DOWNLOADS_DIR).mkdir()
            for release in downloads.releases:
                files = release.files()
                written.append((release.version, len(files), sum(file["size"] for file in files)))
                assemble.move(release.folder, new_site / DOWNLOADS_DIR / version_folder(release.version))
            marker = {"version": view.register.package.version, "releases": [r.version for r in downloads.releases]}
            (new_site / SITE_MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
            output.replace_dir(new_site, out_dir)
        finally:
            for folder in (taken, new_site):
                shutil.rmtree(folder, ignore_errors=True)
    return written


def _step(progress: Progress | None, what: str, run):
    if progress:
        progress(what, 0, 1)
    result = run()
    if progress:
        progress(what, 1, 1)
    return result

