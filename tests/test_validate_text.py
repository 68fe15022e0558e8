"""Clean text and personal data: the spellings that must be caught, and the near misses that must pass."""

from __future__ import annotations

import unicodedata

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


# Characters nobody sees (format characters, fillers, joiners, separators), each in a name.
INVISIBLE = {
    "\u00ad": "SOFT HYPHEN", "\u061c": "ARABIC LETTER MARK", "\u2062": "INVISIBLE TIMES",
    "\U000e0041": "TAG LATIN CAPITAL LETTER A", "\u3164": "HANGUL FILLER", "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\u034f": "COMBINING GRAPHEME JOINER", "\u115f": "HANGUL CHOSEONG FILLER", "\u1160": "HANGUL JUNGSEONG FILLER",
    "\uffa0": "HALFWIDTH HANGUL FILLER", "\u2800": "BRAILLE PATTERN BLANK", "\ufe0f": "VARIATION SELECTOR-16",
    "\U000e0101": "VARIATION SELECTOR-18", "\u200d": "ZERO WIDTH JOINER", "\u2064": "INVISIBLE PLUS",
    "\u2028": "LINE SEPARATOR", "\u206a": "INHIBIT SYMMETRIC SWAPPING", "\ufff9": "INTERLINEAR ANNOTATION ANCHOR",
}


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_is_named_with_its_code_point_and_fix(tmp_path, character):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 4, "name", f"天津甲精密{character}机械有限公司")
    problems = validate_package(package, AS_OF)
    assert [(p.file, p.row, p.field, p.code) for p in problems] == [("data/enterprises.csv", 4, "name", "control-character")]
    code_point = f"U+{ord(character):04X}"
    (problem,) = problems
    assert f"{code_point}（{INVISIBLE[character]}，第 6 个字符）" in problem.message_zh
    assert f"{code_point} ({INVISIBLE[character]}, character 6)" in problem.message_en
    assert "'天津甲精密机械有限公司'" in problem.hint_zh and "'天津甲精密机械有限公司'" in problem.hint_en


def test_every_format_character_of_this_python_is_refused():
    from zjtx.checks.safe_text import CONTROL

    missing = [f"U+{code:04X}" for code in range(0x110000)
               if unicodedata.category(chr(code)) == "Cf" and not CONTROL.fullmatch(chr(code))]
    assert missing == []


def test_an_emoji_variation_selector_and_visible_text_pass(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 4, "summary", "专注精密减速器❤️十余年；产品 ©︎ 2024。")
    set_cell(package, "products", 2, "description", "量程 0–100 MPa · 精度 ±0.1%（Ω、μ、é）。")
    assert validate_package(package, AS_OF) == []


@pytest.mark.parametrize("first, second, shown", [
    ("天津Apex精密机械有限公司", "天津Apex精密\u00ad机械有限公司", "U+00AD SOFT HYPHEN"),
    ("天津Apex精密机械有限公司", "天津Арех精密机械有限公司", "U+0410 CYRILLIC CAPITAL LETTER A"),
    ("天津Nova光电有限公司", "天津Nονa光电有限公司", "U+03BF GREEK SMALL LETTER OMICRON"),
    ("天津ABC科技有限公司", "天津ＡＢＣ科技有限公司", "U+FF21 FULLWIDTH LATIN CAPITAL LETTER A"),
    ("天津口岸物流有限公司", "天津ロ岸物流有限公司", "U+30ED KATAKANA LETTER RO"),
    ("天津乙新材料科技有限公司", "天津乙新材料科技\u3164有限公司", "U+3164 HANGUL FILLER"),
], ids=["soft-hyphen", "cyrillic", "greek", "full-width", "katakana", "hangul-filler"])
def test_names_that_look_the_same_are_duplicates_naming_the_letters_that_differ(tmp_path, first, second, shown):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 3, "name", first)
    set_cell(package, "enterprises", 4, "name", second)
    duplicates = [p for p in validate_package(package, AS_OF) if p.code == "duplicate-name"]
    assert [(p.file, p.row, p.field) for p in duplicates] == [("data/enterprises.csv", 4, "name")]
    (problem,) = duplicates
    assert shown in problem.message_zh and shown in problem.message_en
    assert "第 3 行" in problem.message_zh and "91120111300000010Q" in problem.message_en


@pytest.mark.parametrize("first, second", [
    ("天津甲精密机械有限公司", "天津乙精密机械有限公司"),
    ("天津Apex精密机械有限公司", "天津Apx精密机械有限公司"),
    ("天津口岸物流有限公司", "天津日岸物流有限公司"),
    ("天津红星科技有限公司", "天津红星科技（滨海）有限公司"),
])
def test_names_that_differ_visibly_are_not_duplicates(tmp_path, first, second):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 3, "name", first)
    set_cell(package, "enterprises", 4, "name", second)
    assert validate_package(package, AS_OF) == []


def test_long_names_that_look_the_same_are_reported_without_comparing_every_character(tmp_path):
    package = make_good_package(tmp_path / "p")
    set_cell(package, "enterprises", 3, "name", "天津Apex" * 5000)
    set_cell(package, "enterprises", 4, "name", "天津Арех" * 5000)
    problems = validate_package(package, AS_OF)
    assert [(p.row, p.field, p.code) for p in problems] == [(3, "name", "too-long"), (4, "name", "duplicate-name"),
                                                            (4, "name", "too-long")]
    assert "too long to compare character by character" in problems[1].message_en
