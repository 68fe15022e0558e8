"""Validate the package: bytes, descriptor, Frictionless schemas and keys, and the contract's rules."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from frictionless import Checklist, FrictionlessException, Package

from . import load
from .checks import build_context, checks_for
from .contract import check_descriptor
from .encoding import inspect_bytes
from .messages import problem_from_error
from .problems import ERROR, Problem

# Frictionless stops a table after this many errors; a bureau's file never has that many, a broken export might.
LIMIT_ERRORS = 10_000


def _missing_file(file: str) -> Problem:
    return Problem(file, None, None, None, "missing-file", ERROR, "文件不存在", "the file does not exist",
                   "按 datapackage.json 中的 path 放置该文件", "Put the file where datapackage.json's path says")


def _metadata_problems(exception: FrictionlessException) -> list[Problem]:
    problems = []
    for error in exception.to_errors():
        problems.append(Problem(
            load.DESCRIPTOR_NAME, None, None, None, error.type, ERROR,
            f"数据包说明文件有误：{error.message}", f"the descriptor is invalid: {error.message}",
            "按 Frictionless Data Package 规范改正 datapackage.json", "Correct datapackage.json (Frictionless Data Package spec)",
        ))
    return problems


def _inspect_files(package_dir: Path, descriptor: dict):
    """Byte problems of every data file, and the repaired texts of the files that need them."""
    problems, repaired = [], {}
    for resource in load.resource_descriptors(descriptor).values():
        path = load.resource_path(package_dir, resource)
        if not path.is_file():
            problems.append(_missing_file(resource["path"]))
            continue
        inspection = inspect_bytes(resource["path"], path.read_bytes())
        problems.extend(inspection.problems)
        if inspection.text is not None:
            repaired[resource["path"]] = inspection.text
    return problems, repaired


def _validate_tables(package_dir: Path, descriptor: dict, as_of: date) -> list[Problem]:
    try:
        package = Package(str(package_dir / load.DESCRIPTOR_NAME))
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return _metadata_problems(exception)
    context = build_context(package_dir, as_of)
    problems = []
    for resource in package.resources:
        checklist = Checklist(checks=checks_for(resource.name, context))
        report = resource.validate(checklist=checklist, limit_errors=LIMIT_ERRORS)
        file = resource.path
        for task in report.tasks:
            for error in task.errors:
                problems.append(problem_from_error(file, error, resource))
        for error in report.errors:  # errors outside any table, e.g. a broken schema
            problems.append(problem_from_error(file, error, resource))
    return problems


def validate_package(package_dir: Path, as_of: date | None = None) -> list[Problem]:
    """Every problem of the package, errors and warnings, sorted by file and line. Raises PackageError only
    when there is no descriptor to read."""
    package_dir = Path(package_dir)
    as_of = as_of or date.today()
    descriptor = load.read_descriptor(package_dir)
    problems = check_descriptor(descriptor)
    byte_problems, repaired = _inspect_files(package_dir, descriptor)
    problems += byte_problems
    if any(p.code == "missing-file" for p in byte_problems):
        return sorted(problems, key=lambda p: p.sort_key)
    if repaired:
        # Validate a repaired copy, so one GBK or CRLF file does not hide the other problems.
        with tempfile.TemporaryDirectory(prefix="zjtx-validate-") as scratch:
            copy = Path(scratch) / "package"
            shutil.copytree(package_dir, copy)
            for relative, text in repaired.items():
                (copy / relative).write_bytes(text.encode("utf-8"))
            problems += _validate_tables(copy, descriptor, as_of)
    else:
        problems += _validate_tables(package_dir, descriptor, as_of)
    return sorted(problems, key=lambda p: p.sort_key)
