"""Download what you see: the enterprise table of every tier, district and announcement page as CSV and XLSX.

The rows come from the same tables of the register's view of the day (zjtx.view) that fill the page's table, and
the status is the row's standing on that day, so the file and the page never disagree. Written once per build,
beside the page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..labels import label
from ..urls import segment
from ..view import RegisterView, TableRow
from . import spreadsheet

ENTERPRISE_HEADER = ["企业名称", "统一社会信用代码", "所在区", "行业", "层级", "认定年份", "状态"]
ENTERPRISE_KINDS = ["string", "string", "string", "string", "string", "integer", "string"]
LIST_HEADER = ["序号", "企业名称", "统一社会信用代码", "推荐单位", "层级", "认定日期", "状态日期", "当前状态", "原因"]
LIST_KINDS = ["integer", "string", "string", "string", "string", "date", "date", "string", "string"]


def table_name(kind: str, key: str) -> str:
    """The file name (without suffix) of a page's table: the page's template links `<name>.csv` and `.xlsx`."""
    return f"{kind}-{segment(key)}"


def enterprise_rows(view: RegisterView, rows: list[TableRow]) -> list[list]:
    register = view.register
    enterprises = register.enterprises
    return [
        [
            enterprises[row.uscc].name,
            row.uscc,
            register.districts[row.district_code].name_zh,
            register.industries[enterprises[row.uscc].industry_code].name_zh,
            register.tiers[row.tier_id].name_zh if row.tier_id else "",
            row.year or None,
            label("status", row.status) if row.status else "",
        ]
        for row in rows
    ]


def list_rows(view: RegisterView, announcement) -> list[list]:
    register = view.register
    return [
        [
            number,
            register.enterprises[c.uscc].name,
            c.uscc,
            register.districts[c.recommended_by].name_zh,
            register.tiers[c.tier_id].name_zh,
            c.certified_on,
            c.status_on,
            label("status", view.standing(c)),
            label("reason", c.status_reason) if c.status_reason else "",
        ]
        for number, c in enumerate(view.announcement_rows(announcement), start=1)
    ]


def write(folder: Path, name: str, header: list[str], kinds: list[str], rows: list[list], day: date) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    spreadsheet.excel_csv(header, rows, folder / f"{name}.csv")
    workbook = spreadsheet.Workbook(folder / f"{name}.xlsx", day, name, large=False)
    workbook.sheet(name, header, rows, kinds)
    workbook.close()


def write_page_tables(view: RegisterView, site_dir: Path) -> int:
    """Every page table as CSV and XLSX in the page's folder; returns the number of tables written."""
    written = 0
    # A workbook is dated by the latest change of what it lists, so that it keeps its bytes while nothing changes.
    for tier_id, rows in view.tier_rows.items():
        write(site_dir / "tiers" / segment(tier_id), table_name("tier", tier_id), ENTERPRISE_HEADER, ENTERPRISE_KINDS,
              enterprise_rows(view, rows), view.changed_on(view.certifications_of_tier(tier_id)) or view.day)
        written += 1
    for code, rows in view.district_rows.items():
        write(site_dir / "districts" / segment(code), table_name("district", code), ENTERPRISE_HEADER, ENTERPRISE_KINDS,
              enterprise_rows(view, rows), view.changed_on(view.certifications_of_place(code)) or view.day)
        written += 1
    for announcement in view.announcements_newest_first:
        key = announcement.announcement_id
        rows = view.announcement_rows(announcement)
        write(site_dir / "announcements" / segment(key), table_name("announcement", key), LIST_HEADER, LIST_KINDS,
              list_rows(view, announcement), view.changed_on(rows, days=[announcement.published_on]))
        written += 1
    return written
