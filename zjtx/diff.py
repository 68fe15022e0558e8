"""The change report of a pull request: what `changes.compare_packages` found, as Markdown a reviewer reads in
GitHub's job summary, or as JSON for scripts.

The Markdown follows owid's data-diff: the Chinese summary line first, then one collapsed `<details>` per
resource with the rows added, removed and changed (old → new per cell), the enterprise's name beside every USCC.
GitHub refuses a job summary over 1 MiB, so the report stops adding rows before that and says how many it left out.
Every cell comes from data a bureau typed: it is escaped so that no Markdown, HTML, mention or math gets through.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import load
from .changes import PackageChanges, TableChanges

# GitHub's limit for $GITHUB_STEP_SUMMARY is 1 MiB per step.
JOB_SUMMARY_LIMIT = 1024 * 1024
# Room kept for the closing tags and the line that counts what was left out.
FOOTER_RESERVE = 2048
EMPTY = "（空）"

# Characters that start Markdown, HTML, GitHub mentions (@), issue links (#) or math ($) become numeric entities;
# line breaks would end a table row.
_SPECIAL = re.compile(r"[&<>\"'`*_~|\\\[\]@#$!:]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def escape(text: str) -> str:
    """A cell's text, safe inside a GitHub Markdown table and inside HTML."""
    text = _LINE_BREAKS.sub(" ", text)
    return _SPECIAL.sub(lambda match: f"&#{ord(match.group())};", text)


def enterprise_names(*package_dirs: Path) -> dict[str, str]:
    """USCC → name over the given packages; a later package's name wins, so a renamed enterprise shows its new one."""
    names: dict[str, str] = {}
    for package_dir in package_dirs:
        resources = load.resource_descriptors(load.read_descriptor(package_dir))
        if "enterprises" in resources:
            path = load.resource_path(package_dir, resources["enterprises"])
            if path.is_file():
                names.update((row.get("uscc") or "", row.get("name") or "") for row in load.read_raw_rows(path))
    return names


def _cell(value: str) -> str:
    return escape(value) if value else EMPTY


def _row_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _fields_of(rows: list[dict[str, str]]) -> list[str]:
    return list(dict.fromkeys(name for row in rows for name in row))


def _names_beside(fields: list[str]) -> bool:
    # The enterprises table has its own name column; every other table with a USCC gets one.
    return "uscc" in fields and "name" not in fields


def _with_name(fields: list[str]) -> list[str]:
    if not _names_beside(fields):
        return fields
    return [part for name in fields for part in ((name, "企业 name") if name == "uscc" else (name,))]


def _values(row: dict[str, str], fields: list[str], names: dict[str, str]) -> list[str]:
    cells = []
    for name in fields:
        cells.append(_cell(row.get(name) or ""))
        if name == "uscc" and _names_beside(fields):
            cells.append(_cell(names.get(row.get("uscc") or "", "")))
    return cells


def _key_text(table: TableChanges, row: dict[str, str]) -> str:
    return " / ".join(_cell(part) for part in table.key(row))


class _Budget:
    """Lines of the report up to the byte limit; rows beyond it are counted instead."""

    def __init__(self, limit: int):
        self.limit = limit - FOOTER_RESERVE
        self.lines: list[str] = []
        self.size = 0
        self.left_out = 0
        self.full = False

    def add(self, line: str, *, row: bool = False) -> bool:
        size = len(line.encode("utf-8")) + 1
        if self.full or self.size + size > self.limit:
            self.full = True  # once a line does not fit, nothing after it is written, so the order stays intact
            if row:
                self.left_out += 1
            return False
        self.lines.append(line)
        self.size += size
        return True

    def force(self, line: str) -> None:
        """Closing tags and the footer: always written, from the reserve."""
        self.lines.append(line)
        self.size += len(line.encode("utf-8")) + 1


def _table_section(budget: _Budget, table: TableChanges, names: dict[str, str]) -> None:
    opened = budget.add(f"<details><summary><b>{escape(table.resource)}</b>：新增 {len(table.added)} 行，"
                        f"删除 {len(table.removed)} 行，修改 {len(table.changed)} 行 / added, removed, changed</summary>")
    budget.add("")
    for title, rows in (("新增 · added", table.added), ("删除 · removed", table.removed)):
        if not rows:
            continue
        fields = _fields_of(rows)
        budget.add(f"**{title}** ({len(rows)})")
        budget.add("")
        budget.add(_row_line([escape(name) for name in _with_name(fields)]))
        budget.add(_row_line(["---"] * len(_with_name(fields))))
        for row in rows:
            budget.add(_row_line(_values(row, fields, names)), row=True)
        budget.add("")
    if table.changed:
        budget.add(f"**修改 · changed** ({len(table.changed)})")
        budget.add("")
        has_uscc = "uscc" in table.key_fields
        header = ["主键 " + escape(" / ".join(table.key_fields))] + (["企业 name"] if has_uscc else [])
        budget.add(_row_line(header + ["字段 field", "原值 → 新值 old → new"]))
        budget.add(_row_line(["---"] * (len(header) + 2)))
        for old, new, cells in table.changed:
            lead = [_key_text(table, new)] + ([_cell(names.get(new.get("uscc") or "", ""))] if has_uscc else [])
            for cell in cells:
                budget.add(_row_line(lead + [escape(cell.field), f"{_cell(cell.old)} → {_cell(cell.new)}"]), row=True)
        budget.add("")
    if opened:
        budget.force("</details>")
        budget.force("")


def format_markdown(changes: PackageChanges, names: dict[str, str], limit: int = JOB_SUMMARY_LIMIT) -> str:
    """The pull-request report; at most `limit` bytes of UTF-8."""
    budget = _Budget(limit)
    budget.add(f"**数据变化：{escape(changes.summary_zh())}**")
    budget.add("")
    if changes.old_version != changes.new_version:
        budget.add(f"数据包版本 / package version: {_cell(changes.old_version)} → {_cell(changes.new_version)}")
        budget.add("")
    changed_tables = [table for table in changes.tables.values() if not table.empty]
    if not changed_tables:
        budget.add("No change to the data. 数据无变化。")
        return "\n".join(budget.lines) + "\n"
    budget.add(_row_line(["表 resource", "新增 added", "删除 removed", "修改 changed"]))
    budget.add(_row_line(["---", "---:", "---:", "---:"]))
    for table in changed_tables:
        budget.add(_row_line([escape(table.resource), str(len(table.added)), str(len(table.removed)),
                              str(len(table.changed))]))
    budget.add("")
    for table in changed_tables:
        _table_section(budget, table, names)
    if budget.left_out:
        budget.force(f"**报告过长，另有 {budget.left_out} 行变化未列出；在本地运行 `python build.py diff` 查看全部。"
                     f" / {budget.left_out} more changed row(s) left out to fit GitHub's 1 MiB job summary; "
                     "run `python build.py diff` locally for all of them.**")
    return "\n".join(budget.lines) + "\n"


def format_json(changes: PackageChanges, names: dict[str, str]) -> str:
    """Every change, uncut, for scripts."""
    tables = {}
    for table in changes.tables.values():
        if table.empty:
            continue
        tables[table.resource] = {
            "primary_key": table.key_fields,
            "added": table.added,
            "removed": table.removed,
            "changed": [{"key": dict(zip(table.key_fields, table.key(new))),
                         "cells": [{"field": c.field, "old": c.old, "new": c.new} for c in cells]}
                        for old, new, cells in table.changed],
        }
    usccs = sorted({row.get("uscc") or "" for table in changes.tables.values()
                    for row in [*table.added, *table.removed, *(new for _, new, _ in table.changed)]} - {""})
    return json.dumps({
        "summary_zh": changes.summary_zh(),
        "counts": changes.counts(),
        "old_version": changes.old_version,
        "new_version": changes.new_version,
        "enterprise_names": {uscc: names.get(uscc, "") for uscc in usccs},
        "tables": tables,
    }, ensure_ascii=False, indent=2)
