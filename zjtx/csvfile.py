"""The structure of one CSV file of the package: its header and its records, each with the line it starts on.

fmt and validate read files through here, so a file that fmt refuses to rewrite is the file that validate
reports first. A fault found here is about the whole file (empty, unparsable quoting, a header that is not the
schema's): every row error of that file follows from it, so it is reported once, before anything else.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .problems import ERROR, Problem

# Codes of faults that make every row of the file (and every foreign key into it) meaningless.
EMPTY_FILE = "empty-file"
HEADER_ONLY = "header-only"
QUOTING = "unparsable-quoting"
NUL = "nul-character"
RENAMED_COLUMN = "renamed-column"
MISSING_COLUMN = "missing-column"
UNKNOWN_COLUMN = "unknown-column"
DUPLICATE_COLUMN = "duplicate-column"
COLUMN_ORDER = "column-order"
FILE_FAULTS = {EMPTY_FILE, HEADER_ONLY, QUOTING, NUL, RENAMED_COLUMN, MISSING_COLUMN, UNKNOWN_COLUMN, DUPLICATE_COLUMN,
               COLUMN_ORDER}
# Faults fmt can repair without changing a value: it writes the columns in the schema's order.
REPAIRABLE = {COLUMN_ORDER}


@dataclass(frozen=True)
class Record:
    line: int  # the line the record starts on; the header is line 1
    cells: list[str]

    def cell(self, position: int) -> str:
        """The cell at `position`, or "" past the end of a short row."""
        return self.cells[position] if position < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    header: list[str]
    records: list[Record]  # blank lines left out: they hold no value
    blank_lines: int = 0  # how many were left out (Frictionless reports each as a blank row)


def _fault(file, line, code, message_zh, message_en, hint_zh, hint_en, field=None, value=None) -> Problem:
    return Problem(file, line, field, value, code, ERROR, message_zh, message_en, hint_zh, hint_en)


def _quoting_fault(file: str, opened: int, reason_zh: str, reason_en: str) -> Problem:
    return _fault(
        file, opened, QUOTING,
        f"第 {opened} 行的英文双引号{reason_zh}，文件从这里起无法按 CSV 读取",
        f"the double quote opened on line {opened} {reason_en}, so the file cannot be read as CSV from there",
        f"打开第 {opened} 行：删去多余的英文双引号 \"；若单元格本身含有双引号或逗号，整个单元格用英文双引号括起来，"
        "其中的双引号写两次（\"\"）",
        f"Open line {opened}: delete the stray double quote \"; if the cell itself holds a quote or a comma, wrap the "
        "whole cell in double quotes and double the quotes inside (\"\")",
    )


def parse(file: str, text: str) -> tuple[Table | None, list[Problem]]:
    """The file's header and records, or the fault that stops it from being read."""
    if not text.strip():
        return None, [_fault(file, 1, EMPTY_FILE, "文件是空的，连表头也没有", "the file is empty: not even a header",
                             "恢复该文件（如 git checkout -- 该文件），或至少写入表头一行",
                             "Restore the file (e.g. git checkout -- the file), or write at least its header line")]
    if "\x00" in text:
        # No CSV reader gets past a NUL byte (Frictionless refuses the whole file), so it is the file's fault.
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [_fault(file, line, NUL, f"第 {line} 行含有 NUL 控制字符（U+0000），文件无法按 CSV 读取",
                             f"line {line} holds a NUL character (U+0000), so the file cannot be read as CSV",
                             "删去该字符；它常来自二进制导出或 UTF-16 编码：在 Excel 中另存为“CSV UTF-8”",
                             "Delete it; it comes from a binary export or UTF-16: in Excel, save as 'CSV UTF-8'")]
    # strict: a quote closed in the middle of a cell is an error, not silently glued to the next characters.
    reader = csv.reader(io.StringIO(text), strict=True)
    records, line, blank = [], 1, 0
    try:
        for cells in reader:
            if reader.line_num != line:
                # A record over several lines: a quote opened on `line` swallowed the line ends after it. No cell
                # of the package may hold a line break, so this is a stray quote.
                return None, [_quoting_fault(file, line, f"直到第 {reader.line_num} 行才闭合",
                                             f"is only closed on line {reader.line_num}")]
            if cells:
                records.append(Record(line, cells))
            else:
                blank += 1
            line = reader.line_num + 1
    except csv.Error as error:
        if "expected after" in str(error):
            return None, [_quoting_fault(file, line, "后面紧跟着其他字符（引号应只出现在单元格两端）",
                                         "is followed by more text (quotes may only wrap a whole cell)")]
        return None, [_quoting_fault(file, line, "直到文件末尾都没有闭合", "is never closed")]
    header, *rows = records
    return Table(header.cells, rows, blank), []


def header_faults(file: str, header: list[str], expected: list[str]) -> list[Problem]:
    """How the header differs from the schema's field names, one fault per difference."""
    if header == expected:
        return []
    faults = []
    seen = set()
    for number, label in enumerate(header, start=1):
        if label in seen:
            faults.append(_fault(file, 1, DUPLICATE_COLUMN, f"表头第 {number} 列 {label} 重复",
                                 f"header column {number}, {label}, appears twice",
                                 "删除重复的一列（先确认两列的值哪一列是对的）",
                                 "Delete the duplicate column (first check which of the two holds the right values)",
                                 field=label, value=label))
        seen.add(label)
    missing = [name for name in expected if name not in seen]
    unknown = [label for label in dict.fromkeys(header) if label not in expected]
    if len(missing) == len(unknown):
        # As many unknown as missing names: most likely columns renamed in place (e.g. 企业名称 for name).
        for label, name in zip(unknown, missing):
            number = header.index(label) + 1
            faults.append(_fault(file, 1, RENAMED_COLUMN, f"表头第 {number} 列 {label!r} 应为 {name}",
                                 f"header column {number} {label!r} should be {name}",
                                 f"把表头的 {label} 改回 {name}；列名是公开的数据约定，不能改名",
                                 f"Rename the header {label} back to {name}: column names are a public contract",
                                 field=name, value=label))
    else:
        for name in missing:
            faults.append(_fault(file, 1, MISSING_COLUMN, f"缺少列 {name}", f"the column {name} is missing",
                                 f"恢复 {name} 列（值可以为空，但列必须在）；fmt 不会替你补列",
                                 f"Restore the column {name} (its cells may be empty, the column may not); "
                                 "fmt will not add it for you",
                                 field=name, value=""))
        for label in unknown:
            faults.append(_fault(file, 1, UNKNOWN_COLUMN, f"数据说明中没有列 {label!r}",
                                 f"the schema has no column {label!r}",
                                 "删除这一列，或先在 datapackage.json 的 schema 中声明它（含中文标题和说明）",
                                 "Delete the column, or declare it in datapackage.json's schema first (with a "
                                 "Chinese title and a description)",
                                 field=label, value=label))
    if not faults:
        faults.append(_fault(file, 1, COLUMN_ORDER, "列的顺序与数据说明不同", "the columns are not in the schema's order",
                             "运行 python build.py fmt 按 datapackage.json 的顺序重排各列",
                             "Run python build.py fmt to put the columns in datapackage.json's order",
                             value=",".join(header)))
    return faults


def ragged_records(file: str, table: Table) -> list[Problem]:
    """Rows with more or fewer cells than the header: rewriting them would shift or drop cells."""
    width = len(table.header)
    return [
        _fault(file, record.line, "ragged-row", f"第 {record.line} 行有 {len(record.cells)} 个单元格，表头有 {width} 个",
               f"line {record.line} has {len(record.cells)} cell(s), the header {width}",
               "先手工改正这一行：含英文逗号的文本要用英文双引号括起来，空值也要保留逗号",
               "Fix the line by hand first: quote text that holds a comma, and keep the commas of empty cells")
        for record in table.records if len(record.cells) != width
    ]
