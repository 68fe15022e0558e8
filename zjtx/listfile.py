"""Read an official list (XLSX, or CSV as bureaus receive it) into its header and the rows that name enterprises.

Real attachments carry a title above the header, a 序号 column, notes below the table, names that mix （） and ()
with stray spaces, and national lists give only 序号 and 企业名称. This module finds the header and the rows;
importer.py matches them to the register.

A list comes from outside (an e-mail attachment, a download) and is read as untrusted input. An XLSX file is a zip
of XML files, so before openpyxl opens it every member is inflated once, counting the bytes, and parsed with
defusedxml without any DTD: a zip bomb, an external entity (XXE) or an entity expansion (billion laughs) is
refused with the file's name, and so is a file that is empty, too big or not a zip. Sheets are read up to limits
of rows, columns and cells, and a long run of empty rows ends a sheet, so a sheet that claims a million rows costs
no more than the rows it holds.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .errors import ListError
from .search import normalise

# Limits far above any official list (the biggest has a few thousand rows of a dozen columns).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # every member of a workbook, inflated
MAX_SHEETS = 100
MAX_ROWS = 100_000  # rows that hold a value
MAX_COLUMNS = 200  # columns read from a sheet; Excel's own limit is 16,384
MAX_CELLS = 2_000_000  # cells that hold a value
EMPTY_RUN = 1_000  # empty rows in a row that end a sheet: what follows is not part of the table
CHUNK = 64 * 1024

# Headers as printed on official lists, by the column they mean; compared after `normalise` and without the
# marks some lists add (*, ：).
COLUMNS = {
    "seq": ("序号", "编号", "排序"),
    "name": ("企业名称", "单位名称", "公司名称", "企业全称", "企业名单", "申报企业名称", "名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "企业信用代码"),
    "district": ("所属区", "区域", "推荐单位", "所在区", "所属区域", "所属地区", "地区", "推荐区", "区", "所在区域",
                 "推荐部门"),
    "industry": ("行业", "所属行业", "行业代码", "行业类别", "所属行业代码", "国民经济行业分类"),
    "products": ("主导产品", "主要产品", "主营产品", "主导产品名称"),
}
_BRACKETED = re.compile(r"\(.*?\)")
HEADER_WORDS = {normalise(word): column for column, words in COLUMNS.items() for word in words}
COLUMN_ZH = {"seq": "序号", "name": "企业名称", "uscc": "统一社会信用代码", "district": "所属区/推荐单位",
             "industry": "行业", "products": "主导产品"}


@dataclass(frozen=True)
class ListRow:
    line: int  # row of the sheet or line of the file, as the bureau's spreadsheet numbers it
    values: dict[str, str]  # by column key of COLUMNS

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class OfficialList:
    file: str
    encoding: str
    header_line: int
    columns: dict[str, str]  # column key -> header as printed
    ignored_columns: list[str]
    rows: list[ListRow]
    skipped_lines: list[int]  # title and note rows around the table
    notes: list[str] = field(default_factory=list)  # what was not read, and why


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 序号 1 as 1.0
    # Excel and Word leave non-breaking and full-width spaces at the ends of names.
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _header_key(text: str) -> str:
    # 企业名称（全称）, 统一社会\n信用代码, *所属区： are the headings they vary.
    return _BRACKETED.sub("", normalise(text)).strip("*:")


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as error:
        raise ListError(
            f"{file} is neither UTF-8 nor GBK (byte {error.start}): save it again as XLSX or as 'CSV UTF-8'",
            f"{file} 既不是 UTF-8 也不是 GBK 编码（第 {error.start} 字节）：请另存为 XLSX 或“CSV UTF-8”",
        ) from error


def _refuse(file: str, problem_en: str, problem_zh: str, fix_en: str, fix_zh: str) -> ListError:
    return ListError(f"{file}: {problem_en}. {fix_en}", f"{file}：{problem_zh}。{fix_zh}")


RESAVE_EN = "Open it in Excel or WPS and save it again as .xlsx (or as 'CSV UTF-8'), then import that file"
RESAVE_ZH = "请用 Excel 或 WPS 打开后重新另存为 .xlsx（或“CSV UTF-8”），再导入新保存的文件"


class _Discard:
    """A parser target without element handlers: expat checks the XML in C and keeps nothing."""

    def close(self) -> None:
        return None


def _check_workbook(path: Path) -> None:
    """Refuse a workbook that is not a zip, or whose members inflate past the limit or declare a DTD."""
    file = path.name
    if not zipfile.is_zipfile(path):
        raise _refuse(file, "not an XLSX workbook (an XLSX file is a zip archive; this one may be an old .xls, a "
                      "web page or a password-protected file renamed to .xlsx, or damaged)",
                      "不是 XLSX 工作簿（XLSX 文件是 zip 压缩包，此文件不是：可能是改了扩展名的旧版 .xls、网页或"
                      "加密文件，或已损坏）", RESAVE_EN, RESAVE_ZH)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
        if len(sheets) > MAX_SHEETS:
            raise _refuse(file, f"{len(sheets)} sheets, more than the {MAX_SHEETS} an import reads",
                          f"有 {len(sheets)} 个工作表，超过导入读取的上限 {MAX_SHEETS} 个",
                          "Copy the list's sheet into a new workbook and import that",
                          "请把名单所在的工作表复制到新工作簿再导入")
        # zipfile yields no more than a member declares (and fails on a member that holds more), so the declared
        # sizes bound what openpyxl can inflate.
        inflated = sum(member.file_size for member in members)
        if inflated > MAX_INFLATED_BYTES:
            raise _refuse(file, f"its contents inflate to {inflated / 2**20:,.0f} MB, more than the "
                          f"{MAX_INFLATED_BYTES // 2**20} MB a list can be (a zip bomb, or not a list)",
                          f"解压后有 {inflated / 2**20:,.0f} MB，超过名单的上限 {MAX_INFLATED_BYTES // 2**20} MB"
                          "（疑为“压缩炸弹”，不是名单）", RESAVE_EN, RESAVE_ZH)
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):  # legacy VML is not always well-formed
                continue
            parser = DefusedXMLParser(target=_Discard(), forbid_dtd=True)
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    parser.feed(chunk)
            parser.close()


def _workbook_problem(file: str, error: Exception) -> ListError:
    if isinstance(error, DefusedXmlException):
        return _refuse(file, "it declares a DTD or entities, which no spreadsheet needs (an external entity or an "
                       "entity expansion attack), so it is not read", "文件中含有 DTD 或实体声明，正常的表格不会有"
                       "（疑为外部实体或实体膨胀攻击），不予读取", RESAVE_EN, RESAVE_ZH)
    return _refuse(file, f"the workbook is damaged and cannot be read ({type(error).__name__}: {error})",
                   f"工作簿已损坏，无法读取（{type(error).__name__}：{error}）", RESAVE_EN, RESAVE_ZH)


def _read_workbook(path: Path) -> tuple[list[list[list[str]]], list[str]]:
    from openpyxl import load_workbook

    file = path.name
    try:
        _check_workbook(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except ListError:
        raise
    # openpyxl turns a malformed workbook into any kind of exception; none may reach the user as a traceback.
    except Exception as error:  # noqa: BLE001
        raise _workbook_problem(file, error) from error
    sheets, notes, cells = [], [], 0
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            table, note, counted = _collect(file, sheet.title, (_row_text(row) for row in rows), cells)
            sheets.append(table)
            cells = counted
            if note:
                notes.append(note)
    except ListError:
        raise
    except Exception as error:  # noqa: BLE001
        raise _workbook_problem(file, error) from error
    finally:
        workbook.close()
    return sheets, notes


def _row_text(row) -> list[str]:
    cells = [_cell_text(value) for value in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _collect(file: str, sheet: str, rows: Iterable[list[str]], cells: int) -> tuple[list[list[str]], str, int]:
    """A sheet's rows up to its last value (line n is item n - 1), a note if a long run of empty rows ended it,
    and the running count of cells with a value; ListError past the limits."""
    table: list[list[str]] = []
    empty = 0
    for cells_of_row in rows:
        if not any(cells_of_row):
            empty += 1
            if empty >= EMPTY_RUN:
                return table, (f"工作表“{sheet}”第 {len(table) + 1} 行以下连续 {EMPTY_RUN} 行为空，以下未读取 / sheet "
                               f"{sheet!r}: {EMPTY_RUN} empty rows below line {len(table)}, nothing below read"), cells
            continue
        table.extend([[]] * empty)
        empty = 0
        table.append(cells_of_row)
        cells += sum(1 for cell in cells_of_row if cell)
        if len(table) > MAX_ROWS or cells > MAX_CELLS:
            raise _refuse(file, f"sheet {sheet!r} has more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells with "
                          "values, more than any list", f"工作表“{sheet}”超过 {MAX_ROWS:,} 行或 {MAX_CELLS:,} 个"
                          "非空单元格，不像是一份名单", "Import the list's table only, one sheet per announcement",
                          "请只导入名单本身的表格（每份公告一个工作表）")
    return table, "", cells


def _sheets(path: Path) -> tuple[list[list[list[str]]], str, list[str]]:
    """The rows of every sheet of a workbook (a CSV file has one) as text, the file's encoding, and notes."""
    file = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ListError(f"cannot read {path}: {error.strerror}", f"无法读取 {path}：{error.strerror}") from error
    if size == 0:
        raise _refuse(file, "the file is empty (0 bytes)", "文件是空的（0 字节）",
                      "Save the list again from the announcement's attachment", "请从公告附件重新保存名单")
    if size > MAX_FILE_BYTES:
        raise _refuse(file, f"the file is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB an "
                      "official list can be", f"文件有 {size / 2**20:.0f} MB，超过名单文件的上限 "
                      f"{MAX_FILE_BYTES // 2**20} MB", "Import the list's table only (delete pictures and other "
                      "sheets)", "请只保留名单表格（删去图片和其他工作表）后再导入")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets, notes = _read_workbook(path)
        return sheets, "xlsx", notes
    if suffix == ".xls":
        raise ListError(f"{file} is an old Excel 97 file: open it in Excel or WPS and save it as .xlsx",
                        f"{file} 是旧版 Excel（.xls）文件：请用 Excel 或 WPS 另存为 .xlsx")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ListError(f"cannot read {path}: {error.strerror}", f"无法读取 {path}：{error.strerror}") from error
    text, encoding = _decode(data, file)
    if "\x00" in text:
        raise _refuse(file, "the file holds NUL bytes: it is not a text (CSV) file", "文件含有 NUL 字节，不是文本"
                      "（CSV）文件", RESAVE_EN, RESAVE_ZH)
    rows = ([_cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text)))
    table, note, _ = _collect(file, file, rows, 0)
    return [table], encoding, [note] if note else []


# Rows below a table that are not enterprises: totals and notes, sometimes typed into the name column.
NOTE_PREFIXES = ("合计", "总计", "小计", "共计", "注", "备注", "说明", "附注", "附件")


def _is_entry(values: dict[str, str]) -> bool:
    """Whether a row under the header names an enterprise (not a sub-heading such as 一、滨海新区, nor a note)."""
    if not (values.get("name") or values.get("uscc")):
        return False
    seq = values.get("seq", "").rstrip(".、")
    if seq and not seq.isdigit():
        return False
    return bool(values.get("uscc")) or not values["name"].startswith(NOTE_PREFIXES)


def _find_header(sheets: list[list[list[str]]]):
    """The sheet, index and column keys of the first header row; a workbook may open with a cover sheet."""
    for sheet in sheets:
        for index, cells in enumerate(sheet):
            keys = [HEADER_WORDS.get(_header_key(cell)) for cell in cells]
            if "name" in keys or "uscc" in keys:
                return sheet, index, keys
    return None


def read_list(path: Path) -> OfficialList:
    """The table of an official list: the header found below any title rows, the rows that name an enterprise."""
    path = Path(path)
    sheets, encoding, notes = _sheets(path)
    found = _find_header(sheets)
    if found is None:
        raise ListError(
            f"{path.name}: no header row with 企业名称 or 统一社会信用代码 was found; the list needs one of these "
            "column headings",
            f"{path.name}：没有找到含“企业名称”或“统一社会信用代码”的表头行；请确认名单有这样的列标题",
        )
    sheet, header_index, keys = found
    header = sheet[header_index]
    positions, columns, ignored = {}, {}, []
    for position, (cell, key) in enumerate(zip(header, keys)):
        if key and key not in positions:
            positions[key], columns[key] = position, cell
        elif cell:
            ignored.append(cell)
    rows, skipped = [], list(range(1, header_index + 1))
    for line, cells in enumerate(sheet[header_index + 1:], start=header_index + 2):
        values = {key: cells[position] if position < len(cells) else "" for key, position in positions.items()}
        if _is_entry(values):
            rows.append(ListRow(line, values))
        elif any(cells):
            skipped.append(line)  # a note, a subtotal or a sub-heading such as 一、滨海新区
    return OfficialList(path.name, encoding, header_index + 1, columns, ignored, rows, skipped, notes)
