#!/usr/bin/env python3
"""Command line of the Tianjin 专精特新 open register: validate the data package and build the site."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

import zjtx
from zjtx import load
from zjtx.errors import ZjtxError

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"])


def datapackage_option(function):
    return click.option(
        "--datapackage", "package_dir", type=click.Path(file_okay=False, path_type=Path),
        default=load.DEFAULT_PACKAGE, show_default="datapackage/", help="Folder holding datapackage.json.",
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


@cli.command()
@datapackage_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for CI.")
def validate(package_dir, as_of, output_format):
    """Check the data package against its schemas and the policy's rules.

    Lists every problem with file, line, field, value, what is wrong and how to fix it, in Chinese and English.
    Exits 1 if there is an error, 0 if there are only warnings.

    \b
    Example:
        python build.py validate
        python build.py validate --datapackage my-edit/ --as-of 2025-12-31 --format json
    """
    from zjtx.report import format_json, format_text
    from zjtx.validate import validate_package

    try:
        problems = validate_package(package_dir, as_of)
    except ZjtxError as error:
        fail(error)
    click.echo(format_json(problems) if output_format == "json" else format_text(problems))
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


if __name__ == "__main__":
    cli()
