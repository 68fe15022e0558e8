"""import-list: official lists as bureaus receive them, matched to the register, written all or nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from packages import AS_OF, add_row, make_good_package, read_table, set_cell
from zjtx.fmt import format_package
from zjtx.validate import validate_package

# Two enterprises whose names carry brackets, as real names do; lists spell them with the other kind.
ZHONGCAI = ("91120116MA00000014", "中才邦业（天津）科技有限公司", "120116", "34")
HENGYE = ("91120104MA0000002T", "恒业智能驱动(天津)有限公司", "120104", "38")
NEW_USCC = "91120111MA00000032"


@pytest.fixture
def package(tmp_path) -> Path:
    package = make_good_package(tmp_path / "package")
    for uscc, name, district, industry in (ZHONGCAI, HENGYE):
        add_row(package, "enterprises", dict(uscc=uscc, name=name, district_code=district, industry_code=industry))
    announcements = [
        dict(announcement_id="lg-2025", tier_id="little_giant", kind="designation", title="第七批专精特新小巨人企业名单",
             issuer="工业和信息化部", published_on="2025-06-01"),
        dict(announcement_id="sme-2025", tier_id="sme", kind="designation", title="2025年度天津市专精特新中小企业名单",
             issuer="天津市工业和信息化局", published_on="2025-05-20"),
        dict(announcement_id="seed-removal-2025", tier_id="seed", kind="removal", title="调整出库种子企业名单",
             issuer="天津市工业和信息化局", published_on="2025-06-10"),
    ]
    for row in announcements:
        add_row(package, "announcements", row)
    format_package(package)
    return package


def set_expected_count(package: Path, announcement_id: str, count: str) -> None:
    line = next(n for n, row in enumerate(read_table(package, "announcements"), start=1) if row[0] == announcement_id)
    set_cell(package, "announcements", line, "expected_count", count)


def hashes(package: Path) -> dict[str, str]:
    return {str(path.relative_to(package)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(package.rglob("*")) if path.is_file()}


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def run(package: Path, list_file: Path, announcement: str, *extra: str):
    return CliRunner().invoke(build.cli, [
        "import-list", str(list_file), "--announcement", announcement, "--datapackage", str(package),
        "--as-of", AS_OF.isoformat(), *extra,
    ])


def certification(package: Path, uscc: str, announcement: str) -> dict[str, str]:
    rows = read_table(package, "certifications")
    found = [dict(zip(rows[0], row)) for row in rows[1:] if row[0] == uscc and announcement in row]
    assert len(found) == 1, found
    return found[0]


NAMES_ONLY = [
    ["第七批专精特新“小巨人”企业名单（天津市）"],
    [],
    ["序号", "企业名称 "],
    ["1", "中才邦业(天津) 科技有限公司"],
    ["2", " 恒业智能驱动（天津）有限公司"],
    ["注：排名不分先后。"],
]


def test_names_only_list_matches_normalised_names_and_adds_the_certifications(package, tmp_path):
    list_file = tmp_path / "national.csv"
    list_file.write_bytes(csv_bytes(NAMES_ONLY))
    result = run(package, list_file, "lg-2025")
    assert result.exit_code == 0, result.output
    assert "表头在第 3 行" in result.output
    assert "跳过的标题或附注行 / title and note lines skipped: 1, 2, 6" in result.output
    assert "名称（规范化后）" in result.output
    assert "新增国家专精特新“小巨人”企业 2 家" in result.output
    row = certification(package, ZHONGCAI[0], "lg-2025")
    assert row["certified_on"] == "2025-06-01"
    assert row["valid_until"] == "2028-06-01"  # little_giant: 3 years
    assert row["recommended_by"] == "120116"  # no district column: the enterprise's own district
    assert row["status"] == "active"
    assert certification(package, HENGYE[0], "lg-2025")["recommended_by"] == "120104"
    assert format_package(package, check_only=True) == []
    assert not [p for p in validate_package(package, AS_OF) if p.severity == "error"]


FULL_LIST = [
    ["2025年度天津市专精特新中小企业名单"],
    ["序号", "企业名称", "统一社会信用代码", "所属区", "行业", "主导产品", "联系人"],
    ["1", "中才邦业（天津）科技有限公司", "91120116MA00000014", "天津经济技术开发区", "34", "减速机", "（略）"],
    ["2", "天津丁智能装备有限公司", NEW_USCC, "西青区", "专用设备制造业", "检测设备", "（略）"],
    ["", "合计 2 家"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "xlsx"])
def test_full_list_in_every_encoding_adds_new_enterprises_and_recommending_units(package, tmp_path, encoding):
    if encoding == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for row in FULL_LIST:
            sheet.append([int(cell) if cell.isdigit() and len(cell) < 3 else cell for cell in row])
        sheet.merge_cells("A1:G1")
        list_file = tmp_path / "list.xlsx"
        workbook.save(list_file)
    else:
        list_file = tmp_path / "list.csv"
        list_file.write_bytes(csv_bytes(FULL_LIST, encoding))
    result = run(package, list_file, "sme-2025")
    assert result.exit_code == 0, result.output
    assert "已忽略的列 / columns ignored: 联系人" in result.output
    assert "新企业 new" in result.output
    enterprises = {row[0]: row for row in read_table(package, "enterprises")}
    header = read_table(package, "enterprises")[0]
    added = dict(zip(header, enterprises[NEW_USCC]))
    assert added["name"] == "天津丁智能装备有限公司"
    assert added["district_code"] == "120111"
    assert added["industry_code"] == "35"  # from the printed industry name
    assert added["main_products"] == "检测设备"
    # The zone recommends; the enterprise's own district is unchanged.
    assert certification(package, ZHONGCAI[0], "sme-2025")["recommended_by"] == "120116-teda"
    assert certification(package, NEW_USCC, "sme-2025")["valid_until"] == "2028-05-20"
    assert format_package(package, check_only=True) == []


def test_a_list_imported_twice_changes_nothing_the_second_time(package, tmp_path):
    list_file = tmp_path / "national.csv"
    list_file.write_bytes(csv_bytes(NAMES_ONLY))
    assert run(package, list_file, "lg-2025").exit_code == 0
    before = hashes(package)
    result = run(package, list_file, "lg-2025")
    assert result.exit_code == 0, result.output
    assert "已在册 already" in result.output
    assert hashes(package) == before


@pytest.mark.parametrize("rows, expected", [
    ([["序号", "企业名称"], ["1", "中才邦业(天津)科技有限公司"], ["2", "天津不存在的企业有限公司"]], "未匹配 unmatched"),
    ([["序号", "企业名称", "统一社会信用代码"], ["1", "中才邦业(天津)科技有限公司", NEW_USCC]], "有歧义 ambiguous"),
    ([["序号", "企业名称"], ["1", "中才邦业(天津)科技有限公司"], ["2", "中才邦业（天津）科技有限公司"]], "有歧义 ambiguous"),
    ([["序号", "企业名称", "统一社会信用代码", "所属区", "行业"],
      ["1", "天津戊科技有限公司", "91120111MA00000033", "西青区", "35"]], "未匹配 unmatched"),  # bad check digit
])
def test_ambiguous_or_unmatched_rows_leave_every_file_byte_identical(package, tmp_path, rows, expected):
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes(rows))
    before = hashes(package)
    result = run(package, list_file, "lg-2025")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "未写入任何文件" in result.output and "Traceback" not in result.output
    assert hashes(package) == before


def test_allow_unmatched_imports_the_rows_that_match(package, tmp_path):
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称"], ["1", "中才邦业(天津)科技有限公司"], ["2", "天津查无此企业有限公司"]]))
    result = run(package, list_file, "lg-2025", "--allow-unmatched")
    assert result.exit_code == 0, result.output
    assert "有 1 行未导入" in result.output
    assert certification(package, ZHONGCAI[0], "lg-2025")["status"] == "active"


def test_dry_run_prints_the_change_and_writes_nothing(package, tmp_path):
    list_file = tmp_path / "national.csv"
    list_file.write_bytes(csv_bytes(NAMES_ONLY))
    before = hashes(package)
    result = run(package, list_file, "lg-2025", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "新增国家专精特新“小巨人”企业 2 家" in result.output
    assert hashes(package) == before


def test_an_import_that_would_make_the_package_invalid_writes_nothing(package, tmp_path):
    # sme-2025 expects 2 rows; a list of one is refused by the expected-count check, not written half.
    set_expected_count(package, "sme-2025", "2")
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称"], ["1", "恒业智能驱动(天津)有限公司"]]))
    before = hashes(package)
    result = run(package, list_file, "sme-2025")
    assert result.exit_code == 1, result.output
    assert "expected_count" in result.output
    assert "导入后数据包将有" in result.output
    assert hashes(package) == before


def test_a_formula_in_a_new_enterprise_name_is_refused(package, tmp_path):
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes([
        ["企业名称", "统一社会信用代码", "所属区", "行业"],
        ["=HYPERLINK(\"http://x\")", NEW_USCC, "西青区", "35"],
        ["中才邦业(天津)科技有限公司", ZHONGCAI[0], "", ""],
    ]))
    before = hashes(package)
    result = run(package, list_file, "sme-2025")
    assert result.exit_code == 1, result.output
    assert hashes(package) == before


def test_removal_list_ends_the_active_certifications_of_its_tier(package, tmp_path):
    set_expected_count(package, "seed-removal-2025", "1")
    list_file = tmp_path / "removal.csv"
    list_file.write_bytes(csv_bytes([["关于调整出库部分种子企业的通知 附件"], ["序号", "企业名称"],
                                     ["1", "天津甲精密机械有限公司"]]))
    result = run(package, list_file, "seed-removal-2025")
    assert result.exit_code == 0, result.output
    assert "种子企业出库 1 家" in result.output.replace("“", "").replace("”", "") or "出库 1 家" in result.output
    row = certification(package, "911201163000000101", "seed-2021")
    assert (row["status"], row["status_on"], row["status_reason"], row["status_announcement_id"]) == (
        "removed", "2025-06-10", "no_longer_qualified", "seed-removal-2025")
    assert not [p for p in validate_package(package, AS_OF) if p.severity == "error"]


def test_removal_of_an_enterprise_without_an_active_certification_is_refused(package, tmp_path):
    list_file = tmp_path / "removal.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称"], ["1", "天津乙新材料科技有限公司"]]))  # its seed row was removed in 2023
    before = hashes(package)
    result = run(package, list_file, "seed-removal-2025")
    assert result.exit_code == 1, result.output
    assert "没有可出库的有效认定" in result.output
    assert hashes(package) == before


@pytest.mark.parametrize("content, message", [
    (csv_bytes([["序号", "名单"], ["1", "x"]]), "没有找到含“企业名称”或“统一社会信用代码”的表头行"),
    (b"\x81\x30\xff\xfe\x00", "既不是 UTF-8 也不是 GBK"),
])
def test_unreadable_lists_are_explained(package, tmp_path, content, message):
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(content)
    result = run(package, list_file, "lg-2025")
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output


def test_an_announcement_that_is_not_in_the_package_is_explained(package, tmp_path):
    list_file = tmp_path / "national.csv"
    list_file.write_bytes(csv_bytes(NAMES_ONLY))
    result = run(package, list_file, "lg-2099")
    assert result.exit_code == 1, result.output
    assert "data/announcements.csv 中没有公告 'lg-2099'" in result.output


def test_a_review_renews_the_term_that_ends_on_its_day(package, tmp_path):
    add_row(package, "announcements", dict(announcement_id="lg-review-2025", tier_id="little_giant", kind="review",
                                           title="小巨人复核通过名单", issuer="工业和信息化部", published_on="2025-08-01"))
    list_file = tmp_path / "review.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称", "统一社会信用代码"],
                                     ["1", "天津甲精密机械有限公司", "911201163000000101"]]))
    result = CliRunner().invoke(build.cli, ["import-list", str(list_file), "--announcement", "lg-review-2025",
                                            "--datapackage", str(package), "--as-of", "2025-08-15"])
    assert result.exit_code == 0, result.output
    old = certification(package, "911201163000000101", "lg-2022")
    assert (old["status"], old["status_on"], old["status_reason"]) == ("expired", "2025-08-01", "renewed")
    new = certification(package, "911201163000000101", "lg-review-2025")
    assert (new["certified_on"], new["valid_until"], new["status"]) == ("2025-08-01", "2028-08-01", "active")


def test_a_revocation_list_takes_the_reason_given(package, tmp_path):
    add_row(package, "announcements", dict(announcement_id="sme-revocation-2025", tier_id="sme", kind="revocation",
                                           title="撤销通知", issuer="天津市工业和信息化局", published_on="2025-06-12"))
    list_file = tmp_path / "revocation.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称"], ["1", "天津甲精密机械有限公司"]]))
    result = run(package, list_file, "sme-revocation-2025", "--reason", "withdrawn")
    assert result.exit_code == 0, result.output
    row = certification(package, "911201163000000101", "sme-review-2024")
    assert (row["status"], row["status_reason"], row["status_announcement_id"]) == (
        "revoked", "withdrawn", "sme-revocation-2025")


def test_header_variants_and_a_cover_sheet_are_understood(package, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本名单按推荐单位排列"])
    sheet = workbook.create_sheet("名单")
    sheet.append(["序 号", "企业名称（全称）", "统一社会\n信用代码（18位）", "推荐单位（区）"])
    sheet.append(["一、滨海新区"])
    sheet.append([1, "中才邦业（天津）科技有限公司", ZHONGCAI[0], "滨海新区"])
    sheet.append(["二、南开区"])
    sheet.append([2, "恒业智能驱动(天津)有限公司", HENGYE[0], "南开"])
    list_file = tmp_path / "list.xlsx"
    workbook.save(list_file)
    result = run(package, list_file, "lg-2025", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "跳过的标题或附注行 / title and note lines skipped: 2, 4" in result.output
    assert "合计 / total: 已匹配 2" in result.output


def test_a_register_file_saved_as_gbk_is_not_rewritten(package, tmp_path):
    path = package / "data" / "enterprises.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    list_file = tmp_path / "national.csv"
    list_file.write_bytes(csv_bytes(NAMES_ONLY))
    before = hashes(package)
    result = run(package, list_file, "lg-2025")
    assert result.exit_code == 1, result.output
    assert "data/enterprises.csv 不是 UTF-8 编码" in result.output
    assert hashes(package) == before


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error:")]


NEW_WITHOUT_INDUSTRY = [
    ["2025年度天津市专精特新中小企业名单"],
    ["序号", "企业名称", "统一社会信用代码", "所属区"],
    ["1", "中才邦业（天津）科技有限公司", ZHONGCAI[0], "天津经济技术开发区"],
    ["2", "天津丁智能装备有限公司", NEW_USCC, "西青区"],
    ["3", "天津戊智能装备有限公司", "91120111MA00000033", "西青区"],  # a wrong check character
]


def test_a_refusal_says_error_once_and_names_what_stopped_each_row(package, tmp_path):
    list_file = tmp_path / "list2025.csv"
    list_file.write_bytes(csv_bytes(NEW_WITHOUT_INDUSTRY))
    before = hashes(package)
    result = run(package, list_file, "sme-2025")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("list2025.csv（utf-8）：表头在第 2 行")  # information, not an error
    assert error_lines(result.output) == ["Error: 名单中有 2 行未能导入，未写入任何文件。逐行改法："]
    advice = result.output.split("Error:")[1]
    assert "第 4 行：在名单中加“行业”列并逐行填写" in advice
    assert "line 4: add a 行业 (industry) column to the list" in advice
    assert "第 5 行：对照营业执照改正这一行的统一社会信用代码" in advice
    assert "统一社会信用代码列" not in advice and "USCC column" not in advice  # the list has one
    assert hashes(package) == before


def test_a_names_only_list_is_told_to_add_the_uscc_column(package, tmp_path):
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称"], ["1", "天津查无此企业有限公司"]]))
    result = run(package, list_file, "lg-2025")
    assert result.exit_code == 1, result.output
    assert "第 2 行：对照名录改正名称；若是新企业，在名单中加“统一社会信用代码”列" in result.output


def test_allow_unmatched_tells_the_errors_it_causes_from_those_there_before(package, tmp_path):
    set_expected_count(package, "sme-2025", "2")
    set_cell(package, "products", 2, "description", "=1+1")  # an error of the package before any import
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称"], ["1", "中才邦业(天津)科技有限公司"], ["2", "天津查无此企业有限公司"]]))
    before = hashes(package)
    result = run(package, list_file, "sme-2025", "--allow-unmatched")
    assert result.exit_code == 1, result.output
    caused = result.output.split("本次导入造成的错误 / errors this import causes:")[1].split("导入前已存在的错误")[0]
    earlier = result.output.split("导入前已存在的错误 / errors the package had before the import:")[1].split("Error:")[0]
    assert "expected_count" in caused and "data/products.csv" not in caused
    assert "data/products.csv" in earlier and "expected_count" not in earlier
    assert error_lines(result.output) == ["Error: 导入后数据包将有 2 处错误，未写入任何文件：1 处由本次导入造成，1 处导入前已存在"
                                          "（与本名单无关，也须改正：python build.py validate 会列出）。"]
    assert "名单中有 1 行未导入（--allow-unmatched），公告的 expected_count 因此不符" in result.output
    assert "1 row(s) of the list were left out (--allow-unmatched), so the announcement's expected_count" in result.output
    assert hashes(package) == before


def test_a_review_naming_an_enterprise_that_never_held_the_tier_is_imported_with_a_warning(package, tmp_path):
    add_row(package, "announcements", dict(announcement_id="lg-review-2025", tier_id="little_giant", kind="review",
                                           title="小巨人复核通过名单", issuer="工业和信息化部", published_on="2025-08-01"))
    list_file = tmp_path / "review.csv"
    list_file.write_bytes(csv_bytes([["序号", "企业名称", "统一社会信用代码"],
                                     ["1", "天津甲精密机械有限公司", "911201163000000101"],
                                     ["2", "中才邦业（天津）科技有限公司", ZHONGCAI[0]]]))
    result = CliRunner().invoke(build.cli, ["import-list", str(list_file), "--announcement", "lg-review-2025",
                                            "--datapackage", str(package), "--as-of", "2025-08-15"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith(("警告", "warning"))]
    assert warnings == [
        f"警告：第 3 行 中才邦业（天津）科技有限公司（{ZHONGCAI[0]}）：复核名单中的企业此前没有国家专精特新“小巨人”企业认定，"
        "已按本公告新增认定；请核对原文（是否应为认定名单，或名录缺少其原认定记录）",
        f"warning: line 3: 中才邦业（天津）科技有限公司 ({ZHONGCAI[0]}) is on a review list but never held "
        "国家专精特新“小巨人”企业 before; imported as a certification by this announcement: check the published list "
        "(a designation list, or an earlier certification missing from the register?)",
    ]
    assert certification(package, ZHONGCAI[0], "lg-review-2025")["status"] == "active"


def test_an_import_writes_both_files_or_neither_when_the_second_replacement_fails(package, tmp_path, monkeypatch):
    import errno
    import os

    list_file = tmp_path / "list.csv"
    list_file.write_bytes(csv_bytes(FULL_LIST))  # a new enterprise and two certifications: both files change
    before = hashes(package)
    real_replace, swapped = os.replace, []

    def failing(source, target):
        if str(source).endswith(".zjtx-new"):
            swapped.append(Path(target).name)
            if len(swapped) == 2:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    result = run(package, list_file, "sme-2025")
    assert result.exit_code == 1, result.output
    assert swapped == ["enterprises.csv", "certifications.csv"]
    assert "所有文件均保持原样" in result.output and "Traceback" not in result.output
    assert hashes(package) == before
