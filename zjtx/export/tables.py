"""The tables of a package as typed rows, from the schema: what every download format writes.

The source CSVs stay the truth; each format takes a cell as zjtx.package typed it by the field's schema type, so a
date is a date in Excel, SQLite, Parquet and JSON alike, and an empty cell is a missing value (as Frictionless
reads it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..package import Package, Resource, cell_text  # noqa: F401 - cell_text: how every format is compared


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    resource: Resource
    rows: list[list]  # cells in the order of the schema's fields, typed; None where the CSV cell is empty

    @property
    def fields(self) -> list[dict]:
        """The fields as the descriptor writes them (title, description, type, constraints)."""
        return [dict(field.descriptor) for field in self.resource.fields]

    @property
    def names(self) -> list[str]:
        return self.resource.field_names

    @property
    def primary_key(self) -> list[str]:
        return list(self.resource.primary_key)

    def types(self) -> list[str]:
        return self.resource.types


def read_tables(package: Package) -> list[Table]:
    """Every resource the descriptor declares, in its order: new resources are exported without code changes."""
    tables = []
    for name, resource in package.resources.items():
        rows = [[row[field] for field in resource.field_names] for row in package.typed_rows(name)]
        tables.append(Table(name, resource.title, resource, rows))
    return tables
