"""The validator on good packages: no false alarms, warnings do not fail, JSON for CI, as-of is honoured."""

from __future__ import annotations

import os
import time

import json

from click.testing import CliRunner

import build
from packages import AS_OF, add_row, make_good_package, set_cell
from zjtx.validate import validate_package

E1 = "911201163000000101"
E4 = "91120113300000010M"  # not in the good fixture


def rule_problems(package):
    """The problems of a package whose rows tests append at the end: the order warning is beside the point."""
    return [p for p in validate_package(package, AS_OF) if p.code != "not-sorted"]


def run(*args):
    return CliRunner().invoke(build.cli, ["validate", *args])


def test_good_package_has_no_problem(tmp_path):
    package = make_good_package(tmp_path / "p")
    assert validate_package(package, AS_OF) == []
    result = run("--datapackage", str(package), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "0 处错误" in result.output


def test_little_giant_without_sme_is_only_a_warning(tmp_path):
    package = make_good_package(tmp_path / "p")
    add_row(package, "enterprises", dict(uscc=E4, name="天津丁科技有限公司", district_code="120113", industry_code="39"))
    add_row(package, "announcements", dict(announcement_id="lg-2023", tier_id="little_giant", kind="designation",
                                           title="第五批", issuer="工业和信息化部", published_on="2023-07-14"))
    line = add_row(package, "certifications", dict(uscc=E4, tier_id="little_giant",
                                                   announcement_id="lg-2023", recommended_by="120113",
                                                   certified_on="2023-07-14", valid_until="2026-07-14",
                                                   status="active"))
    problems = rule_problems(package)
    assert [(p.file, p.row, p.field, p.code, p.severity) for p in problems] == [
        ("data/certifications.csv", line, "tier_id", "no-earlier-sme", "warning")
    ]
    result = run("--datapackage", str(package), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "警告 WARNING" in result.output


def test_as_of_decides_expiry(tmp_path):
    package = make_good_package(tmp_path / "p")
    # The little giant certified 2022-08-01 is valid until 2025-08-01.
    assert run("--datapackage", str(package), "--as-of", "2025-08-01").exit_code == 0
    late = run("--datapackage", str(package), "--as-of", "2025-08-02")
    assert late.exit_code == 1, late.output
    assert "active-but-expired" not in late.output  # people read messages, not codes
    assert "早于核对日期 2025-08-02" in late.output


def test_ban_length_comes_from_the_policy_in_force(tmp_path):
    package = make_good_package(tmp_path / "p")
    # E2 was revoked for false declaration on 2022-10-10; a seed designation 2024-12-01 is past the 2-year ban...
    add_row(package, "announcements", dict(announcement_id="seed-2024", tier_id="seed", kind="designation",
                                           title="2024 种子企业", issuer="天津市工业和信息化局", published_on="2024-12-01"))
    add_row(package, "certifications", dict(uscc="91120111300000010Q", tier_id="seed", announcement_id="seed-2024",
                                            recommended_by="120111", certified_on="2024-12-01", status="active"))
    assert rule_problems(package) == []
    # ...but not past a 3-year ban set by a later policy in force on the revocation date.
    (package / "policies" / "later.md").write_text("# 后续办法\n", encoding="utf-8")
    add_row(package, "policies", dict(policy_id="later-rules-2022", doc_number="津工信规〔2022〕5号", title="实施细则",
                                      issuer="天津市工业和信息化局", issued_on="2022-06-01", status="in_force",
                                      text_path="policies/later.md", ban_years="3"))
    codes = [(p.code, p.row) for p in rule_problems(package)]
    assert codes == [("within-ban", 9)]


def test_json_format_for_ci(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 3, "summary", "=1+1")
    result = run("--datapackage", str(package), "--as-of", AS_OF.isoformat(), "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["valid"] is False and report["errors"] == 1
    assert report["problems"][0] | {"message_zh": "", "message_en": "", "hint_zh": "", "hint_en": ""} == {
        "file": "data/enterprises.csv", "row": 3, "field": "summary", "value": "=1+1", "code": "formula-prefix",
        "severity": "error", "message_zh": "", "message_en": "", "hint_zh": "", "hint_en": "", "follows": 0,
    }


def test_every_error_is_collected_in_one_run(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 2, "summary", "=a")
    set_cell(package, "products", 2, "category", "@b")
    (package / "data" / "announcements.csv").write_bytes(
        (package / "data" / "announcements.csv").read_bytes().replace(b"\n", b"\r\n"))
    problems = validate_package(package, AS_OF)
    assert {(p.file, p.code) for p in problems} == {
        ("data/enterprises.csv", "formula-prefix"), ("data/products.csv", "formula-prefix"),
        ("data/announcements.csv", "crlf"),
    }


def test_unreadable_descriptor_is_a_clear_error(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    result = run("--datapackage", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "datapackage.json" in result.output and "Traceback" not in result.output


def test_bad_as_of_is_refused_kindly():
    result = run("--as-of", "2025/01/01")
    assert result.exit_code == 2, result.output
    assert "YYYY-MM-DD" in result.output


def test_two_processes_find_what_one_finds(tmp_path, monkeypatch):
    """A big package's tables are shared between two processes (zjtx.validate._in_two_processes): the problems,
    foreign keys among them, must be the same as one process finds."""
    import zjtx.validate

    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 2, "district_code", "滨海新区")  # a foreign key, named not coded
    set_cell(package, "certifications", 2, "certified_on", "2025-6-19")
    set_cell(package, "products", 2, "uscc", E4)
    alone = validate_package(package, AS_OF)
    monkeypatch.setattr(zjtx.validate, "PARALLEL_CELLS", 0)
    shared = validate_package(package, AS_OF)
    assert shared == alone
    assert {p.code for p in alone} >= {"foreign-key", "date-spelling"}
    district = next(p for p in alone if p.code == "foreign-key" and p.field == "district_code")
    assert "120116" in district.hint_zh  # the code of 滨海新区, suggested


def test_two_processes_take_turns_and_return_every_result_in_order(monkeypatch):
    import zjtx.validate

    monkeypatch.setattr(zjtx.validate, "PARALLEL_CELLS", 0)
    parent = os.getpid()
    items = list(range(12))

    def work(item):
        time.sleep(0.03)  # long enough for the second process to start and take its turns
        return item, os.getpid() == parent

    done_by = zjtx.validate._in_two_processes(work, items, lambda item: item)
    assert [item for item, _ in done_by] == items
    assert {by_parent for _, by_parent in done_by} == {True, False}  # both processes worked

    def fails_in_the_child(item):
        if os.getpid() != parent:
            raise RuntimeError("the second process fails")
        return item * 2

    assert zjtx.validate._in_two_processes(fails_in_the_child, items, lambda item: item) == [i * 2 for i in items]
