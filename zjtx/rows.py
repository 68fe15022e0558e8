"""The rows of a well-formed table, typed and checked by the schema's own cell readers, for the rule checks.

Frictionless's row machinery (a Row object per row, typed cell by cell on first use, with its bookkeeping of
primary keys and unique values) was two thirds of `validate`. For a table that is as its schema wants (header,
the width of every row, every cell's type and constraints, keys and unique values), which is nearly every table
of a package, the same values come from Frictionless's own cell readers (Field.create_cell_reader: missing
values, type, constraints) in a plain loop, with quick readers in front of them for the commonest spellings. `typed_rows` gives up at the first thing Frictionless would report,
and that table is validated by Frictionless as before: every schema problem is still found and worded by it.
"""

from __future__ import annotations

import re
from datetime import date

from frictionless import Checklist

from .csvfile import Table


class Row(dict):
    """What a rule check reads of a row, as on Frictionless's Row: typed values by field name, the raw cells,
    the row number (the line: a table read here has no blank or multi-line rows) and no schema errors."""

    def __init__(self, values: list, field_names: list[str], cells: list[str], row_number: int):
        super().__init__(zip(field_names, values))
        self.field_names = field_names
        self.cells = cells
        self.row_number = row_number
        self.errors: list = []


def typed_rows(resource, table: Table) -> list[Row] | None:
    """Every row of `table` typed by the schema of `resource` (a Frictionless Resource), or None as soon as
    anything is not as the schema wants: Frictionless must then validate the table itself."""
    schema = resource.schema
    names = schema.field_names
    if table.header != names or table.blank_lines or resource.hash or resource.bytes:
        return None
    readers = [_reader(field) for field in schema.fields]
    key_positions = [names.index(name) for name in schema.primary_key]
    unique = [(position, set()) for position, field in enumerate(schema.fields) if field.constraints.get("unique")]
    keys: set = set()
    width, line = len(names), 1
    rows = []
    for record in table.records:
        line += 1
        cells = record.cells
        if record.line != line or len(cells) != width:
            return None
        values = []
        for reader, cell in zip(readers, cells):
            value, notes = reader(cell)
            if notes:
                return None
            values.append(value)
        if all(value is None for value in values):
            return None
        if key_positions:
            key = tuple(values[position] for position in key_positions)
            if None in key or key in keys:
                return None
            keys.add(key)
        for position, seen in unique:
            value = values[position]
            if value is not None:
                if value in seen:
                    return None
                seen.add(value)
        rows.append(Row(values, names, cells, record.line))
    return rows


# Quick value readers: for a cell of the most common spelling they give what Frictionless's value reader gives;
# any other cell returns None and is read by Frictionless's own reader, which decides and words the note.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# rfc3986 (Frictionless's uri format) accepts every reference with a scheme; printable ASCII after http(s)://
# always has one. (Parsing each URI took a quarter of typing the enterprises.)
WEB_ADDRESS = re.compile(r"https?://[!-~]+")


def _iso_date(cell: str):
    # strptime("%Y-%m-%d"), Frictionless's reader, agrees with fromisoformat on zero-padded dates; it also takes
    # 2025-6-19, which goes to it.
    if ISO_DATE.fullmatch(cell):
        try:
            return date.fromisoformat(cell)
        except ValueError:
            return None
    return None


QUICK_VALUES = {
    ("string", "default"): lambda cell: cell,
    ("string", "uri"): lambda cell: cell if WEB_ADDRESS.fullmatch(cell) else None,
    ("date", "default"): _iso_date,
}
# Constraints judged here; `unique` is a table's, checked by typed_rows. Any other goes to Frictionless's reader.
QUICK_CONSTRAINTS = {"required", "unique", "pattern", "enum", "maxLength"}


def _reader(field):
    """The field's cell reader: Frictionless's own (Field.create_cell_reader: missing values, type, constraints),
    in front of it a quick one for the common types and constraints, which hands every cell it is not sure of
    to Frictionless's. A cell the quick one accepts is one Frictionless accepts, with the same value."""
    missing = field.missing_values if field.has_defined("missing_values") or not field.schema \
        else field.schema.missing_values
    constraints = field.constraints
    quick = QUICK_VALUES.get((field.type, field.format))
    texts = field.type == "string" and field.format == "default"
    enum = constraints.get("enum")
    if quick is None or list(missing) != [""] or set(constraints) - QUICK_CONSTRAINTS \
            or (("pattern" in constraints or "maxLength" in constraints) and field.type != "string") \
            or (enum is not None and not (texts and all(isinstance(value, str) for value in enum))):
        return field.create_cell_reader()
    frictionless_reader = field.create_cell_reader()
    required = constraints.get("required")
    # As Frictionless compiles it: anchored at both ends, matched from the start.
    pattern = re.compile(f"^{constraints['pattern']}$") if "pattern" in constraints else None
    enum = set(enum) if enum is not None else None
    longest = constraints.get("maxLength")

    def read(cell: str):
        if cell == "":
            return frictionless_reader(cell) if required else (None, None)
        value = quick(cell)
        if value is None or (pattern is not None and not pattern.match(cell)) \
                or (enum is not None and cell not in enum) or (longest is not None and len(cell) > longest):
            return frictionless_reader(cell)
        return value, None

    return read


def check_rows(resource, rows: list[Row], checks: list, limit_errors: int) -> tuple[list, bool]:
    """The errors the rule checks find in rows that typed_rows gave, as Resource.validate runs them (start, each
    row, end; the error limit), and whether the limit stopped them."""
    checklist = Checklist(checks=checks)
    for check in checks:
        check.connect(resource)
    errors = [error for check in checks for error in check.validate_start() if checklist.match(error)]
    match, validators = checklist.match, [check.validate_row for check in checks]
    for row in rows:
        for validate_row in validators:
            for error in validate_row(row):
                if match(error):
                    errors.append(error)
        if limit_errors and len(errors) >= limit_errors:
            return errors[:limit_errors], True
    errors.extend(error for check in checks for error in check.validate_end() if checklist.match(error))
    return errors, False
