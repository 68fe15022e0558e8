"""Validate the package: bytes, descriptor, file structure, Frictionless schemas and keys, and the contract's rules.

Causes come first: a fault of a whole file (empty, header only, a header that is not the schema's, unparsable
quoting) is reported once, at the top, and the errors that only follow from it (its rows, foreign keys into it)
are counted on it instead of being listed.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import multiprocessing
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

from frictionless import Checklist, FrictionlessException
from frictionless import Package as FrictionlessPackage

from . import csvfile, rows
from .boundary import link_out_problems, link_problems, remote_references
from .checks import build_context, checks_for
from .contract import broken_resources, check_descriptor, check_shape
from .encoding import inspect_bytes
from .messages import descriptor_problem, foreign_key_problem, problem_from_error
from .package import Package, Resource, row_order
from .problems import ERROR, WARNING, Problem

# Frictionless stops a table after this many errors; a bureau's file never has that many, a broken export might.
# `validate --all` lifts the limit; a table that reached it is named in Findings.capped.
LIMIT_ERRORS = 10_000
# Tables every package has rows in: without them nothing else can be checked or published.
MUST_HAVE_ROWS = {"tiers", "districts", "industry_sections", "industries", "enterprises", "announcements",
                  "certifications", "policies"}


class Findings(list):
    """The problems of a package, causes first, then errors, then warnings grouped by kind.

    `capped` names the files whose validation stopped at the error limit: there may be more problems in them."""

    def __init__(self, problems=(), capped=(), limit=LIMIT_ERRORS):
        super().__init__(problems)
        self.capped = list(capped)
        self.limit = limit


def _missing_file(file: str) -> Problem:
    return Problem(file, None, None, None, "missing-file", ERROR, "文件不存在", "the file does not exist",
                   "按 datapackage.json 中的 path 放置该文件", "Put the file where datapackage.json's path says")


def _header_only(file: str) -> Problem:
    return Problem(file, 1, None, None, csvfile.HEADER_ONLY, ERROR,
                   "文件只有表头，没有数据行", "the file has a header but no rows",
                   "恢复数据（如 git checkout -- 该文件）；导出时确认选中了全部行",
                   "Restore the rows (e.g. git checkout -- the file); when exporting, make sure every row is selected")


def _unsorted(file: str, resource: Resource, table: csvfile.Table) -> Problem | None:
    key_fields = list(resource.primary_key)
    if not key_fields or any(name not in table.header for name in key_fields):
        return None
    positions = [table.header.index(name) for name in key_fields]
    key = row_order(resource)
    previous = None
    for record in table.records:
        current = key({name: record.cell(i) for name, i in zip(key_fields, positions)})
        if previous is not None and current < previous:
            keys = ", ".join(key_fields)
            return Problem(file, record.line, None, None, "not-sorted", WARNING,
                           f"行未按主键（{keys}）排序：第 {record.line} 行应排在前面",
                           f"the rows are not sorted by the primary key ({keys}): line {record.line} belongs earlier",
                           "运行 `python build.py fmt` 排序，拉取请求的差异才会只显示真正的改动",
                           "Run `python build.py fmt` to sort them, so pull-request diffs show only real changes")
        previous = current
    return None


def _inspect_files(source: Package):
    """Byte and structure problems of every data file, the repaired texts of the files that need them, and the
    tables that could be read, by resource name."""
    problems, repaired, tables = [], {}, {}
    for name, resource in source.resources.items():
        file = resource.path
        path = source.root / file  # inside the package: the descriptor's paths are checked first
        if not path.is_file():
            problems.append(_missing_file(file))
            continue
        data = path.read_bytes()
        inspection = inspect_bytes(file, data)
        problems.extend(inspection.problems)
        if inspection.text is not None:
            repaired[file] = inspection.text
        table, faults = csvfile.parse(file, inspection.text if inspection.text is not None else data.decode("utf-8"))
        problems.extend(faults)
        if table is None:
            continue
        tables[name] = table
        expected = resource.field_names
        faults = csvfile.header_faults(file, table.header, expected)
        if not faults and not table.records and name in MUST_HAVE_ROWS:
            faults = [_header_only(file)]
        if not faults:
            unsorted = _unsorted(file, resource, table)
            faults = [unsorted] if unsorted else []
        problems.extend(faults)
    return problems, repaired, tables


def _without_foreign_keys(descriptor: dict) -> dict:
    """The descriptor Frictionless validates: foreign keys are checked by _foreign_keys instead, from the text
    already read. (Frictionless re-reads and types every referenced table to check them: at 100,000 enterprises
    that was a third of the rows it parsed.)"""
    stripped = copy.deepcopy(descriptor)
    for resource in stripped.get("resources", []):
        schema = resource.get("schema")
        if isinstance(schema, dict):
            schema.pop("foreignKeys", None)
    return stripped


def _foreign_keys(source: Package, tables: dict[str, csvfile.Table], context, limit_errors: int):
    """Rows whose foreign key points at no row of the referenced table, as Frictionless judges them: a key with
    every cell empty points at nothing and is not checked; cells are compared as written (every key is text).
    Each problem comes with the file it points into; the files whose report reached the limit are returned too."""
    resources = source.resources
    found, capped, lookups = [], [], {}

    def column(table: csvfile.Table, name: str) -> int | None:
        return table.header.index(name) if name in table.header else None

    def lookup(target: str, fields: tuple[str, ...]) -> set | None:
        if (target, fields) not in lookups:
            table = tables.get(target)
            positions = [column(table, name) for name in fields] if table else [None]
            lookups[target, fields] = None if None in positions else {
                tuple(record.cell(i) for i in positions) for record in table.records}
        return lookups[target, fields]

    for name, table in tables.items():
        resource = resources[name]
        file, count = resource.path, 0
        for key in resource.foreign_keys:
            fields, target, target_fields = list(key.fields), key.resource, list(key.reference)
            positions = [column(table, field) for field in fields]
            known = lookup(target, tuple(target_fields))
            if None in positions or known is None or target not in resources:
                continue  # a column or file missing: reported as the cause already
            for record in table.records:
                values = tuple(record.cell(i) for i in positions)
                if values in known or not any(values):
                    continue
                if limit_errors and count >= limit_errors:
                    capped.append(file)
                    break
                count += 1
                problem = foreign_key_problem(file, record.line, fields, list(values), target, target_fields, context)
                found.append((problem, resources[target].path))
    return found, capped


def _frictionless_package(package_dir: Path, descriptor: dict):
    """Frictionless's Package of the descriptor (its foreign keys left out), or None and the descriptor's problems.

    Built before the files are read: the first Package imports most of what Frictionless validates with (a fifth
    of `validate`), and so does it once, before the work is shared with a second process."""
    try:
        package = FrictionlessPackage(_without_foreign_keys(descriptor), basepath=str(package_dir))
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return None, [(descriptor_problem(error), None) for error in exception.to_errors()]
    return package, []


def _validate_tables(package, source: Package, as_of: date, limit_errors: int, skip_rules: set[str],
                     tables: dict[str, csvfile.Table], parallel: bool = True):
    """Frictionless problems and the foreign keys', each with the file its foreign key points into (or None), and
    the capped files. `package` is Frictionless's, `source` the package as zjtx.package reads it."""
    context = build_context(source, as_of, tables)

    def check(resource) -> tuple[list, list]:
        """The problems of one table (or of the foreign keys) and the files whose report reached the limit."""
        if resource is FOREIGN_KEYS:
            return _foreign_keys(source, tables, context, limit_errors)
        found, capped = [], []
        checks = [] if resource.name in skip_rules else checks_for(resource.name, context)
        file = resource.path
        typed = rows.typed_rows(resource, tables[resource.name]) if resource.name in tables else None
        if typed is not None:  # as the schema wants: only the rule checks can find anything
            errors, stopped = rows.check_rows(resource, typed, checks, limit_errors)
            if stopped:
                capped.append(file)
            found.extend((problem_from_error(file, error, resource, context), None) for error in errors)
            return found, capped
        report = resource.validate(checklist=Checklist(checks=checks), limit_errors=limit_errors)
        for task in report.tasks:
            if any("error limit" in warning for warning in task.warnings):
                capped.append(file)
            for error in task.errors:
                found.append((problem_from_error(file, error, resource, context), None))
        for error in report.errors:  # errors outside any table, e.g. a broken schema
            found.append((problem_from_error(file, error, resource, context), None))
        return found, capped

    def cells(resource) -> int:
        if resource is FOREIGN_KEYS:  # a look-up per key: measured, about half the time of typing and checking a cell
            return _foreign_key_cells(source, tables) // 2
        table = tables.get(resource.name)
        return len(table.records) * len(table.header) if table else 0

    found, capped = [], []
    items = [FOREIGN_KEYS, *package.resources]
    for item_found, item_capped in (_in_two_processes(check, items, cells) if parallel else map(check, items)):
        found += item_found
        capped += item_capped
    return found, capped


# The foreign keys, checked as one item of the work beside the tables' rows.
FOREIGN_KEYS = object()


def _foreign_key_cells(source: Package, tables: dict[str, csvfile.Table]) -> int:
    return sum(len(tables[name].records) * len(resource.foreign_keys)
               for name, resource in source.resources.items() if name in tables)


# Below this many cells a second process costs more than it saves (most test packages, a bureau's small fixes).
PARALLEL_CELLS = 20_000


def _in_two_processes(work, items: list, cost) -> list:
    """[work(item) for item in items], the items shared between this process and a forked one.

    Schema validation and the rule checks are most of `validate`'s time, one table at a time. On two cores both
    processes take the next item, the costliest first, until none is left: a table's cost per cell varies with
    its rules, so taking turns balances better than a split made in advance. The results come back in the order
    of `items`, whichever process did them. Not in a daemonic process (the build validates in one, beside its
    rendering), not where fork is missing, and not for a small package. If the second process fails, this one
    does what it had taken.
    """
    costs = [cost(item) for item in items]
    if (sum(costs) < PARALLEL_CELLS or os.cpu_count() in (None, 1) or multiprocessing.current_process().daemon
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [work(item) for item in items]
    order = sorted(range(len(items)), key=costs.__getitem__, reverse=True)
    forked = multiprocessing.get_context("fork")
    taken = forked.Value("i", 0)
    receive, send = forked.Pipe(duplex=False)

    def take_turns() -> dict:
        done = {}
        while True:
            with taken.get_lock():
                position = taken.value
                taken.value += 1
            if position >= len(order):
                return done
            done[order[position]] = work(items[order[position]])

    def child():
        try:
            send.send(take_turns())
        except BaseException:  # noqa: BLE001 - the parent does the work again and reports what fails
            send.send(None)
        finally:
            send.close()

    process = forked.Process(target=child, daemon=True)
    # Objects older than the fork are shared copy-on-write: the child's collector must not touch (and so copy) them.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    send.close()
    try:
        done = take_turns()
        try:
            other = receive.recv()
        except EOFError:
            other = None
    finally:
        receive.close()
        process.join()
    done.update(other or {})
    return [done[index] if index in done else work(items[index]) for index in range(len(items))]


def _order(problems: list[Problem]) -> list[Problem]:
    """Causes first, then errors by file and line, then warnings grouped by kind."""
    def rank(problem: Problem):
        if problem.code in csvfile.FILE_FAULTS or problem.code in ("not-utf8", "missing-file", "contract",
                                                                 "remote-reference"):
            return 0
        return 1 if problem.severity == ERROR else 2

    return sorted(problems, key=lambda p: (rank(p), p.code if rank(p) == 2 else "", p.sort_key))


def validate_package(package_dir: Path, as_of: date | None = None, limit_errors: int = LIMIT_ERRORS,
                     parallel: bool = True) -> Findings:
    """Every problem of the package, causes first, errors, then warnings. Raises PackageError only when there is
    no descriptor to read. `limit_errors=0` checks every row of every table, however many errors there are.
    `parallel=False` keeps the work in this process (the build validates in a process of its own already)."""
    source = Package.read(package_dir)
    package_dir, descriptor = source.root, source.descriptor
    as_of = as_of or date.today()
    links_out = link_out_problems(package_dir)
    # Before Frictionless is given the descriptor: it would fetch or open what a remote reference names.
    malformed = check_shape(descriptor, package_dir)
    if isinstance(descriptor, dict):
        malformed += remote_references(descriptor)
    if malformed:
        return Findings(_order(malformed + links_out), limit=limit_errors)
    problems = check_descriptor(descriptor) + link_problems(descriptor) + links_out
    package, descriptor_problems = _frictionless_package(package_dir, descriptor)
    byte_problems, repaired, tables = _inspect_files(source)
    problems += byte_problems
    # Rules read fields by name: on a resource whose descriptor or header lacks some, they would judge nothing.
    faulty_files = {p.file for p in byte_problems if p.code in csvfile.FILE_FAULTS and p.severity == ERROR}
    skip_rules = broken_resources(problems) | {
        name for name, resource in source.resources.items() if resource.path in faulty_files}
    if any(p.code == "missing-file" for p in byte_problems):
        return Findings(_order(problems), limit=limit_errors)
    if package is None:
        found, capped = descriptor_problems, []
    elif repaired:
        # Validate a repaired copy, so one GBK or CRLF file does not hide the other problems.
        with tempfile.TemporaryDirectory(prefix="zjtx-validate-") as scratch:
            repaired_dir = Path(scratch) / "package"
            shutil.copytree(package_dir, repaired_dir)
            for relative, text in repaired.items():
                (repaired_dir / relative).write_bytes(text.encode("utf-8"))
            package, _ = _frictionless_package(repaired_dir, descriptor)
            found, capped = _validate_tables(package, source, as_of, limit_errors, skip_rules, tables,
                                             parallel)
    else:
        found, capped = _validate_tables(package, source, as_of, limit_errors, skip_rules, tables, parallel)
    # The first fault of a broken file takes the count of every error that follows from it.
    causes = {}
    for index, problem in enumerate(problems):
        if problem.code in csvfile.FILE_FAULTS and problem.severity == ERROR:
            causes.setdefault(problem.file, index)
    follows = dict.fromkeys(causes.values(), 0)
    for problem, target in found:
        cause = causes.get(problem.file, causes.get(target))
        if cause is None:
            problems.append(problem)
        elif problem.severity == ERROR:
            follows[cause] += 1
    for index, count in follows.items():
        problems[index] = dataclasses.replace(problems[index], follows=count)
    return Findings(_order(problems), list(dict.fromkeys(capped)), limit_errors)
