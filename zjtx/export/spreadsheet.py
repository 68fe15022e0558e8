"""Files for spreadsheet users: one Excel workbook (a sheet per table) and CSV files with a byte-order mark.

Spreadsheet programs run a text cell that starts with = + - @ tab or CR as a formula (OWASP "CSV injection").
Validation keeps such cells out of the package; these writers do not rely on it. The workbook stores every text
cell as a string, never a formula; the CSV for Excel puts an apostrophe before such a text cell, which Excel
shows as plain text (the only change any format makes to a value, and only to text that would otherwise run).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from collections.abc import Sequence

import xlsxwriter

from .tables import cell_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
# Excel's limits: a sheet name has at most 31 characters, a cell at most 32,767.
SHEET_NAME_LENGTH = 31
CELL_LENGTH = 32767


def defused(value):
    """A text cell that a spreadsheet program would run, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet, near enough: CJK and full-width characters (three bytes in UTF-8)
    take two. Counting bytes keeps this at C speed for millions of cells."""
    return (len(text) + len(text.encode("utf-8"))) // 2


def excel_csv(header: Sequence[str], rows, target: Path) -> None:
    """CSV for Excel on zh-CN Windows: UTF-8 with a BOM, CRLF, text that could run as a formula defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([defused(cell_text(value)) for value in row])
    target.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


class Workbook:
    """An .xlsx file written once, byte for byte the same for the same sheets and `created` day."""

    def __init__(self, target: Path, created: date, title: str = "", large: bool = True):
        self.book = xlsxwriter.Workbook(
            str(target),
            {
                # Every text cell is written as a string; these keep XlsxWriter from guessing anyway.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                # A whole register streams its rows through temporary files; a page's table is built in
                # memory, which spares the temporary files that cost more than the cells of a small table.
                "constant_memory": large,
                "in_memory": not large,
            },
        )
        # XlsxWriter stamps the file with the current time unless told otherwise; a release must not change.
        self.book.set_properties({"created": datetime.combine(created, datetime.min.time()), "title": title})
        self.header = self.book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.names: set[str] = set()

    def sheet(self, name: str, header: Sequence[str], rows: Sequence[Sequence], kinds: Sequence[str]) -> None:
        """A sheet: the header frozen and filterable, widths that fit, dates as dates, integers as numbers.
        `kinds` are the columns' schema types (string, integer, number, boolean, date)."""
        name = self._unique(name)
        sheet = self.book.add_worksheet(name)
        widths = [display_width(h) for h in header]
        for row in rows:
            for column, value in enumerate(row):
                if isinstance(value, str):
                    widths[column] = max(widths[column], display_width(value[:MAX_WIDTH]))
                elif value is not None:
                    widths[column] = max(widths[column], 10)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, min(width, MAX_WIDTH) + 2)
        sheet.freeze_panes(1, 0)
        for column, text in enumerate(header):
            sheet.write_string(0, column, text, self.header)
        writers = [self._writer(sheet, kind) for kind in kinds]
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is not None:
                    writers[column](number, column, value)
        sheet.autofilter(0, 0, max(len(rows), 1), max(len(header) - 1, 0))

    def _writer(self, sheet, kind: str):
        """The cell writer of a schema type, chosen once per column rather than per cell."""
        if kind in ("integer", "number"):
            return sheet.write_number
        if kind == "boolean":
            return sheet.write_boolean
        if kind == "date":
            return lambda row, column, value: sheet.write_datetime(
                row, column, datetime.combine(value, datetime.min.time()), self.day)
        return lambda row, column, value: sheet.write_string(row, column, value[:CELL_LENGTH])

    def _unique(self, name: str) -> str:
        name = name[:SHEET_NAME_LENGTH]
        base, number = name, 2
        while name.lower() in self.names:
            suffix = f"_{number}"
            name, number = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
        self.names.add(name.lower())
        return name

    def close(self) -> None:
        self.book.close()
