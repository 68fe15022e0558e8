"""Downloads for researchers: one version of the package in every format, written into one folder.

    datapackage.json, data/*.csv, policies/   the package as published (same bytes, relative paths)
    csv-bom/*.csv                             the tables as CSV with a byte-order mark, for Excel
    register.xlsx                             a sheet per table
    register.sqlite, metadata.json            for sqlite3 and `datasette register.sqlite -m metadata.json`
    parquet/*.parquet, json/*.json            a file per table
    <name>-<version>.zip                      all of the above
    SHA256SUMS                                every file's checksum

Every file depends only on the package and the export's day (`day`: a release's own date, never the time of the
build), so a release exported twice is byte-identical. `releases.py` decides which versions are exported and
keeps them in a cache; `publish.py` puts them into the site.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from datetime import date
from pathlib import Path

from .. import load
from ..load import Register
from . import archive, parquet, records, spreadsheet, sqlite
from .tables import read_tables

# Raise when a format's bytes change, so that cached exports made by older code are made again.
EXPORT_FORMAT = 1
XLSX = "register.xlsx"
SQLITE = "register.sqlite"
DATASETTE_METADATA = "metadata.json"

FORMATS = {
    # key: (label, encodingFormat for schema.org, what it is for)
    "datapackage": ("Frictionless 数据包（CSV）", "application/json", "datapackage.json 与 data/*.csv，原始数据"),
    "csv-bom": ("CSV（带 BOM，Excel 可直接打开）", "text/csv", "csv-bom/*.csv"),
    "xlsx": ("Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX),
    "sqlite": ("SQLite 数据库", "application/vnd.sqlite3", SQLITE),
    "parquet": ("Parquet", "application/vnd.apache.parquet", "parquet/*.parquet"),
    "json": ("JSON 记录", "application/json", "json/*.json"),
    "zip": ("全部文件（zip）", "application/zip", "*.zip"),
    "sums": ("校验和", "text/plain", archive.SUMS),
}


def published_files(package_dir: Path) -> list[Path]:
    """The files of the package as published: the descriptor, every resource's CSV and the policy texts."""
    package_dir = Path(package_dir)
    descriptor = load.read_descriptor(package_dir)
    files = {package_dir / load.DESCRIPTOR_NAME}
    for resource in descriptor.get("resources", []):
        files.add(load.resource_path(package_dir, resource))
    policies = package_dir / "policies"
    if policies.is_dir():
        files.update(p for p in policies.rglob("*.md") if p.is_file())
    return sorted(files, key=lambda p: p.relative_to(package_dir).as_posix())


def zip_name(descriptor: dict) -> str:
    return f"{descriptor.get('name', 'package')}-{descriptor.get('version', '0')}"


def export_package(package_dir: Path, out_dir: Path, day: date, register: Register | None = None,
                   seconds: dict[str, float] | None = None) -> Path:
    """Write every download of the package into out_dir (which must not exist yet). `seconds`, when given,
    receives the time each format took (a key of FORMATS), for the benchmark."""
    seconds = {} if seconds is None else seconds
    clock = _Clock(seconds)
    package_dir = Path(package_dir)
    descriptor = load.read_descriptor(package_dir)
    tables = read_tables(package_dir)  # first: it names the file, row and field of a cell it cannot read
    register = register or load.load_register(package_dir, day)
    out_dir.mkdir(parents=True)
    with clock("datapackage"):
        for source in published_files(package_dir):
            target = out_dir / source.relative_to(package_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for folder in ("csv-bom", "parquet", "json"):
        (out_dir / folder).mkdir()
    workbook = spreadsheet.Workbook(out_dir / XLSX, day, descriptor.get("title", ""))
    for table in tables:
        with clock("csv-bom"):
            spreadsheet.excel_csv(table.names, table.rows, out_dir / "csv-bom" / f"{table.name}.csv")
        with clock("xlsx"):
            workbook.sheet(table.name, [f.get("title") or f["name"] for f in table.fields], table.rows, table.types())
        with clock("parquet"):
            parquet.write_parquet(table, out_dir / "parquet" / f"{table.name}.parquet")
        with clock("json"):
            records.write_records(table, out_dir / "json" / f"{table.name}.json")
    with clock("xlsx"):
        workbook.close()
    with clock("sqlite"):
        sqlite.write_sqlite(tables, register, day, out_dir / SQLITE)
        (out_dir / DATASETTE_METADATA).write_text(sqlite.datasette_metadata(descriptor, tables), encoding="utf-8")
    name = zip_name(descriptor)
    with clock("zip"):
        archive.write_zip(out_dir, out_dir / f"{name}.zip", name)
    with clock("sums"):
        archive.write_sums(out_dir)
    return out_dir


class _Clock:
    """Adds the time of each `with clock(format):` block to seconds[format]."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds

    @contextlib.contextmanager
    def __call__(self, key: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started
