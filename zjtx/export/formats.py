"""The download formats, as a list of small format objects: adding a format touches this list only.

Each format says what it is called on /data/, its media type, what it is for, which files of a version's folder are
its own, a file that stands for it in the schema.org description, and how it writes its files. They run in the
order of FORMATS: the zip and the checksums come last, since they take in every file written before them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from collections.abc import Callable

from ..package import Package
from ..view import RegisterView
from . import archive, parquet, records, spreadsheet, sqlite
from .tables import Table

XLSX = "register.xlsx"
SQLITE = "register.sqlite"
DATASETTE_METADATA = "metadata.json"


def zip_name(package: Package) -> str:
    """The zip's name and its top folder: the package's name and version."""
    return f"{package.name}-{package.version or '0'}"


@dataclass
class Export:
    """What a format writes from: the package, its typed tables, the register on the export's day, the folder."""

    package: Package
    tables: list[Table]
    view: RegisterView
    out_dir: Path

    @property
    def day(self) -> date:
        return self.view.day

    @property
    def name(self) -> str:
        return zip_name(self.package)


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    media_type: str  # encodingFormat for schema.org
    purpose: str
    owns: Callable[[str], bool]  # whether a file of a version's folder (its relative path) belongs to the format
    write: Callable[[Export], None]
    example: str = ""  # a file of the format for schema.org's distribution ("{name}" is the zip's name)


def _write_package(export: Export) -> None:
    for source in export.package.published_files():
        target = export.out_dir / export.package.relative(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _write_csv_bom(export: Export) -> None:
    (export.out_dir / "csv-bom").mkdir()
    for table in export.tables:
        spreadsheet.excel_csv(table.names, table.rows, export.out_dir / "csv-bom" / f"{table.name}.csv")


def _write_xlsx(export: Export) -> None:
    workbook = spreadsheet.Workbook(export.out_dir / XLSX, export.day, export.package.descriptor.get("title", ""))
    for table in export.tables:
        workbook.sheet(table.name, [f.get("title") or f["name"] for f in table.fields], table.rows, table.types())
    workbook.close()


def _write_each(folder: str, suffix: str, write_one: Callable[[Table, Path], None]) -> Callable[[Export], None]:
    def write(export: Export) -> None:
        (export.out_dir / folder).mkdir()
        for table in export.tables:
            write_one(table, export.out_dir / folder / f"{table.name}{suffix}")
    return write


def _write_sqlite(export: Export) -> None:
    sqlite.write_sqlite(export.tables, export.view, export.out_dir / SQLITE)
    (export.out_dir / DATASETTE_METADATA).write_text(
        sqlite.datasette_metadata(export.package.descriptor, export.tables), encoding="utf-8")


def _write_zip(export: Export) -> None:
    archive.write_zip(export.out_dir, export.out_dir / f"{export.name}.zip", export.name)


def _write_sums(export: Export) -> None:
    archive.write_sums(export.out_dir)


FORMATS = [
    Format("datapackage", "Frictionless 数据包（CSV）", "application/json", "datapackage.json 与 data/*.csv，原始数据",
           lambda path: True, _write_package, "datapackage.json"),
    Format("csv-bom", "CSV（带 BOM，Excel 可直接打开）", "text/csv", "csv-bom/*.csv",
           lambda path: path.startswith("csv-bom/"), _write_csv_bom, "csv-bom/enterprises.csv"),
    Format("xlsx", "Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX,
           lambda path: path == XLSX, _write_xlsx, XLSX),
    Format("sqlite", "SQLite 数据库", "application/vnd.sqlite3", SQLITE,
           lambda path: path in (SQLITE, DATASETTE_METADATA), _write_sqlite, SQLITE),
    Format("parquet", "Parquet", "application/vnd.apache.parquet", "parquet/*.parquet",
           lambda path: path.startswith("parquet/"), _write_each("parquet", ".parquet", parquet.write_parquet),
           "parquet/enterprises.parquet"),
    Format("json", "JSON 记录", "application/json", "json/*.json",
           lambda path: path.startswith("json/"), _write_each("json", ".json", records.write_records),
           "json/enterprises.json"),
    Format("zip", "全部文件（zip）", "application/zip", "*.zip",
           lambda path: path.endswith(".zip") and "/" not in path, _write_zip, "{name}.zip"),
    Format("sums", "校验和", "text/plain", archive.SUMS,
           lambda path: path == archive.SUMS, _write_sums),
]
BY_KEY = {fmt.key: fmt for fmt in FORMATS}


def format_of(path: str) -> Format:
    """The format a file of a version's folder belongs to; the package's own files are the rest."""
    return next((fmt for fmt in reversed(FORMATS) if fmt.owns(path)), FORMATS[0])
