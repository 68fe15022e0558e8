#!/usr/bin/env python3
"""Command line of the Tianjin 专精特新 open register: validate the data package and build the site."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date
from pathlib import Path

VENV_PYTHON = Path(__file__).resolve().parent / ".venv" / "bin" / "python"


def _run_in_the_project_venv() -> None:
    """`python3 build.py …` works without activating .venv: started by another Python, it runs again under the
    project's own (which `make site` installed), so a bureau's guide needs no `source .venv/bin/activate`."""
    if not VENV_PYTHON.is_file() or Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve():
        return
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])


if __name__ == "__main__":
    _run_in_the_project_venv()
    from importlib.util import find_spec

    if not all(find_spec(name) for name in ("click", "frictionless", "stdnum", "openpyxl", "defusedxml", "mkdocs")):
        sys.exit("依赖尚未安装：请先在本文件夹运行 make site（或 make validate）\n"
                 "The dependencies are not installed: run `make site` (or `make validate`) in this folder first")

import click

import zjtx
from zjtx import package
from zjtx.errors import ZjtxError
from zjtx.scope import OWNERS_FILE

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"])


def _package_dir(ctx, param, value) -> Path:
    """The package folder, with any write a killed command left half done finished or undone first."""
    from zjtx.transaction import recover

    package_dir = package.package_dir_of(value)
    try:
        outcome = recover(package_dir)
    except ZjtxError as error:
        fail(error)
    if outcome:
        click.echo(f"已修复上次中断的写入（{'已恢复原文件' if outcome == 'rolled back' else '已完成写入'}）/ "
                   f"an interrupted write in {package_dir} was {outcome}", err=True)
    return package_dir


def datapackage_option(function):
    return click.option(
        "--datapackage", "package_dir", type=click.Path(path_type=Path),
        callback=_package_dir,
        default=package.DEFAULT_PACKAGE, show_default="datapackage/",
        help="The package: its folder or its datapackage.json.",
    )(function)


def _parse_as_of(ctx, param, value):
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期须写成 YYYY-MM-DD / use YYYY-MM-DD, not {value!r}") from None


def as_of_option(function):
    return click.option(
        "--as-of", callback=_parse_as_of, metavar="YYYY-MM-DD",
        help="Judge expiry on this date instead of today, so a run can be repeated.",
    )(function)


def fail(error: ZjtxError):
    """The one way a library error reaches a user: both languages, no traceback."""
    raise click.ClickException(error.bilingual())


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(zjtx.__version__)
def cli():
    """Validate the 专精特新 data package and publish it as a static site."""


@cli.command(name="demo-data")
@click.option("--enterprises", type=int, required=True, help="Number of fictional enterprises (10 to 100,000).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the package to: new or empty, or a demo package demo-data wrote and nobody "
                   "changed since (the source package itself included); anything else is refused.")
@click.option("--seed", type=int, default=2021, show_default=True,
              help="Random seed: the same seed, size and as-of date give byte-identical files.")
@as_of_option
def demo_data(enterprises, out_dir, seed, as_of):
    """Write a complete demo package of fictional enterprises with a history since the 2021 plan.

    \b
    Example:
        python build.py demo-data --enterprises 4500 --out datapackage --seed 2021 --as-of 2026-11-24
        python build.py demo-data --enterprises 100000 --out /tmp/big
    """
    from zjtx.demo import generate

    try:
        counts = generate(out_dir, enterprises, seed=seed, as_of=as_of)
    except ZjtxError as error:
        fail(error)
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    click.echo(f"示例数据已写入 / demo package written to {out_dir}: {summary} (seed {seed}, as of {as_of})")


@cli.command()
@datapackage_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for CI, github for annotations on a pull request.")
@click.option("--errors-only", is_flag=True, help="List errors only; warnings are counted, not listed.")
@click.option("--all", "show_all", is_flag=True,
              help="Check every row however many errors there are, and list every problem.")
def validate(package_dir, as_of, output_format, errors_only, show_all):
    """Check the data package against its schemas and the policy's rules.

    Lists every problem with file, line, field, value, what is wrong and how to fix it, in Chinese and English:
    a fault of a whole file first (with the number of errors that follow from it), then errors, then warnings
    grouped by kind. Exits 1 if there is an error, 0 if there are only warnings.

    \b
    Example:
        python build.py validate
        python build.py validate --errors-only
        python build.py validate --datapackage my-edit/ --as-of 2025-12-31 --format json --all
        python build.py validate --format github
    """
    from zjtx.report import SHOWN_PER_FILE, format_json, format_text
    from zjtx.validate import LIMIT_ERRORS, validate_package

    try:
        problems = validate_package(package_dir, as_of, limit_errors=0 if show_all else LIMIT_ERRORS)
    except ZjtxError as error:
        fail(error)
    if output_format == "github":
        from zjtx.report import format_github

        click.echo(format_github(problems, Path(os.path.relpath(package_dir)).as_posix()))
    elif output_format == "json":
        click.echo(format_json(problems, problems.capped, problems.limit, errors_only))
    else:
        click.echo(format_text(problems, problems.capped, problems.limit, errors_only,
                               shown_per_file=None if show_all else SHOWN_PER_FILE))
    # The report is out and nothing is left to write: the collector's last pass at exit would walk every object
    # of the run (the package's cells, Frictionless's objects) only to free memory the process gives back anyway.
    # Frozen, they are skipped: a tenth of `validate` of the committed package.
    gc.freeze()
    if any(problem.severity == "error" for problem in problems):
        sys.exit(1)


@cli.command()
@datapackage_option
@click.option("--check", is_flag=True, help="Only report files that are not canonical; exit 1 if any.")
def fmt(package_dir, check):
    """Rewrite the CSV files in canonical form: sorted by primary key, minimal quoting, LF, no BOM.

    \b
    Example:
        python build.py fmt
        python build.py fmt --check
    """
    from zjtx.fmt import format_package

    try:
        rewrites = format_package(package_dir, check_only=check)
    except ZjtxError as error:
        fail(error)
    verb = "不规范 / not canonical" if check else "已改写 / rewritten"
    for rewrite in rewrites:
        click.echo(f"{rewrite.file}: {verb}")
        for departure in rewrite.departures:
            click.echo(f"  第 {departure.line} 行：{departure.reason_zh}\n"
                       f"  line {departure.line}: {departure.reason_en}")
    if not rewrites:
        click.echo("所有文件已是规范格式 / every file is canonical")
    if check and rewrites:
        click.echo(f"运行 python build.py fmt 即可改正以上 {len(rewrites)} 个文件（只改格式，不改任何值）/ "
                   "run `python build.py fmt` to fix them (it changes the layout, never a value)")
        sys.exit(1)


def out_option(function):
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
        show_default=True, help="Folder the site is written to; it is replaced in one step when the build succeeds.",
    )(function)


class ProgressBars:
    """A click progress bar for each long step of a build, for people watching a terminal."""

    def __init__(self):
        self.stage = None
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = click.progressbar(length=total, label=stage)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        self.stage = None


def site_url_option(function):
    return click.option(
        "--site-url", default=None, metavar="URL",
        help="Address the site is published at (e.g. https://example.org/zjtx/): sitemap.xml lists every page, "
             "pages carry a canonical link, and 404.html works under its path. Default: site_url in mkdocs.yml.",
    )(function)


def build_or_fail(package_dir: Path, out_dir: Path, as_of: date, site_url: str | None = None,
                  downloads_url: str | None = None):
    """Build the site; an invalid package is refused with the messages `validate` prints."""
    from zjtx.errors import InvalidPackage
    from zjtx.report import format_text
    from zjtx.build import build_site

    bars = ProgressBars() if sys.stdout.isatty() else None
    try:
        result = build_site(package_dir, out_dir, as_of, progress=bars, site_url=site_url,
                            downloads_url=downloads_url)
    except InvalidPackage as error:
        raise click.ClickException(
            f"{format_text(error.problems)}\n{error.bilingual()}\n"
            f"网站未生成，原有网站保持不变 / the site was not built; {out_dir} is unchanged"
        ) from None
    except ZjtxError as error:
        fail(error)
    finally:
        if bars:
            bars.close()
    if result.warnings:
        count = len(result.warnings)
        click.echo(f"数据有 {count} 处警告，运行 `python build.py validate` 查看 / {count} warning(s): "
                   "`python build.py validate` lists them", err=True)
    click.echo(f"已生成 {result.pages} 个页面 / built {result.pages} pages into {result.out_dir} "
               f"in {result.seconds:.1f} s")
    return result


def report_size(result, site_url: str | None, downloads_url: str | None) -> None:
    """What the site weighs, and, when it would not fit GitHub Pages, what to do about it."""
    from zjtx.build.mkdocs import MKDOCS_CONFIG, read_mkdocs_config
    from zjtx.hosting import host_advice, megabytes

    size = result.size
    click.echo(f"网站 {size.files} 个文件，{megabytes(size.bytes)}（页面、接口与搜索 {megabytes(size.site_bytes)}，"
               f"下载文件 {megabytes(size.download_bytes)}）/ {size.files} files, {megabytes(size.bytes)} "
               f"({megabytes(size.site_bytes)} pages, API and search; {megabytes(size.download_bytes)} downloads)")
    advice = host_advice(size, site_url or read_mkdocs_config(MKDOCS_CONFIG).get("site_url"), bool(downloads_url))
    if advice:
        english, chinese = advice
        click.echo(f"警告：{chinese}\nWarning: {english}", err=True)


@cli.command()
@datapackage_option
@out_option
@as_of_option
@site_url_option
@click.option("--downloads-url", default=None, metavar="URL",
              help="Address serving each released version's download folder (URL/<version>/), e.g. object storage: "
                   "/data/ and /changelog/ link released versions there instead of copying them into the site; "
                   "downloads/latest/ stays. Make the folders with `python build.py releases`.")
def build(package_dir, out_dir, as_of, site_url, downloads_url):
    """Validate the package, then build the public site into DIR, replacing it in one step.

    Invalid data is refused with the messages of `validate`; a failed build leaves the previous site untouched.

    \b
    Example:
        python build.py build
        python build.py build --datapackage my-edit/ --out /tmp/site --as-of 2025-12-31
        python build.py build --site-url https://example.org/zjtx/
        python build.py build --downloads-url https://downloads.example.org/zjtx/downloads
    """
    result = build_or_fail(package_dir, out_dir, as_of, site_url, downloads_url)
    report_size(result, site_url, downloads_url)
    warn_public_footer(site_url)


def warn_public_footer(site_url: str | None) -> None:
    """A public build (a site URL) whose footer lacks what a government site must show: a warning naming it."""
    from zjtx.publisher import public_warning
    from zjtx.build.mkdocs import MKDOCS_CONFIG, read_mkdocs_config, read_publisher

    if not (site_url or read_mkdocs_config(MKDOCS_CONFIG).get("site_url")):
        return
    warning = public_warning(read_publisher(MKDOCS_CONFIG))
    if warning:
        click.echo(warning, err=True)


@cli.command()
@datapackage_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("releases"),
              show_default=True, help="Folder the release folders are written to (DIR/downloads/<version>/).")
def releases(package_dir, out_dir):
    """Write every released version's download folder, for the address a site built with --downloads-url links.

    The folders are the verified exports of each release tag (data-vX.Y.Z), byte for byte the ones a full build
    puts under downloads/<version>/. Publish them to their own place; nothing is removed there that a release
    still has, and released files never change.

    \b
    Example:
        python build.py releases --out releases
        python build.py publish --site releases --to s3://BUCKET/zjtx-releases
        python build.py build --downloads-url https://BUCKET.oss-cn-beijing.aliyuncs.com/zjtx-releases/downloads
    """
    from zjtx.build import write_release_folders

    try:
        written = write_release_folders(package_dir, out_dir)
    except ZjtxError as error:
        fail(error)
    if not written:
        click.echo("尚无已发布的版本（标签 data-vX.Y.Z）/ no released version yet (tag data-vX.Y.Z)")
    for version, files, size in written:
        click.echo(f"{out_dir}/downloads/{version}/：{files} 个文件 / files, {size:,} B")


@cli.command()
@datapackage_option
@out_option
@as_of_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, help="Port to serve on.")
@site_url_option
def serve(package_dir, out_dir, as_of, host, port, site_url):
    """Build the site, serve it on localhost and rebuild when the data or the templates change.

    \b
    Example:
        python build.py serve
        python build.py serve --port 8080 --as-of 2025-12-31
    """
    from zjtx.serve import changes, start_server
    from zjtx.build.mkdocs import MKDOCS_CONFIG, THEME_DIR
    from zjtx.pages.environment import TEMPLATES_DIR

    try:
        server = start_server(out_dir, host, port)
    except ZjtxError as error:
        fail(error)
    click.echo(f"正在预览 / serving http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
    try:
        try:
            build_or_fail(package_dir, out_dir, as_of, site_url)
        except click.ClickException as error:
            # The preview keeps running: the bureau fixes what the message names, and the next save rebuilds.
            click.echo(error.format_message(), err=True)
            click.echo("改正后保存文件即可重新生成 / save the corrected file to rebuild", err=True)
        for changed in changes([Path(package_dir), TEMPLATES_DIR, THEME_DIR, MKDOCS_CONFIG]):
            click.echo(f"{len(changed)} 个文件有变化，重新生成 / {len(changed)} file(s) changed, rebuilding")
            try:
                build_or_fail(package_dir, out_dir, as_of, site_url)
            except click.ClickException as error:
                click.echo(error.format_message(), err=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _size(count: int) -> str:
    return f"{count:,} 字节 / bytes"


@cli.command()
@click.option("--to", "to", required=True, metavar="s3://BUCKET/PREFIX",
              help="The bucket and folder to publish to; the site's files replace what is under PREFIX.")
@click.option("--endpoint-url", metavar="URL",
              help="The store's S3 endpoint (Aliyun OSS, Tencent COS, MinIO), e.g. "
                   "https://s3.oss-cn-beijing.aliyuncs.com; default: AWS S3.")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="The built site to publish (the folder `build --out` wrote).")
@click.option("--dry-run", is_flag=True, help="Compare and list what would be uploaded and removed; change nothing.")
def publish(to, endpoint_url, site_dir, dry_run):
    """Copy a built site to S3-compatible object storage, uploading only new or changed files.

    Files are compared by checksum, never by modification time; pages go up after the files they use, and files
    the new site no longer has are removed last, once every upload succeeded. Credentials come from the
    environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION) or AWS_PROFILE, never from options.

    \b
    Example:
        python build.py publish --to s3://my-bucket/zjtx --endpoint-url https://s3.oss-cn-beijing.aliyuncs.com
        python build.py publish --to s3://my-bucket/ --endpoint-url https://cos.ap-beijing.myqcloud.com --dry-run
    """
    from zjtx.storage import publish as run_publish

    try:
        result = run_publish(site_dir, to, endpoint_url=endpoint_url, dry_run=dry_run)
    except ZjtxError as error:
        fail(error)
    shown = 100
    verb_zh, verb_en = ("将上传", "would upload") if dry_run else ("已上传", "uploaded")
    for path, size in result.uploaded[:shown]:
        click.echo(f"  + {path} ({size:,})")
    if len(result.uploaded) > shown:
        click.echo(f"  + … {len(result.uploaded) - shown} more")
    removed_zh, removed_en = ("将删除", "would remove") if dry_run else ("已删除", "removed")
    for path, size in result.removed[:shown]:
        click.echo(f"  - {path} ({size:,})")
    if len(result.removed) > shown:
        click.echo(f"  - … {len(result.removed) - shown} more")
    click.echo(f"{verb_zh} {len(result.uploaded)} 个文件 / {verb_en} {len(result.uploaded)} file(s), "
               f"{_size(result.uploaded_bytes)}")
    click.echo(f"未变 {result.kept} 个文件 / kept {result.kept} file(s), {_size(result.kept_bytes)}")
    click.echo(f"{removed_zh} {len(result.removed)} 个文件 / {removed_en} {len(result.removed)} file(s), "
               f"{_size(result.removed_bytes)}")
    if dry_run:
        click.echo(f"试运行，未改动 {result.target} / dry run: {result.target} is unchanged")
    else:
        click.echo(f"已发布到 {result.target} / published to {result.target} in {result.seconds:.1f} s")


@cli.command(name="nginx-config")
@click.option("--root", required=True, metavar="DIR",
              help="Absolute path of the built site on the server, e.g. /srv/zjtx/site.")
@click.option("--path", "site_path", default="/", show_default=True,
              help="The path the site is served under, as in --site-url of the build, e.g. /zjtx/.")
@click.option("--listen", default="80", show_default=True, help="nginx's listen value: a port or address:port.")
@click.option("--server-name", default="_", show_default=True, help="nginx's server_name: the site's host name.")
def nginx_config(root, site_path, listen, server_name):
    """Print an nginx server block for the built site, with the content types and cache headers of zjtx/hosting.py.

    It serves the site's 404 page for a missing file at any depth, UTF-8 text compressed with gzip, no folder
    listings; pages, latest and API files are revalidated, released downloads and hashed files kept a year.

    \b
    Example:
        python build.py nginx-config --root /srv/zjtx/site --path /zjtx/ > /etc/nginx/conf.d/zjtx-register.conf
        python build.py nginx-config --root /srv/zjtx/site --listen 8080 --server-name register.example.org
    """
    from zjtx.nginx import server_block

    try:
        click.echo(server_block(root, site_path, listen, server_name), nl=False)
    except ZjtxError as error:
        fail(error)


@cli.command(name="import-list")
@click.argument("list_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--announcement", "announcement_id", required=True,
              help="The announcement_id the list belongs to; its row must already be in announcements.csv.")
@datapackage_option
@as_of_option
@click.option("--dry-run", is_flag=True, help="Match and check, print what would change, write nothing.")
@click.option("--allow-unmatched", is_flag=True,
              help="Import the rows that match even if others are ambiguous or unmatched (they are listed).")
@click.option("--reason", type=click.Choice(["false_declaration", "no_longer_qualified", "withdrawn"]),
              help="status_reason for a removal or revocation list (default: no_longer_qualified for a removal, "
                   "false_declaration for a revocation).")
def import_list(list_file, announcement_id, package_dir, as_of, dry_run, allow_unmatched, reason):
    """Import an official list (XLSX, or CSV in UTF-8, UTF-8 with BOM or GBK) as one announcement's rows.

    Matches each row by USCC, or by the normalised name where the list has only names; adds the certifications
    (and new enterprises) of a designation, publicity or review notice, or changes the status of the rows of a
    removal or revocation notice. Writes nothing if a row is ambiguous or unmatched (unless --allow-unmatched)
    or if the package would not validate.

    \b
    Example:
        python build.py import-list 2025年第一批名单.xlsx --announcement sme-2025-1 --dry-run
        python build.py import-list 出库名单.csv --announcement seed-2025-removal
    """
    from zjtx.errors import ImportRefused
    from zjtx.importer import format_outcomes, import_list as run_import
    from zjtx.report import format_text

    try:
        result = run_import(list_file, announcement_id, package_dir, as_of=as_of, dry_run=dry_run,
                            allow_unmatched=allow_unmatched, reason=reason)
    except ImportRefused as error:
        # The table and the errors are information: only the closing advice is the error.
        click.echo(format_outcomes(error.result))
        for title, problems in (("本次导入造成的错误 / errors this import causes", error.result.caused),
                                ("导入前已存在的错误 / errors the package had before the import", error.result.earlier)):
            if problems:
                click.echo(f"\n{title}:\n{format_text(problems)}")
        click.echo("")
        fail(error)
    except ZjtxError as error:
        fail(error)
    click.echo(format_outcomes(result))
    if result.changes is not None:
        click.echo(f"变化 / changes: {result.changes.summary_zh()}")
    if result.stopping:
        click.echo(f"有 {len(result.stopping)} 行未导入（--allow-unmatched）/ {len(result.stopping)} row(s) left out")
    if result.written:
        click.echo(f"已写入 {package_dir}；请运行 python build.py diff HEAD 查看变化 / written; "
                   "`python build.py diff HEAD` shows the change")
    else:
        click.echo("未写入任何文件（--dry-run 或无变化）/ nothing written (dry run or no change)")


@cli.command()
@click.argument("old")
@click.argument("new", required=False)
@datapackage_option
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default=None,
              help="text for people at a terminal (the default there), markdown for a pull request's job summary "
                   "(the default when the output goes to a file or a pipe), json for scripts.")
def diff(old, new, package_dir, output_format):
    """Show what changed in the data between OLD and NEW: a summary in Chinese, then rows added, removed and changed.

    OLD and NEW are git revisions (a branch, tag or commit of the repository holding --datapackage) or paths to a
    package folder or its datapackage.json; NEW defaults to the package in the working tree.

    \b
    Example:
        python build.py diff HEAD
        python build.py diff data-v1.0.0 data-v1.1.0 --format json
        python build.py diff origin/main >> "$GITHUB_STEP_SUMMARY"
    """
    from zjtx import diff as report
    from zjtx.changes import compare_packages
    from zjtx.revisions import resolve

    output_format = output_format or ("text" if sys.stdout.isatty() else "markdown")
    try:
        with resolve(old, package_dir) as old_dir, resolve(new or package_dir, package_dir) as new_dir:
            changes = compare_packages(old_dir, new_dir)
            if output_format == "text":
                words = report.words_of(old_dir, new_dir)
            else:
                names = report.enterprise_names(old_dir, new_dir)
    except ZjtxError as error:
        fail(error)
    if output_format == "text":
        click.echo(report.format_text(changes, words), nl=False)
    elif output_format == "json":
        click.echo(report.format_json(changes, names))
    else:
        click.echo(report.format_markdown(changes, names), nl=False)


@cli.command(name="check-scope")
@click.option("--base", required=True, help="The git revision the change starts from, e.g. the pull request's base.")
@click.option("--head", default=None,
              help="The pull request's commit, read from git as data (never checked out or run); default: the "
                   "working tree.")
@click.option("--author", required=True, help="GitHub account of the change's author.")
@click.option("--owners", "owners_file", default=OWNERS_FILE, show_default=True,
              help="The owners file, read as it is at --base so a change cannot grant itself a district.")
@datapackage_option
def check_scope(base, head, author, owners_file, package_dir):
    """Refuse a bureau's change to anything but its own district's rows: files outside the data files, rows of
    other districts.

    Judges what merging --head (or the working tree) into --base would change; every file and row outside what the
    author holds is listed and the command exits 1. Maintainers are not judged by district: CODEOWNERS asks for
    their review. The pull-request workflow runs the base's copy of this command on the pull request's commit.

    \b
    Example:
        python build.py check-scope --base origin/main --author heping-bureau
        python build.py check-scope --base HEAD --head "$HEAD_SHA" --author "$AUTHOR"
    """
    from zjtx.errors import ScopeError
    from zjtx.revisions import file_at
    from zjtx.scope import check_change, format_report, parse_owners

    try:
        text = file_at(base, owners_file, package_dir)
        if text is None:
            raise ScopeError(
                f"{owners_file} does not exist at {base}: a maintainer must add it before bureaus' changes can be "
                "checked",
                f"{base} 中没有 {owners_file}：须先由维护者添加该文件，才能检查各区的改动",
            )
        owners = parse_owners(text.decode("utf-8", "replace"))
        report = check_change(Path(package_dir), base, head, owners, author)
    except ZjtxError as error:
        fail(error)
    if report.refusals:
        raise click.ClickException(
            f"{format_report(report)}\n\n"
            f"以上 {len(report.refusals)} 处改动超出 {author} 的管辖范围：请只修改本区的数据，或请维护者处理。\n"
            f"{len(report.refusals)} change(s) above are outside what {author} holds: change only your district's "
            "rows, or ask a maintainer."
        )
    click.echo(format_report(report))


if __name__ == "__main__":
    cli()
