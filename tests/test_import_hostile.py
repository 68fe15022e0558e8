"""import-list with hostile or broken official lists: each refused with a bilingual message naming the file and
what is wrong (no traceback, no MemoryError), and a sheet that claims a million rows read as the rows it holds.

Each hostile workbook is made here: a small valid workbook from openpyxl, then a member rewritten by hand."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from packages import make_good_package
from test_import import hashes, run

SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_bytes(rows=(("序号", "企业名称"), (1, "天津甲精密机械有限公司"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(members: dict[str, bytes], streamed: dict[str, int] | None = None) -> bytes:
    """The valid workbook with `members` replaced or added, and `streamed` members of that many zero bytes."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in members:
                out.writestr(info, source.read(info))
        for name, data in members.items():
            out.writestr(name, data)
        for name, size in (streamed or {}).items():
            with out.open(name, "w") as member:
                block = bytes(1 << 20)
                for _ in range(size >> 20):
                    member.write(block)
    return buffer.getvalue()


def sheet(rows_xml: str, dimension: str = "A1:B2", prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {MAIN}><dimension ref="{dimension}"/>'
            f"<sheetData>{rows_xml}</sheetData></worksheet>").encode()


def cells(row: int, *values: str) -> str:
    letters = "ABCDEFG"
    inner = "".join(f'<c r="{letters[n]}{row}" t="inlineStr"><is><t>{value}</t></is></c>'
                    for n, value in enumerate(values))
    return f'<row r="{row}">{inner}</row>'


TABLE = cells(1, "序号", "企业名称") + cells(2, "1", "天津甲精密机械有限公司")
BILLION_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
                            for n in range(1, 10))
                  + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.fixture
def package(tmp_path) -> Path:
    return make_good_package(tmp_path / "package")


def refused(package: Path, list_file: Path, *fragments: str, about_the_list: bool = True) -> str:
    before = hashes(package)
    result = run(package, list_file, "lg-2022")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "MemoryError" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("Error:")] == [
        result.output.splitlines()[0]]  # one error, first: nothing else was printed
    for fragment in ((list_file.name,) if about_the_list else ()) + fragments:
        assert fragment in result.output, result.output
    assert hashes(package) == before
    return result.output


@pytest.mark.parametrize("name, content, zh, en", [
    ("empty.xlsx", b"", "文件是空的（0 字节）", "the file is empty (0 bytes)"),
    ("empty.csv", b"", "文件是空的（0 字节）", "the file is empty (0 bytes)"),
    ("page.xlsx", b"<html><body>404</body></html>", "不是 XLSX 工作簿", "not an XLSX workbook"),
    ("truncated.xlsx", workbook_bytes()[:-200], "不是 XLSX 工作簿", "not an XLSX workbook"),
])
def test_a_file_that_is_empty_or_not_a_workbook_is_explained(package, tmp_path, name, content, zh, en):
    list_file = tmp_path / name
    list_file.write_bytes(content)
    refused(package, list_file, zh, en)


def test_an_external_entity_is_refused_unread(package, tmp_path):
    list_file = tmp_path / "xxe.xlsx"
    list_file.write_bytes(rewritten({SHEET: sheet(cells(1, "序号", "企业名称") + cells(2, "1", "&xxe;"), prolog=XXE)}))
    output = refused(package, list_file, "DTD", "外部实体", "external entity")
    assert "root:" not in output  # /etc/passwd never read


def test_a_billion_laughs_sheet_is_refused_unexpanded(package, tmp_path):
    list_file = tmp_path / "laughs.xlsx"
    list_file.write_bytes(rewritten({SHEET: sheet(cells(1, "序号", "企业名称") + cells(2, "1", "&lol9;"),
                                                  prolog=BILLION_LAUGHS)}))
    refused(package, list_file, "实体膨胀", "entity expansion")


def test_an_entity_declared_in_another_member_is_refused_too(package, tmp_path):
    list_file = tmp_path / "strings.xlsx"
    strings = (f'<?xml version="1.0"?>{BILLION_LAUGHS}<sst {MAIN} count="1" uniqueCount="1">'
               "<si><t>&lol9;</t></si></sst>").encode()
    list_file.write_bytes(rewritten({"xl/sharedStrings.xml": strings}))
    refused(package, list_file, "DTD")


def test_a_zip_bomb_is_refused_before_it_is_inflated(package, tmp_path):
    list_file = tmp_path / "bomb.xlsx"
    list_file.write_bytes(rewritten({}, streamed={"xl/media/image1.png": 256 << 20}))
    assert list_file.stat().st_size < 2 << 20
    refused(package, list_file, "压缩炸弹", "zip bomb", "MB")


def test_damaged_xml_in_a_workbook_is_explained(package, tmp_path):
    list_file = tmp_path / "damaged.xlsx"
    list_file.write_bytes(rewritten({SHEET: b"<worksheet><sheetData><row>"}))
    refused(package, list_file, "工作簿已损坏", "the workbook is damaged")


def test_a_file_too_big_for_a_list_is_refused_unread(package, tmp_path, monkeypatch):
    from zjtx import listfile

    monkeypatch.setattr(listfile, "MAX_FILE_BYTES", 1000)
    list_file = tmp_path / "big.csv"
    list_file.write_bytes(b"x" * 2000)
    refused(package, list_file, "超过名单文件的上限", "more than the")


def test_too_many_rows_are_refused(package, tmp_path, monkeypatch):
    from zjtx import listfile

    monkeypatch.setattr(listfile, "MAX_ROWS", 10)
    list_file = tmp_path / "long.csv"
    list_file.write_bytes("序号,企业名称\n".encode() + "".join(f"{n},天津{n}有限公司\n" for n in range(20)).encode())
    refused(package, list_file, "超过 10 行", "more than 10 rows")


def test_a_sheet_that_claims_the_last_row_of_excel_is_read_as_the_rows_it_holds(package, tmp_path):
    rows = TABLE + cells(1048576, "x")
    list_file = tmp_path / "claims.xlsx"
    list_file.write_bytes(rewritten({SHEET: sheet(rows, dimension="A1:XFD1048576")}))
    result = run(package, list_file, "lg-2022", "--dry-run")
    assert "Traceback" not in result.output and "MemoryError" not in result.output
    assert "已在册 already" in result.output, result.output  # the one enterprise, already in lg-2022
    assert "第 3 行以下连续 1000 行为空，以下未读取" in result.output


def test_a_million_empty_rows_are_not_read(package, tmp_path):
    empty = "".join(f'<row r="{n}"/>' for n in range(3, 1_000_003))
    list_file = tmp_path / "empty-rows.xlsx"
    list_file.write_bytes(rewritten({SHEET: sheet(TABLE + empty, dimension="A1:B1000002")}))
    result = run(package, list_file, "lg-2022", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 家企业" in result.output and "以下未读取" in result.output


def test_an_announcement_with_a_bad_date_is_explained(package, tmp_path):
    from packages import set_cell, read_table

    line = next(n for n, row in enumerate(read_table(package, "announcements"), start=1) if row[0] == "lg-2022")
    set_cell(package, "announcements", line, "published_on", "2022-02-30")
    list_file = tmp_path / "list.csv"
    list_file.write_bytes("序号,企业名称\n1,天津甲精密机械有限公司\n".encode())
    refused(package, list_file, f"data/announcements.csv 第 {line} 行", "2022-02-30", "YYYY-MM-DD",
            f"line {line}", about_the_list=False)
