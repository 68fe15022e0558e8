"""How validate reports: causes first and once, what follows counted not listed, nothing capped silently, warnings
after errors by kind, messages a bureau can read in both languages."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import build
from packages import AS_OF, add_row, edit_bytes, make_good_package, read_table, set_cell
from zjtx import report
from zjtx.validate import validate_package


def run(package, *args):
    return CliRunner().invoke(build.cli, ["validate", "--datapackage", str(package), "--as-of", AS_OF.isoformat(), *args])


@pytest.fixture
def package(tmp_path):
    return make_good_package(tmp_path / "p")


def test_header_only_file_is_the_one_error_and_counts_what_follows(package):
    edit_bytes(package, "enterprises", lambda d: d.split(b"\n")[0] + b"\n")
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.code) for p in problems] == [("data/enterprises.csv", "header-only")]
    # Every row that names an enterprise (certifications, products, ...) now points at nothing.
    pointing = sum(len(read_table(package, path.stem)) - 1 for path in (package / "data").glob("*.csv")
                   if path.stem != "enterprises" and "uscc" in read_table(package, path.stem)[0])
    assert pointing >= 10 and problems[0].follows == pointing
    result = run(package)
    assert result.exit_code == 1, result.output
    assert result.output.count("header but no rows") == 1
    assert f"and {pointing} errors that follow from this" in result.output
    assert f"以及由此引起的 {pointing} 处错误" in result.output
    assert "is not in data/enterprises.csv" not in result.output


def test_empty_file_speaks_chinese_in_the_chinese_slot(package):
    (package / "data" / "enterprises.csv").write_bytes(b"")
    problems = validate_package(package, AS_OF)
    assert [p.code for p in problems] == ["empty-file"]
    for problem in problems:
        assert re.search(r"[\u4e00-\u9fff]", problem.message_zh) and re.search(r"[\u4e00-\u9fff]", problem.hint_zh)
        assert "data source" not in problem.message_zh


def test_a_cause_comes_before_the_errors_of_other_files(package):
    set_cell(package, "announcements", 2, "title", "=1")
    edit_bytes(package, "products", lambda d: d.replace("谐波".encode(), '"谐波'.encode()))
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.code) for p in problems] == [
        ("data/products.csv", "unparsable-quoting"), ("data/announcements.csv", "formula-prefix")]
    assert problems[0].row == 4


def test_warnings_come_after_errors_grouped_by_kind_and_errors_only_hides_them(package):
    add_row(package, "enterprises", dict(uscc="91120113300000010M", name="天津丁科技有限公司", district_code="120113",
                                         industry_code="39"))
    set_cell(package, "products", 2, "category", "@x")
    problems = validate_package(package, AS_OF)
    assert [p.severity for p in problems] == ["error", "warning"]
    result = run(package)
    assert result.exit_code == 1, result.output
    assert result.output.index("formula") < result.output.index("警告 / Warnings") < result.output.index("not-sorted")
    quiet = run(package, "--errors-only")
    assert quiet.exit_code == 1, quiet.output
    assert "not sorted" not in quiet.output and "drop --errors-only" in quiet.output
    data = json.loads(run(package, "--errors-only", "--format", "json").output)
    assert data["warnings"] == 1 and [p["code"] for p in data["problems"]] == ["formula-prefix"]


def _many_errors(package, count):
    rows = [f"91120116300{n:06d}X,天津{n}公司,120116,34,,,\n" for n in range(count)]
    edit_bytes(package, "enterprises", lambda d: d + "".join(rows).encode())


def test_the_error_limit_is_said_and_lifted_by_all(package, monkeypatch):
    import zjtx.validate
    _many_errors(package, 30)
    monkeypatch.setattr(zjtx.validate, "LIMIT_ERRORS", 12)
    capped = validate_package(package, AS_OF, limit_errors=12)
    assert capped.capped == ["data/enterprises.csv"]
    result = run(package, "--format", "json")
    assert json.loads(result.output)["truncated"] == [{"file": "data/enterprises.csv", "stopped_after_errors": 12}]
    text = run(package).output
    assert "stopped after 12 errors" in text and "--all" in text
    everything = run(package, "--all", "--format", "json")
    data = json.loads(everything.output)
    # All 30 rows checked: nearly every invented code fails its check character (one in 31 passes by chance).
    assert data["truncated"] == [] and sum(p["code"] == "invalid-uscc" for p in data["problems"]) > 12


def test_text_shows_a_part_of_a_long_list_and_says_how_to_see_it_all(package, monkeypatch):
    _many_errors(package, 8)
    monkeypatch.setattr(report, "SHOWN_PER_FILE", 3)
    problems = validate_package(package, AS_OF)
    text = report.format_text(problems, shown_per_file=3)
    assert "more not listed (see them all with --all or --format json)" in text
    assert len(report.format_text(problems, shown_per_file=None)) > len(text)


def test_long_values_are_shortened_in_messages(package):
    set_cell(package, "certifications", 5, "certified_on", "2022-08-01" + "x" * 500)
    set_cell(package, "enterprises", 4, "summary", " " + "很长的简介" * 200)
    for problem in validate_package(package, AS_OF):
        assert len(problem.message_zh) < 300 and len(problem.message_en) < 300, problem


def test_a_district_written_as_its_name_gets_its_code(package):
    set_cell(package, "enterprises", 4, "district_code", "滨海新区")
    (problem,) = validate_package(package, AS_OF)
    assert "120116" in problem.hint_zh and "120116" in problem.hint_en


def test_an_excel_spoiled_uscc_gets_the_excel_hint(package):
    set_cell(package, "enterprises", 2, "uscc", "9.11201E+17")
    set_cell(package, "products", 3, "uscc", "9.11202E+17")
    problems = [p for p in validate_package(package, AS_OF) if p.value in ("9.11201E+17", "9.11202E+17")]
    assert {p.file for p in problems} == {"data/enterprises.csv", "data/products.csv"}
    for problem in problems:
        assert "Excel" in problem.hint_en and "文本" in problem.hint_zh


@pytest.mark.slow
def test_a_foreign_key_removed_from_the_descriptor_stops_the_build_not_a_template(package, tmp_path):
    from packages import edit_descriptor

    def drop_key(descriptor):
        resource = next(r for r in descriptor["resources"] if r["name"] == "certifications")
        resource["schema"]["foreignKeys"] = [k for k in resource["schema"]["foreignKeys"]
                                             if k["fields"] != ["status_announcement_id"]]

    edit_descriptor(package, drop_key)
    set_cell(package, "certifications", 4, "status_announcement_id", "no-such-notice")
    result = CliRunner().invoke(build.cli, ["build", "--datapackage", str(package), "--out", str(tmp_path / "site"),
                                            "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "status_announcement_id → announcements.announcement_id" in result.output
    assert not (tmp_path / "site").exists()
