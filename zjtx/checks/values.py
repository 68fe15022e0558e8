"""Dates and whole numbers in the one spelling the loader reads: Frictionless alone accepts more.

Frictionless parses a date with strptime, which takes 2025-6-19, and the loader then fails on it; an integer cell
may carry a sign or spaces. Each value is checked against the exact spelling, so what `validate` passes, `build`
reads.
"""

from __future__ import annotations

import re

from .base import RuleCellError, RuleCheck

# Frictionless has parsed the cell with %Y-%m-%d, so ten characters mean a four-digit year and two-digit month
# and day: the length alone tells the zero-padded spelling from 2025-6-19, without a regex per cell.
ISO_DATE_LENGTH = 10
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class DateSpellingError(RuleCellError):
    type = "date-spelling"
    title = "Date not written YYYY-MM-DD"
    message_zh = "日期 {value!r} 应写成 YYYY-MM-DD（月和日各两位，如 {suggestion}）"
    message_en = "the date {value!r} must be written YYYY-MM-DD (two-digit month and day, e.g. {suggestion})"
    hint_zh = "改为 {suggestion}；Excel 会去掉前导零：把该列设为文本后重新输入"
    hint_en = "Write {suggestion}; Excel drops leading zeros: format the column as text and retype"


class NumberSpellingError(RuleCellError):
    type = "number-spelling"
    title = "Whole number with extra characters"
    message_zh = "整数 {value!r} 只能由数字组成（不带正号、空格或下划线）"
    message_en = "the whole number {value!r} must be digits only (no plus sign, space or underscore)"
    hint_zh = "改为 {suggestion}"
    hint_en = "Write {suggestion}"


class StrictValuesCheck(RuleCheck):
    type = "strict-values"
    resource_name = ""  # every resource
    Errors = [DateSpellingError, NumberSpellingError]

    def validate_start(self):
        fields = self.resource.schema.fields
        self._fields = [(index, field.name, field.type) for index, field in enumerate(fields)
                        if field.type in ("date", "integer")]
        yield from []

    def validate_row(self, row):
        if not self._fields:
            return
        cells = row.cells
        for index, name, kind in self._fields:
            value = row[name]
            if value is None or index >= len(cells):
                continue  # empty, or a type error Frictionless reports already
            raw = cells[index]
            if not isinstance(raw, str):
                continue
            if kind == "date" and len(raw) != ISO_DATE_LENGTH:
                yield DateSpellingError.at(row, name, value=raw, suggestion=value.isoformat())
            elif kind == "integer" and not WHOLE_NUMBER.fullmatch(raw):
                yield NumberSpellingError.at(row, name, value=raw, suggestion=str(value))
