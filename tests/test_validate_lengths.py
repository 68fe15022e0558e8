"""Lengths: every text field has a maxLength that fits every output (file names, the search index, XLSX cells),
a longer value is an error naming its file, line, field, length and limit, and the descriptor cannot drop one."""

from __future__ import annotations

import json

import pytest

from packages import AS_OF, COMMITTED, edit_descriptor, make_good_package, set_cell
from zjtx.contract import CELL_LENGTH, ID_LENGTH, MAX_LENGTHS
from zjtx.export.page_tables import table_name
from zjtx.validate import validate_package

# (resource, line of the good fixture, field, limit); the limits are the committed descriptor's.
LONG_VALUES = [
    ("enterprises", 2, "name", 100),
    ("enterprises", 3, "summary", 2000),
    ("enterprises", 4, "main_products", 2000),
    ("products", 2, "product_name", 100),
    ("products", 3, "description", 2000),
    ("announcements", 2, "title", 200),
    ("announcements", 3, "announcement_id", 64),
    ("events", 2, "event_id", 64),
    ("services", 2, "service_id", 64),
    ("services", 2, "provider", 100),
    ("policies", 2, "policy_id", 64),
    ("tiers", 2, "tier_id", 64),
    ("districts", 3, "district_code", 64),
    ("policies", 2, "text_path", 76),
]


def long_value(field: str, length: int) -> str:
    """A value of `length` characters that keeps the field's pattern."""
    if field == "district_code":
        return "120101-" + "a" * (length - 7)
    if field == "text_path":
        return "policies/" + "a" * (length - 12) + ".md"
    if field.endswith("_id"):
        return "a" * length
    return "长" * length


def problems_at(package, resource, line, field):
    return [p for p in validate_package(package, AS_OF) if (p.file, p.row, p.field) == (f"data/{resource}.csv", line, field)]


@pytest.mark.parametrize("resource, line, field, limit", LONG_VALUES, ids=lambda v: str(v))
def test_a_value_over_its_limit_is_an_error_with_length_and_limit(tmp_path, resource, line, field, limit):
    package = make_good_package(tmp_path / "p")
    set_cell(package, resource, line, field, long_value(field, limit + 1))
    (problem,) = [p for p in problems_at(package, resource, line, field) if p.code == "too-long"]
    assert f"{limit + 1} 个字符" in problem.message_zh and f"上限 {limit} 个字符" in problem.message_zh
    assert f"{limit + 1} characters long" in problem.message_en and f"limit of {limit}" in problem.message_en
    assert f"缩短到 {limit} 个字符以内" in problem.hint_zh and "不按字节" in problem.hint_zh
    assert f"Shorten it to {limit} characters" in problem.hint_en and "not bytes" in problem.hint_en
    assert len(problem.value) <= 60  # the report quotes the start of the value, not all of it


@pytest.mark.parametrize("resource, line, field, limit", LONG_VALUES, ids=lambda v: str(v))
def test_a_value_at_its_limit_passes(tmp_path, resource, line, field, limit):
    package = make_good_package(tmp_path / "p")
    set_cell(package, resource, line, field, long_value(field, limit))
    assert [p for p in problems_at(package, resource, line, field) if p.code == "too-long"] == []


def test_a_cell_longer_than_an_xlsx_cell_is_refused(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 2, "summary", "长" * 40_000)
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [("data/enterprises.csv", 2, "summary", "too-long")]


def test_the_good_package_at_every_limit_has_no_problem(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 2, "name", "天" * 100)
    set_cell(package, "enterprises", 3, "summary", "长" * 2000)
    set_cell(package, "products", 2, "product_name", "品" * 100)
    assert validate_package(package, AS_OF) == []


def committed_fields():
    descriptor = json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            yield resource["name"], field


def test_every_committed_text_field_has_a_limit_that_fits_every_output():
    for resource, field in committed_fields():
        if field.get("type", "string") != "string":
            continue
        limit = field["constraints"]["maxLength"]
        assert limit <= MAX_LENGTHS.get((resource, field["name"]), CELL_LENGTH), (resource, field["name"])
        assert f"最多 {limit} 个字符" in field["description"], (resource, field["name"])


def test_the_longest_ids_make_file_names_the_file_system_takes(tmp_path):
    """An id at its limit, in the longest file name made from it, is well under 255 bytes and can be written."""
    for (_resource, _field), limit in MAX_LENGTHS.items():
        if limit != ID_LENGTH:
            continue
        longest = "a" * limit
        for name in (f"{table_name('announcement', longest)}.xlsx", f"{longest}.json", longest):
            assert len(name.encode("utf-8")) < 128
            (tmp_path / name).write_bytes(b"")


def drop_limit(resource, field):
    def change(descriptor):
        for r in descriptor["resources"]:
            if r["name"] == resource:
                next(f for f in r["schema"]["fields"] if f["name"] == field)["constraints"].pop("maxLength")
    return change


def widen_limit(resource, field, limit):
    def change(descriptor):
        for r in descriptor["resources"]:
            if r["name"] == resource:
                next(f for f in r["schema"]["fields"] if f["name"] == field)["constraints"]["maxLength"] = limit
    return change


@pytest.mark.parametrize("change, field, ceiling", [
    (drop_limit("enterprises", "name"), "enterprises.name", 100),
    (drop_limit("announcements", "announcement_id"), "announcements.announcement_id", 64),
    (widen_limit("enterprises", "summary", 100_000), "enterprises.summary", 2000),
    (widen_limit("events", "event_id", 300), "events.event_id", 64),
    (drop_limit("events", "venue"), "events.venue", CELL_LENGTH),  # every text field reaches an XLSX cell
    (widen_limit("services", "contact", "64"), "services.contact", CELL_LENGTH),
], ids=["name-dropped", "id-dropped", "summary-widened", "id-widened", "venue-dropped", "not-a-number"])
def test_the_descriptor_cannot_drop_or_widen_a_limit(tmp_path, change, field, ceiling):
    package = make_good_package(tmp_path / "p")
    edit_descriptor(package, change)
    found = [p for p in validate_package(package, AS_OF) if p.file == "datapackage.json" and p.field == field]
    assert [p.code for p in found] == ["contract"], found
    assert f'"maxLength": {ceiling}' in found[0].hint_zh and f'"maxLength": {ceiling}' in found[0].hint_en


@pytest.mark.parametrize("resource, line, field, value", [
    ("policies", 2, "ban_years", "101"),
    ("policies", 2, "ban_years", "99999999999999999999999"),
    ("tiers", 3, "validity_years", "99999"),
    ("announcements", 2, "expected_count", "99999999999999999999"),
    ("tiers", 3, "rank", "1000"),
], ids=["ban-101", "ban-huge", "term-huge", "count-huge", "rank"])
def test_a_number_over_its_maximum_is_an_error_not_a_crash(tmp_path, resource, line, field, value):
    package = make_good_package(tmp_path / "p")
    set_cell(package, resource, line, field, value)
    found = problems_at(package, resource, line, field)
    assert "out-of-range" in [p.code for p in found], found


def test_a_date_at_the_end_of_the_calendar_is_judged_not_a_crash(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "certifications", 5, "certified_on", "9999-12-01")  # plus a 3-year term: past year 9999
    set_cell(package, "certifications", 4, "status_on", "9999-12-01")  # a revocation whose 2-year ban ends after 9999
    assert "valid-until" in [p.code for p in problems_at(package, "certifications", 5, "valid_until")]


@pytest.mark.parametrize("field, ceiling", [("validity_years", 100), ("rank", 10**15 - 1)])
def test_the_descriptor_cannot_drop_a_maximum(tmp_path, field, ceiling):
    package = make_good_package(tmp_path / "p")

    def change(descriptor):
        tiers = next(r for r in descriptor["resources"] if r["name"] == "tiers")
        next(f for f in tiers["schema"]["fields"] if f["name"] == field)["constraints"].pop("maximum")

    edit_descriptor(package, change)
    found = [p for p in validate_package(package, AS_OF) if p.file == "datapackage.json" and p.field == f"tiers.{field}"]
    assert [p.code for p in found] == ["contract"] and f'"maximum": {ceiling}' in found[0].hint_en


@pytest.mark.parametrize("key, value", [
    ("name", "../../evil"), ("name", "a/b"), ("name", "n" * 65), ("name", "天津名录"),
    ("version", "../../../tmp/x"), ("version", "1.0"), ("version", "1.0.0-rc.1/.."), ("version", 1),
])
def test_the_package_name_and_version_name_files_so_they_are_plain_and_short(tmp_path, key, value):
    package = make_good_package(tmp_path / "p")
    edit_descriptor(package, lambda descriptor: descriptor.update({key: value}))
    found = [p for p in validate_package(package, AS_OF) if (p.file, p.field) == ("datapackage.json", key)]
    assert [p.code for p in found] == ["contract"]  # (Frictionless may find the same of its own)
    assert found[0].hint_zh and found[0].hint_en


@pytest.mark.parametrize("key, value", [("name", "tianjin-zjtx-register.v2"), ("version", "10.2.33")])
def test_a_plain_name_and_version_pass(tmp_path, key, value):
    package = make_good_package(tmp_path / "p")
    edit_descriptor(package, lambda descriptor: descriptor.update({key: value}))
    assert validate_package(package, AS_OF) == []
