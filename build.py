#!/usr/bin/env python3
"""Command line of the Tianjin 专精特新 open register: validate the data package and build the site."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date
from pathlib import Path

import click

import zjtx
from zjtx import load
from zjtx.errors import ZjtxError
from zjtx.scope import OWNERS_FILE

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"])


def datapackage_option(function):
    return click.option(
        "--datapackage", "package_dir", type=click.Path(path_type=Path),
        callback=lambda ctx, param, value: load.package_dir_of(value),
        default=load.DEFAULT_PACKAGE, show_default="datapackage/",
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
              help="Folder to write the package to; may be the source package itself.")
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
        changed = format_package(package_dir, check_only=check)
    except ZjtxError as error:
        fail(error)
    verb = "不规范 / not canonical" if check else "已改写 / rewritten"
    for path in changed:
        click.echo(f"{path}: {verb}")
    if not changed:
        click.echo("所有文件已是规范格式 / every file is canonical")
    if check and changed:
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


def build_or_fail(package_dir: Path, out_dir: Path, as_of: date, site_url: str | None = None):
    """Build the site; an invalid package is refused with the messages `validate` prints."""
    from zjtx.errors import InvalidPackage
    from zjtx.report import format_text
    from zjtx.site import build_site

    bars = ProgressBars() if sys.stdout.isatty() else None
    try:
        result = build_site(package_dir, out_dir, as_of, progress=bars, site_url=site_url)
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


@cli.command()
@datapackage_option
@out_option
@as_of_option
@site_url_option
def build(package_dir, out_dir, as_of, site_url):
    """Validate the package, then build the public site into DIR, replacing it in one step.

    Invalid data is refused with the messages of `validate`; a failed build leaves the previous site untouched.

    \b
    Example:
        python build.py build
        python build.py build --datapackage my-edit/ --out /tmp/site --as-of 2025-12-31
        python build.py build --site-url https://example.org/zjtx/
    """
    build_or_fail(package_dir, out_dir, as_of, site_url)
    warn_public_footer(site_url)


def warn_public_footer(site_url: str | None) -> None:
    """A public build (a site URL) whose footer lacks what a government site must show: a warning naming it."""
    from zjtx.publisher import public_warning
    from zjtx.site import MKDOCS_CONFIG, read_mkdocs_config, read_publisher

    if not (site_url or read_mkdocs_config(MKDOCS_CONFIG).get("site_url")):
        return
    warning = public_warning(read_publisher(MKDOCS_CONFIG))
    if warning:
        click.echo(warning, err=True)


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
    from zjtx.site import MKDOCS_CONFIG, THEME_DIR
    from zjtx.render import TEMPLATES_DIR

    try:
        server = start_server(out_dir, host, port)
    except ZjtxError as error:
        fail(error)
    try:
        build_or_fail(package_dir, out_dir, as_of, site_url)
    except click.ClickException:
        server.shutdown()
        raise
    click.echo(f"正在预览 / serving http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
    try:
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
        report = format_outcomes(error.result)
        if error.result.problems:
            errors = [p for p in error.result.problems if p.severity == "error"]
            report += "\n\n" + format_text(errors)
        raise click.ClickException(f"{report}\n\n{error.bilingual()}") from None
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
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="markdown for a pull request's job summary, json for scripts.")
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

    try:
        with resolve(old, package_dir) as old_dir, resolve(new or package_dir, package_dir) as new_dir:
            changes = compare_packages(old_dir, new_dir)
            names = report.enterprise_names(old_dir, new_dir)
    except ZjtxError as error:
        fail(error)
    if output_format == "json":
        click.echo(report.format_json(changes, names))
    else:
        click.echo(report.format_markdown(changes, names), nl=False)


@cli.command(name="check-scope")
@click.option("--base", required=True, help="The git revision the change starts from, e.g. the pull request's base.")
@click.option("--author", required=True, help="GitHub account of the change's author.")
@click.option("--owners", "owners_file", default=OWNERS_FILE, show_default=True,
              help="The owners file, read as it is at --base so a change cannot grant itself a district.")
@datapackage_option
def check_scope(base, author, owners_file, package_dir):
    """Refuse changes to enterprises or certifications of a district the author does not hold.

    Compares the package at --base with the working tree; the rows outside the author's districts (by
    district_code or recommended_by, before and after) are listed and the command exits 1.

    \b
    Example:
        python build.py check-scope --base origin/main --author heping-bureau
    """
    from zjtx.errors import ScopeError
    from zjtx.revisions import file_at, package_at
    from zjtx.scope import check_scope as run_check, format_report, parse_owners

    try:
        text = file_at(base, owners_file, package_dir)
        if text is None:
            raise ScopeError(
                f"{owners_file} does not exist at {base}: a maintainer must add it before bureaus' changes can be "
                "checked",
                f"{base} 中没有 {owners_file}：须先由维护者添加该文件，才能检查各区的改动",
            )
        owners = parse_owners(text.decode("utf-8"))
        with package_at(base, package_dir) as old_dir:
            report = run_check(old_dir, Path(package_dir), owners, author)
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
