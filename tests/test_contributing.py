"""CONTRIBUTING.md's templates are rows that validate: each one, applied to the small package, leaves no error."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from packages import AS_OF, make_good_package, read_table, write_table
from zjtx.validate import validate_package

GUIDE = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
PRIMARY_KEYS = {"announcements": 1, "enterprises": 1, "certifications": 3}


def templates() -> dict[str, list[list[list[str]]]]:
    """Each template's CSV blocks (header and rows), by the name in its <!-- template: name --> marker."""
    found = {}
    parts = re.split(r"<!-- template: (\w+) -->", GUIDE)
    for name, body in zip(parts[1::2], parts[2::2]):
        body = body.split("\n### ")[0].split("\n## ")[0]
        found[name] = [list(csv.reader(io.StringIO(block))) for block in re.findall(r"```csv\n(.*?)```", body, re.S)]
    return found


def resource_of(header: list[str], package: Path) -> str:
    for resource in PRIMARY_KEYS:
        if read_table(package, resource)[0] == header:
            return resource
    raise AssertionError(f"no table has the header {header}")


def test_the_guide_has_the_three_templates():
    assert sorted(templates()) == ["designation", "removal", "revocation"]


def apply(package: Path, name: str, blocks: list[list[list[str]]]) -> list:
    """Add each block's rows to its table, replacing rows with the same key; return the errors of validation."""
    for header, *rows in blocks:
        resource = resource_of(header, package)
        width = PRIMARY_KEYS[resource]
        table = read_table(package, resource)
        replaced = {tuple(row[:width]) for row in rows}
        kept = [row for row in table[1:] if tuple(row[:width]) not in replaced]
        if resource == "certifications" and name != "designation":
            assert len(kept) == len(table) - 1 - len(rows)  # a status change edits the row, never adds one
        write_table(package, resource, [table[0], *kept, *rows])
    return [p for p in validate_package(package, AS_OF) if p.severity == "error"]


@pytest.mark.parametrize("name", ["designation", "removal", "revocation"])
def test_template_rows_validate(tmp_path, name):
    assert apply(make_good_package(tmp_path / "package"), name, templates()[name]) == []


def test_a_template_with_a_wrong_term_would_fail(tmp_path):
    blocks = templates()["designation"]
    broken = [[[cell.replace("2028-06-20", "2027-06-20") for cell in row] for row in block] for block in blocks]
    errors = apply(make_good_package(tmp_path / "package"), "designation", broken)
    assert {(p.file, p.field) for p in errors} == {("data/certifications.csv", "valid_until")}
