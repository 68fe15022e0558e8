"""Two enterprises never share a name once brackets, character width and spaces are normalised.

Official lists write one name with full-width or half-width brackets and stray spaces; the same enterprise under
two USCCs is found by comparing names in the search's normal form (zjtx/search.py), the form people search in.
"""

from __future__ import annotations

from ..search import normalise
from .base import RuleCellError, RuleCheck


class DuplicateNameError(RuleCellError):
    type = "duplicate-name"
    title = "Two enterprises with the same name"
    message_zh = "企业名称 {value} 与第 {first_row} 行（{first_uscc} {first_name}）相同（忽略括号全半角、字符宽度和空格后）"
    message_en = "the name {value} equals that of line {first_row} ({first_uscc} {first_name}) once brackets, width and spaces are normalised"
    hint_zh = "同一企业只保留一行（核对营业执照上的统一社会信用代码），把另一行的认定记录改到该代码下；若确为两家企业，核对名称"
    hint_en = "Keep one row per enterprise (check the USCC on the business licence) and move the other row's certifications to it; if they are two enterprises, check the names"


class DuplicateNameCheck(RuleCheck):
    type = "duplicate-name"
    resource_name = "enterprises"
    Errors = [DuplicateNameError]

    def validate_start(self):
        self._first: dict[str, tuple[int, str, str]] = {}
        yield from []

    def validate_row(self, row):
        name = row["name"]
        if not name:
            return
        key = normalise(name)
        first = self._first.setdefault(key, (row.row_number, row["uscc"] or "", name))
        if first[0] != row.row_number:
            yield DuplicateNameError.at(row, "name", first_row=first[0], first_uscc=first[1], first_name=first[2])
