"""Parquet, one file per table, with column types from the schema (dates as date32, integers as int64)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .tables import Table

ARROW_TYPES = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema(
        [
            pa.field(f["name"], ARROW_TYPES.get(f.get("type", "string"), pa.string()),
                     metadata={"title": f.get("title", ""), "description": f.get("description", "")})
            for f in table.fields
        ]
    )


def write_parquet(table: Table, target: Path) -> None:
    schema = arrow_schema(table)
    columns = [pa.array([row[i] for row in table.rows], type=field.type) for i, field in enumerate(schema)]
    pq.write_table(pa.Table.from_arrays(columns, schema=schema), target, compression="zstd")
