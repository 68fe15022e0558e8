"""Clean text and personal data: the spellings that must be caught, and the near misses that must pass."""

from __future__ import annotations

import pytest

from packages import AS_OF, make_good_package, set_cell
from zjtx.checks.safe_text import personal_numbers
from zjtx.validate import validate_package

RESIDENT_ID = "120101198001011234"  # made up, with a valid check digit


@pytest.mark.parametrize("text", [
    "13812345678", "+8613812345678", "+86 138 1234 5678", "0086-138-1234-5678", "8613812345678",
    "138-1234-5678", "138 1234 5678", "１３８１２３４５６７８", "１３８－１２３４－５６７８", "(+86)13812345678",
    "电话：138 1234 5678，欢迎来电", "2019年 13812345678 2024",
])
def test_mobile_numbers_in_any_spelling_are_caught(text):
    assert [kind for kind, _ in personal_numbers(text)] == ["mobile"]


@pytest.mark.parametrize("text", [
    RESIDENT_ID, "120101 19800101 1234", "120101-1980-0101-1234", "１２０１０１１９８００１０１１２３４", "身份证:120101198001011234。",
])
def test_resident_ids_in_any_spelling_are_caught(text):
    assert [kind for kind, _ in personal_numbers(text)] == ["id"]


@pytest.mark.parametrize("text", [
    "022-23456789", "022-2345-6789", "量程 0-100 MPa", "2019 2020 2021 2022", "订单号 23812345678",
    "120101198001011235",  # wrong check digit: not an ID number
    "产品型号 RV-40E-121", "911201163000000101",
])
def test_near_misses_are_not_personal_data(text):
    assert list(personal_numbers(text)) == []


def test_numbers_are_masked_in_the_report(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 4, "summary", "联系 138 1234 5678")
    (problem,) = validate_package(package, AS_OF)
    assert problem.code == "personal-data" and "5678" in problem.value and "1234" not in problem.value


def test_tidy_text_with_single_spaces_and_inner_punctuation_passes(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 4, "summary", "专注 RV 精密减速器（谐波 / 行星）十余年，服务 300 余家客户。")
    set_cell(package, "enterprises", 3, "name", "天津乙新材料科技有限公司")
    set_cell(package, "products", 2, "product_name", "PT-100 压力传感器 (0-100 MPa)")
    set_cell(package, "products", 2, "description", "量程 0-100 MPa；服务热线 022-23456789。")
    assert validate_package(package, AS_OF) == []


@pytest.mark.parametrize("value, code", [
    ("天津甲精密机械有限公司\t", "edge-whitespace"),
    ("天津甲精密机械有限公司\u3000", "edge-whitespace"),
    ("天津甲精密\u3000\u3000机械有限公司", "doubled-whitespace"),
    ("天津甲精密\ufeff机械有限公司", "control-character"),
    ("天津甲精密\u2066机械有限公司", "control-character"),
    ("天津甲精密\u200f机械有限公司", "control-character"),
    ("天津甲精密\x1b机械有限公司", "control-character"),
])
def test_unclean_names_are_errors_with_their_fix(tmp_path, value, code):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 4, "name", value)
    problems = validate_package(package, AS_OF)
    assert [(p.row, p.field, p.code) for p in problems] == [(4, "name", code)]
    assert problems[0].hint_zh and problems[0].hint_en


def test_names_equal_after_normalising_name_both_rows(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 2, "name", "天津丙传感技术（天津）有限公司")
    set_cell(package, "enterprises", 4, "name", "天津丙传感技术 (天津) 有限公司")
    (problem,) = validate_package(package, AS_OF)
    assert problem.code == "duplicate-name" and problem.row == 4
    assert "第 2 行" in problem.message_zh and "911201013000000109" in problem.message_en
