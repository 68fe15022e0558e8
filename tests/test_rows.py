"""The quick path of validation (zjtx.rows): a table that is as its schema wants is typed without Frictionless's
row machinery; anything Frictionless would report sends the table back to Frictionless."""

from __future__ import annotations

import pytest
from frictionless import Package

from packages import AS_OF, add_row, edit_bytes, make_good_package, read_table, set_cell, write_table
from zjtx import csvfile, rows
from zjtx.package import DEFAULT_PACKAGE, read_descriptor
from zjtx.validate import _without_foreign_keys, validate_package


def typed(package, name):
    descriptor = read_descriptor(package)
    resource = Package(_without_foreign_keys(descriptor), basepath=str(package)).get_resource(name)
    path = package / "data" / f"{name}.csv"
    table, faults = csvfile.parse(str(path), path.read_text(encoding="utf-8"))
    assert not faults
    return rows.typed_rows(resource, table)


def test_a_table_as_its_schema_wants_is_typed_as_frictionless_types_it(tmp_path):
    package = make_good_package(tmp_path / "p")
    certifications = typed(package, "certifications")
    assert certifications and len(certifications) == len(read_table(package, "certifications")) - 1
    first = certifications[0]
    assert first.row_number == 2
    assert first.field_names == read_table(package, "certifications")[0]
    assert type(first["certified_on"]).__name__ == "date"
    assert first.cells == read_table(package, "certifications")[1]
    assert any(isinstance(row["validity_years"], int) for row in typed(package, "tiers"))  # integers as int


BREAKS = {
    "a type error": lambda p: set_cell(p, "certifications", 2, "certified_on", "2025-13-01"),
    "a broken pattern": lambda p: set_cell(p, "enterprises", 2, "uscc", "91120116300000010"),
    "a value not in the enum": lambda p: set_cell(p, "certifications", 2, "status", "Active"),
    "a required cell left empty": lambda p: set_cell(p, "enterprises", 2, "name", ""),
    "a duplicate primary key": lambda p: add_row(p, "enterprises", dict(zip(
        read_table(p, "enterprises")[0], read_table(p, "enterprises")[1]))),
    "a ragged row": lambda p: write_table(p, "enterprises", [*read_table(p, "enterprises"), ["x"]]),
    "a blank line": lambda p: edit_bytes(p, "enterprises", lambda data: data.replace(b"\n", b"\n\n", 2)),
    "a blank row": lambda p: write_table(p, "products", [*read_table(p, "products"),
                                                          [""] * len(read_table(p, "products")[0])]),
    "a renamed column": lambda p: write_table(p, "products", [["x", *read_table(p, "products")[0][1:]],
                                                               *read_table(p, "products")[1:]]),
}
RESOURCE_OF = {"a type error": "certifications", "a broken pattern": "enterprises", "a value not in the enum":
               "certifications", "a required cell left empty": "enterprises", "a duplicate primary key": "enterprises",
               "a ragged row": "enterprises", "a blank line": "enterprises", "a blank row": "products",
               "a renamed column": "products"}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_anything_frictionless_would_report_goes_back_to_frictionless(case, tmp_path):
    package = make_good_package(tmp_path / "p")
    assert typed(package, RESOURCE_OF[case]) is not None
    BREAKS[case](package)
    if case == "a renamed column":
        path = package / "data" / "products.csv"
        table, _ = csvfile.parse(str(path), path.read_text(encoding="utf-8"))
        descriptor = read_descriptor(package)
        resource = Package(_without_foreign_keys(descriptor), basepath=str(package)).get_resource("products")
        assert rows.typed_rows(resource, table) is None
    else:
        assert typed(package, RESOURCE_OF[case]) is None


@pytest.mark.parametrize("case", [None, *sorted(BREAKS)])
def test_validation_finds_the_same_with_and_without_the_quick_path(case, tmp_path, monkeypatch):
    package = make_good_package(tmp_path / "p")
    # Rule problems the quick path must still find through the rule checks: a name with a trailing space and a
    # product of an enterprise that is not in the register.
    header = read_table(package, "enterprises")[0]
    name = read_table(package, "enterprises")[1][header.index("name")]
    set_cell(package, "enterprises", 2, "name", name + " ")
    set_cell(package, "products", 2, "uscc", "91120113300000010M")
    if case:
        BREAKS[case](package)
    quick = validate_package(package, AS_OF)
    assert any(p.file == "data/enterprises.csv" and p.field == "name" for p in quick), quick
    monkeypatch.setattr(rows, "typed_rows", lambda resource, table: None)
    assert validate_package(package, AS_OF) == quick


# Cells of every spelling a bureau's file might hold, for each field the quick readers serve.
ODD_CELLS = ["", " ", "2025-06-19", "2025-6-19", "2025-02-30", "0001-01-01", "9999-12-31", "２０２５-06-19",
             "2025-06-19 ", "2025-06-19\n", "20250619", "active", "Active", "expired", "revoked", "removed",
             "https://www.example.cn/", "http://a.example", "https://", "https://例子.example/", "https://a b.example",
             "ftp://a.example", "javascript:alert(1)", "www.example.cn", "91120116MA05KX8Q3N", "91120116ma05kx8q3n",
             "9.11200E+17", "120116", "12011", "G01", "天津市", "x" * 300, "0", "-1", "3.5", "true", "None"]


def test_the_quick_readers_read_every_cell_as_frictionless_does():
    package = DEFAULT_PACKAGE
    frictionless_package = Package(_without_foreign_keys(read_descriptor(package)), basepath=str(package))
    compared = 0
    for resource in frictionless_package.resources:
        path = package / resource.path
        table, _ = csvfile.parse(str(path), path.read_text(encoding="utf-8"))
        for position, field in enumerate(resource.schema.fields):
            quick, frictionless_reader = rows._reader(field), field.create_cell_reader()
            cells = {record.cells[position] for record in table.records} | set(ODD_CELLS)
            for cell in cells:
                assert quick(cell) == frictionless_reader(cell), (resource.name, field.name, cell)
                compared += 1
    assert compared > 30_000
