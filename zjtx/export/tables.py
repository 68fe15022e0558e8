"""The tables of a package as typed rows, from the schema: what every download format writes.

The source CSVs stay the truth; each format converts a cell once, here, by the field's schema type, so a date is
a date in Excel, SQLite, Parquet and JSON alike, and an empty cell is a missing value (as Frictionless reads it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import load
from ..errors import PackageError


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    resource: dict
    fields: list[dict]
    rows: list[list]  # cells in the order of `fields`, typed; None where the CSV cell is empty

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        key = self.resource["schema"].get("primaryKey") or []
        return [key] if isinstance(key, str) else list(key)

    def types(self) -> list[str]:
        return [f.get("type", "string") for f in self.fields]


def _integer(text: str) -> int:
    return int(text)


def _number(text: str) -> float:
    return float(text)


def _boolean(text: str) -> bool:
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise ValueError(text)


CONVERTERS = {"integer": _integer, "number": _number, "date": date.fromisoformat, "boolean": _boolean}


def read_table(package_dir: Path, resource: dict) -> Table:
    """One resource's rows, typed by its schema; a cell its type cannot read is refused with file, row and field."""
    fields = resource["schema"]["fields"]
    path = load.resource_path(package_dir, resource)
    converters = [CONVERTERS.get(f.get("type", "string")) for f in fields]
    names = [f["name"] for f in fields]
    rows = []
    for line, raw in enumerate(load.read_raw_rows(path), start=2):
        row = []
        for name, convert in zip(names, converters):
            text = raw.get(name) or ""
            if not text:
                row.append(None)
                continue
            try:
                row.append(convert(text) if convert else text)
            except ValueError:
                raise PackageError(
                    f"{resource['path']} line {line}, field {name}: {text!r} is not a valid "
                    f"{resource['schema']['fields'][names.index(name)].get('type')}; run `python build.py validate`",
                    f"{resource['path']} 第 {line} 行字段 {name}：{text!r} 不符合字段类型；请运行 "
                    "`python build.py validate` 查看并改正",
                ) from None
        rows.append(row)
    return Table(resource["name"], resource.get("title", resource["name"]), resource, fields, rows)


def read_tables(package_dir: Path) -> list[Table]:
    """Every resource the descriptor declares, in its order: new resources are exported without code changes."""
    descriptor = load.read_descriptor(package_dir)
    return [read_table(package_dir, resource) for resource in descriptor.get("resources", [])]


def cell_text(value) -> str:
    """A typed cell as the CSV spells it: what every format is compared against."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
