"""Downloads for researchers: one version of the package in every format, written into one folder.

    datapackage.json, data/*.csv, policies/   the package as published (same bytes, relative paths)
    csv-bom/*.csv                             the tables as CSV with a byte-order mark, for Excel
    register.xlsx                             a sheet per table
    register.sqlite, metadata.json            for sqlite3 and `datasette register.sqlite -m metadata.json`
    parquet/*.parquet, json/*.json            a file per table
    <name>-<version>.zip                      all of the above
    SHA256SUMS                                every file's checksum

The formats are the list of zjtx.export.formats. Every file depends only on the package and the export's day (a
release's own date, never the time of the build), so a release exported twice is byte-identical.
`releases.py` decides which versions are exported and keeps them in a cache; the build puts them into the site.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..package import Package
from ..view import RegisterView
from .formats import FORMATS, SQLITE, XLSX, Export, zip_name  # noqa: F401 - the names downloads are known by
from .tables import read_tables

# Raise when a format's bytes change, so that cached exports made by older code are made again.
EXPORT_FORMAT = 1


def export_package(package: Package, out_dir: Path, view: RegisterView,
                   seconds: dict[str, float] | None = None) -> Path:
    """Write every download of the package, as it stands on the view's day, into out_dir (which must not exist
    yet). `seconds`, when given, receives the time each format took (its key), for the benchmark."""
    seconds = {} if seconds is None else seconds
    tables = read_tables(package)  # first: it names the file, row and field of a cell it cannot read
    out_dir.mkdir(parents=True)
    export = Export(package, tables, view, out_dir)
    for fmt in FORMATS:
        started = time.perf_counter()
        fmt.write(export)
        seconds[fmt.key] = seconds.get(fmt.key, 0.0) + time.perf_counter() - started
    return out_dir
