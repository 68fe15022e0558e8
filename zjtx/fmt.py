"""Rewrite the package's CSV files in canonical form, so pull-request diffs show only real changes.

fmt changes only what it can change without touching a value: column order, row order, quoting, a byte-order
mark, CRLF line ends and blank lines. Anything else (a renamed, missing or unknown column, an unparsable line, a
ragged row, a file that is not UTF-8) is the user's decision: fmt refuses and changes no byte of any file. Every
file is read and checked first; files are written only when all of them are known to be right.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import csvfile
from .contract import check_shape
from .encoding import inspect_bytes
from .errors import PackageError
from .problems import Problem
from .package import Package, Resource, canonical_csv, row_order
from .transaction import recover

# Byte repairs fmt makes itself; any other byte problem stops it.
REPAIRED_BYTES = {"byte-order-mark", "crlf"}


class FormatRefused(PackageError):
    """fmt found something it cannot rewrite without changing a value; `problems` says what and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines_zh = [f"{p.file} 第 {p.row} 行：{p.message_zh}。{p.hint_zh}" if p.row else
                    f"{p.file}：{p.message_zh}。{p.hint_zh}" for p in problems]
        lines_en = [f"{p.file} line {p.row}: {p.message_en}. {p.hint_en}" if p.row else
                    f"{p.file}: {p.message_en}. {p.hint_en}" for p in problems]
        note_zh = "fmt 未改动任何文件。"
        note_en = "fmt changed no file."
        super().__init__("\n".join(lines_en + [note_en]), "\n".join(lines_zh + [note_zh]))


@dataclass(frozen=True)
class Departure:
    """One way a file departs from the canonical spelling, from the first line where it does."""

    line: int
    reason_zh: str
    reason_en: str


@dataclass
class Rewrite:
    """A file that is not canonical: what fmt writes instead, and why (the first departure first)."""

    file: str
    departures: list[Departure]
    new_bytes: bytes

    @property
    def first_line(self) -> int:
        return self.departures[0].line


def _canonical(resource: Resource, data: bytes) -> tuple[list[dict] | None, list[Problem], list[Departure]]:
    """The file's rows as fmt rewrites them (None when it refuses), what stops it, and why the file is not
    canonical (nothing when it is)."""
    file = resource.path
    inspection = inspect_bytes(file, data)
    refused = [p for p in inspection.problems if p.code not in REPAIRED_BYTES]
    if refused:
        # Guessing an encoding and rewriting could corrupt names; the person who saved the file must re-save it.
        return None, refused, []
    text = inspection.text if inspection.text is not None else data.decode("utf-8")
    table, faults = csvfile.parse(file, text)
    if table is None:
        return None, faults, []
    expected = resource.field_names
    header_faults = csvfile.header_faults(file, table.header, expected)
    faults = [f for f in header_faults if f.code not in csvfile.REPAIRABLE]
    faults += csvfile.ragged_records(file, table)
    if faults:
        return None, faults, []
    rows = [dict(zip(table.header, record.cells)) for record in table.records]
    canonical = canonical_csv(resource, rows)
    if canonical.encode("utf-8") == data:
        return rows, [], []
    departures = [Departure(p.row or 1, p.message_zh, p.message_en) for p in inspection.problems]
    if header_faults:
        departures.append(Departure(1, "列的顺序与数据说明（datapackage.json）不同",
                                    "the columns are not in the schema's order (datapackage.json)"))
    departures += _layout_departures(resource, text, table, rows)
    if not departures:  # every difference should have a reason above; this one names the line at least
        line = next((n for n, (a, b) in enumerate(zip(text.split("\n"), canonical.split("\n")), start=1)
                     if a != b), 1)
        departures.append(Departure(line, "与规范写法不同", "differs from the canonical spelling"))
    return rows, [], sorted(departures, key=lambda d: d.line)


def _layout_departures(resource: Resource, text: str, table: csvfile.Table, rows: list[dict]) -> list[Departure]:
    """Blank lines, needless quotes, rows out of primary-key order, a missing last line end."""
    departures = []
    lines = text.split("\n")
    if table.blank_lines:
        blank = next(n for n, line in enumerate(lines[:-1], start=1) if not line)
        departures.append(Departure(blank, f"空行（共 {table.blank_lines} 行）", f"a blank line ({table.blank_lines} in all)"))
    for record in table.records:
        spelled = io.StringIO()
        csv.writer(spelled, lineterminator="").writerow(record.cells)
        if lines[record.line - 1] != spelled.getvalue():
            departures.append(Departure(
                record.line, f"引号用法不是最简写法（应写作 {spelled.getvalue()[:80]}）",
                f"quoting is not minimal (should read {spelled.getvalue()[:80]})"))
            break
    key = row_order(resource)
    keys = [key(row) for row in rows]
    for position in range(1, len(keys)):
        if keys[position] < keys[position - 1]:
            record = table.records[position]
            before = next(table.records[n].line for n in range(position) if keys[n] > keys[position])
            names = "、".join(resource.primary_key)
            departures.append(Departure(
                record.line, f"行的顺序不对：这一行应排在第 {before} 行之前（按主键 {names} 排序）",
                f"rows out of order: this row belongs before line {before} (sorted by the primary key {names})"))
            break
    if text and not text.endswith("\n"):
        departures.append(Departure(len(lines), "最后一行缺少换行符", "the last line has no line end"))
    return departures


def format_package(package_dir: Path, check_only: bool = False) -> list[Rewrite]:
    """Rewrite every CSV that is not canonical, all files or none; return them with why (or what would change).

    Raises FormatRefused, before writing anything, when any file cannot be rewritten without changing a value."""
    recover(Path(package_dir))  # a write killed midway is finished (or undone) before the files are read
    package = Package.read(package_dir)
    malformed = check_shape(package.descriptor, package.root)
    if malformed:
        raise FormatRefused(malformed)
    rewrites: list[Rewrite] = []
    refused: list[Problem] = []
    tables: dict[str, list[dict]] = {}
    for name, resource in package.resources.items():
        path = package.path(name)
        if not path.is_file():
            continue
        rows, problems, departures = _canonical(resource, path.read_bytes())
        refused += problems
        if departures:
            rewrites.append(Rewrite(resource.path, departures, package.canonical(name, rows)))
            tables[name] = rows
    if refused:
        raise FormatRefused(refused)
    if not check_only:
        package.write(tables)
    return rewrites
