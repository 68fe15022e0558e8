"""Byte-level problems that Excel and Windows editors introduce: GBK, a byte-order mark, CRLF line ends.

Each is reported with its fix, and the text is repaired in memory so the rest of the validation can still run
and list every other problem in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import ERROR, Problem

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Inspection:
    problems: list[Problem]
    text: str | None  # the repaired text when the bytes needed repair, else None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def inspect_bytes(file: str, data: bytes) -> Inspection:
    problems: list[Problem] = []
    repaired = False
    if data.startswith(BOM):
        problems.append(Problem(
            file, 1, None, None, "byte-order-mark", ERROR,
            "文件以 UTF-8 BOM（字节顺序标记）开头", "the file starts with a UTF-8 byte-order mark (BOM)",
            "运行 python build.py fmt 去掉 BOM；在 Excel 中请另存为“CSV UTF-8”后再运行 fmt",
            "Run python build.py fmt to remove it; from Excel, save as 'CSV UTF-8' and then run fmt",
        ))
        data = data[len(BOM):]
        repaired = True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        try:
            text = data.decode("gb18030")
            guess_zh, guess_en = "，看起来是 GBK/GB18030 编码（中文版 Excel 另存为“CSV”时的默认编码）", ", it looks GBK/GB18030-encoded (what Chinese Excel saves as 'CSV')"
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            guess_zh, guess_en = "", ""
        problems.append(Problem(
            file, line, None, None, "not-utf8", ERROR,
            f"文件不是 UTF-8 编码（第 {line} 行起）{guess_zh}",
            f"the file is not UTF-8 (from line {line}){guess_en}",
            "用 Excel“另存为 → CSV UTF-8（逗号分隔）”，或在文本编辑器中以 UTF-8 编码保存，然后运行 python build.py fmt",
            "In Excel use 'Save As → CSV UTF-8 (Comma delimited)', or save as UTF-8 in a text editor; then run python build.py fmt",
        ))
        repaired = True
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        problems.append(Problem(
            file, line, None, None, "crlf", ERROR,
            "文件使用 Windows 换行符（CRLF），应为 LF", "the file uses Windows line ends (CRLF); LF is required",
            "运行 python build.py fmt 统一换行符", "Run python build.py fmt to convert the line ends",
        ))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repaired = True
    return Inspection(problems, text if repaired else None)
