"""Downloads of one version: every format holds every cell of every source CSV, and nothing in them can run."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from packages import AS_OF, add_row, make_good_package, set_cell, view_of
from packages import export as export_of
from zjtx.export import SQLITE, XLSX, zip_name
from zjtx.package import Package
from zjtx.export.archive import SUMS, read_sums
from zjtx.export.sqlite import MEMBERS_VIEW
from zjtx.package import read_descriptor

FORMULA = '=HYPERLINK("http://example.com","zjtx-formula")'


def source_tables(package: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every resource's CSV as the csv module reads it: the truth every format is compared with."""
    tables = {}
    for resource in read_descriptor(package)["resources"]:
        with open(package / resource["path"], encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        tables[resource["name"]] = (rows[0], rows[1:])
    return tables


def field_types(package: Path) -> dict[str, list[str]]:
    return {r["name"]: [f.get("type", "string") for f in r["schema"]["fields"]]
            for r in read_descriptor(package)["resources"]}


def as_text(value) -> str:
    """A value read back by a format's own reader, spelled as the CSV spells it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The small package, with a text cell that a spreadsheet would run if a writer let it."""
    package = make_good_package(tmp_path_factory.mktemp("downloads-package"))
    set_cell(package, "enterprises", 2, "summary", FORMULA)
    set_cell(package, "products", 2, "description", "@SUM(1+1)")
    return package


@pytest.fixture(scope="module")
def export(package, tmp_path_factory) -> Path:
    return export_of(package, tmp_path_factory.mktemp("export") / "out", AS_OF)


def test_the_package_is_published_byte_for_byte(package, export):
    for resource in read_descriptor(package)["resources"]:
        assert (export / resource["path"]).read_bytes() == (package / resource["path"]).read_bytes()
    assert (export / "datapackage.json").read_bytes() == (package / "datapackage.json").read_bytes()
    assert (export / "policies" / "tj-zjtx-plan-2021.md").exists()


def test_stock_frictionless_accepts_the_published_package(export):
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", str(export / "datapackage.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_excel_csv_has_a_bom_and_every_cell(package, export):
    for name, (header, rows) in source_tables(package).items():
        raw = (export / "csv-bom" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        read = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
        assert read[0] == header
        # The one change: text that a spreadsheet would run gets a leading apostrophe.
        expected = [["'" + c if c.startswith(("=", "+", "-", "@")) else c for c in row] for row in rows]
        assert read[1:] == expected, name
    enterprises = (export / "csv-bom" / "enterprises.csv").read_bytes().decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in enterprises


def test_workbook_holds_every_cell_typed_and_runs_nothing(package, export):
    book = openpyxl.load_workbook(export / XLSX)
    types = field_types(package)
    descriptor = read_descriptor(package)
    titles = {r["name"]: [f["title"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    for name, (_header, rows) in source_tables(package).items():
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        values = list(sheet.iter_rows())
        assert [c.value for c in values[0]] == titles[name]
        assert len(values) - 1 == len(rows)
        for row, cells in zip(rows, values[1:]):
            for text, cell, kind in zip(row, cells, types[name]):
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                assert as_text(cell.value) == text, (name, cell.coordinate)
                if text and kind == "date":
                    assert cell.is_date, (name, cell.coordinate)
                if text and kind == "string":
                    assert cell.data_type == "s", (name, cell.coordinate)  # USCCs and codes stay text
        for column, title in enumerate(titles[name], start=1):
            width = sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width
            assert width >= len(title) * 2, (name, title)
    summary = next(c for c in book["enterprises"]["G"] if c.value == FORMULA)
    assert summary.data_type == "s"


def test_sqlite_holds_every_cell_with_keys_indexes_and_full_text(package, export):
    db = sqlite3.connect(export / SQLITE)
    descriptor = read_descriptor(package)
    for name, (header, rows) in source_tables(package).items():
        columns = [r[1] for r in db.execute(f"pragma table_info([{name}])")]
        assert columns == header
        read = db.execute(f"select * from [{name}] order by rowid").fetchall()
        assert [[as_text(v) for v in row] for row in read] == rows, name
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        key = [r[1] for r in sorted(db.execute(f"pragma table_info([{resource['name']}])"), key=lambda r: r[5])
               if r[5]]
        assert key == list(schema["primaryKey"]), resource["name"]
        declared = {(k["fields"][0], k["reference"]["resource"] or resource["name"])
                    for k in schema.get("foreignKeys", [])}
        found = {(r[3], r[2]) for r in db.execute(f"pragma foreign_key_list([{resource['name']}])")}
        assert found == declared, resource["name"]
        indexed = {r[1] for r in db.execute(f"pragma index_list([{resource['name']}])")}
        for column, _ in declared:
            if [column] != list(schema["primaryKey"]):  # a one-column primary key is indexed already
                assert f"idx_{resource['name']}_{column}" in indexed
    assert db.execute("pragma foreign_key_check").fetchall() == []
    name = source_tables(package)["enterprises"][1][0][1]
    query = "select name from enterprises where rowid in (select rowid from enterprises_fts where enterprises_fts match ?)"
    hits = db.execute(query, [f'"{name[2:6]}"']).fetchall()
    assert (name,) in hits
    assert db.execute("select count(*) from products_fts").fetchone()[0] == len(source_tables(package)["products"][1])


def test_sqlite_view_lists_the_library_on_the_export_day(package, export):
    register = view_of(package, AS_OF)
    members = register.members_on(AS_OF)
    db = sqlite3.connect(export / SQLITE)
    rows = db.execute(f"select uscc, tiers, as_of from [{MEMBERS_VIEW}]").fetchall()
    expected = {uscc for held in members.values() for uscc in held}
    assert {r[0] for r in rows} == expected
    for uscc, tiers, day in rows:
        assert day == AS_OF.isoformat()
        assert tiers.split("、") == [t.name_zh for t in register.tiers_held(uscc, AS_OF)]
    metadata = json.loads((export / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["register"]["tables"]
    assert tables["tiers"]["label_column"] == "name_zh" and tables["enterprises"]["label_column"] == "name"


def test_parquet_holds_every_cell_with_schema_types(package, export):
    types = field_types(package)
    arrow = {"string": "string", "integer": "int64", "date": "date32[day]"}
    for name, (header, rows) in source_tables(package).items():
        table = pq.read_table(export / "parquet" / f"{name}.parquet")
        assert table.column_names == header
        assert [str(t) for t in table.schema.types] == [arrow[t] for t in types[name]]
        read = [[as_text(v) for v in row.values()] for row in table.to_pylist()]
        assert read == rows, name


def test_json_records_hold_every_cell(package, export):
    for name, (header, rows) in source_tables(package).items():
        records = json.loads((export / "json" / f"{name}.json").read_text(encoding="utf-8"))
        assert [list(r) for r in records] == [header] * len(rows)
        assert [[as_text(v) for v in r.values()] for r in records] == rows, name


def test_zip_holds_every_file_and_the_checksums_match(package, export):
    name = zip_name(Package.read(package))
    archive = export / f"{name}.zip"
    files = sorted(p.relative_to(export).as_posix() for p in export.rglob("*") if p.is_file())
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        names = [i.filename for i in z.infolist()]
        assert names == sorted(names)
        assert names == [f"{name}/{f}" for f in files if f not in (archive.name, SUMS)]
        for info in z.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert z.read(info) == (export / info.filename.split("/", 1)[1]).read_bytes()
    sums = read_sums(export)
    assert sorted(sums) == [f for f in files if f != SUMS]
    for path, digest in sums.items():
        assert hashlib.sha256((export / path).read_bytes()).hexdigest() == digest, path


def test_the_same_package_and_day_give_the_same_bytes(package, export, tmp_path):
    again = export_of(package, tmp_path / "again", AS_OF)
    assert (again / SUMS).read_bytes() == (export / SUMS).read_bytes()


def test_a_new_resource_is_exported_without_code_changes(tmp_path):
    package = make_good_package(tmp_path / "package")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({
        "name": "visits", "title": "走访", "path": "data/visits.csv", "profile": "tabular-data-resource",
        "encoding": "utf-8", "schema": {"primaryKey": ["visit_id"], "fields": [
            {"name": "visit_id", "type": "string", "title": "走访编号", "description": "slug"},
            {"name": "starts_on", "type": "date", "title": "开始日期", "description": "first day"}]},
    })
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (package / "data" / "visits.csv").write_text("visit_id,starts_on\nexpo-2025,2025-06-01\n", encoding="utf-8")
    out = export_of(package, tmp_path / "out", AS_OF)
    assert pq.read_table(out / "parquet" / "visits.parquet").to_pylist() == [
        {"visit_id": "expo-2025", "starts_on": date(2025, 6, 1)}]
    assert openpyxl.load_workbook(out / XLSX)["visits"]["B2"].value == datetime(2025, 6, 1)
    assert sqlite3.connect(out / SQLITE).execute("select * from visits").fetchall() == [("expo-2025", "2025-06-01")]


def test_a_cell_its_type_cannot_read_is_refused_with_its_place(tmp_path):
    from zjtx.errors import PackageError

    package = make_good_package(tmp_path / "package")
    line = add_row(package, "targets", {"tier_id": "sme", "year": "二〇二五", "target": "1", "policy_id": "x"})
    with pytest.raises(PackageError) as error:
        export_of(package, tmp_path / "out", AS_OF)
    assert f"data/targets.csv line {line}, field year" in error.value.message_en
    assert f"第 {line} 行字段 year" in error.value.message_zh
