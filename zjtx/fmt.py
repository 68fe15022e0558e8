"""Rewrite the package's CSV files in canonical form, so pull-request diffs show only real changes.

fmt changes only what it can change without touching a value: column order, row order, quoting, a byte-order
mark, CRLF line ends and blank lines. Anything else (a renamed, missing or unknown column, an unparsable line, a
ragged row, a file that is not UTF-8) is the user's decision: fmt refuses and changes no byte of any file. Every
file is read and checked first; files are written only when all of them are known to be right.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import csvfile, load
from .contract import check_shape
from .encoding import inspect_bytes
from .errors import PackageError
from .problems import Problem

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


def _canonical(resource: dict, data: bytes) -> tuple[str | None, list[Problem]]:
    file = resource["path"]
    inspection = inspect_bytes(file, data)
    refused = [p for p in inspection.problems if p.code not in REPAIRED_BYTES]
    if refused:
        # Guessing an encoding and rewriting could corrupt names; the person who saved the file must re-save it.
        return None, refused
    text = inspection.text if inspection.text is not None else data.decode("utf-8")
    table, faults = csvfile.parse(file, text)
    if table is None:
        return None, faults
    expected = [field["name"] for field in resource["schema"]["fields"]]
    faults = [f for f in csvfile.header_faults(file, table.header, expected) if f.code not in csvfile.REPAIRABLE]
    faults += csvfile.ragged_records(file, table)
    if faults:
        return None, faults
    rows = [dict(zip(table.header, record.cells)) for record in table.records]
    return load.canonical_csv(resource, rows), []


def _replace(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def format_package(package_dir: Path, check_only: bool = False) -> list[str]:
    """Rewrite every CSV that is not canonical; return the paths that changed (or would change).

    Raises FormatRefused, before writing anything, when any file cannot be rewritten without changing a value."""
    package_dir = Path(package_dir)
    descriptor = load.read_descriptor(package_dir)
    malformed = check_shape(descriptor, package_dir)
    if malformed:
        raise FormatRefused(malformed)
    new_bytes: dict[Path, bytes] = {}
    changed: list[str] = []
    refused: list[Problem] = []
    for resource in load.resource_descriptors(descriptor).values():
        path = load.resource_path(package_dir, resource)
        if not path.is_file():
            continue
        data = path.read_bytes()
        text, problems = _canonical(resource, data)
        refused += problems
        if text is not None and text.encode("utf-8") != data:
            new_bytes[path] = text.encode("utf-8")
            changed.append(resource["path"])
    if refused:
        raise FormatRefused(refused)
    if not check_only:
        for path, data in new_bytes.items():
            _replace(path, data)
    return changed
