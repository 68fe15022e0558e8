"""JSON records, one file per table: a list of objects, typed as the schema says (dates as ISO strings,
an empty cell as null), one record a line so that a diff of two versions stays readable."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .tables import Table


def _value(value):
    return value.isoformat() if isinstance(value, date) else value


def write_records(table: Table, target: Path) -> None:
    lines = [
        json.dumps(dict(zip(table.names, map(_value, row))), ensure_ascii=False, separators=(",", ":"))
        for row in table.rows
    ]
    target.write_text("[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n", encoding="utf-8")
