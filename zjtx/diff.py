"""The change report: what `changes.compare_packages` found, as plain Chinese text for a bureau's terminal, as
Markdown a reviewer reads in GitHub's job summary, or as JSON for scripts.

The text reads like a change report: the summary line, then each changed row named by its enterprise (name and
USCC) or its own title, fields by their Chinese titles from the descriptor, codes by their words (tier, district
and industry names from the package, status and reason words from labels.py), old → new. A long report ends with
counts of what it did not show.

The Markdown follows owid's data-diff: the Chinese summary line first, then one collapsed `<details>` per
resource with the rows added, removed and changed (old → new per cell), the enterprise's name beside every USCC.
GitHub refuses a job summary over 1 MiB, so the report stops adding rows before that and says how many it left out.
Every cell comes from data a bureau typed: it is escaped so that no Markdown, HTML, mention or math gets through.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import unicodedata
from dataclasses import dataclass, field

from . import labels
from .load import split_ids
from .package import Package
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


def _packages(packages) -> list[Package]:
    return [p if isinstance(p, Package) else Package.read(p) for p in packages]


def enterprise_names(*packages: Package | Path) -> dict[str, str]:
    """USCC → name over the given packages; a later package's name wins, so a renamed enterprise shows its new one."""
    names: dict[str, str] = {}
    for package in _packages(packages):
        if "enterprises" in package.resources:
            names.update((row.get("uscc") or "", row.get("name") or "") for row in package.raw_rows("enterprises"))
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
        for _old, new, cells in table.changed:
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


# Plain text for a terminal ------------------------------------------------------------------------------------

# Rows shown per table and kind of change (added, removed, changed); the rest are counted at the end.
TEXT_ROWS_SHOWN = 50
# Characters of a long value shown (a summary, a description).
TEXT_VALUE_SHOWN = 80
# Fields whose codes are words of labels.py, by resource.
LABEL_GROUPS = {
    "certifications": {"status": "status", "status_reason": "reason"},
    "announcements": {"kind": "kind"},
    "tiers": {"level": "level"},
    "policies": {"status": "policy_status"},
    "districts": {"kind": "district_kind"},
    "services": {"kind": "service_kind", "channel": "channel", "provider_kind": "provider_kind"},
    "events": {"kind": "event_kind"},
}
# Fields that hold codes of the reference tables, and lists of them (`;`-separated).
TIER_FIELDS = {"tier_id", "eligible_tiers"}
DISTRICT_FIELDS = {"district_code", "recommended_by", "parent_code", "districts"}
INDUSTRY_FIELDS = {"industry_code"}
# Fields that name a row in a report's headline (besides the enterprise), in order of preference.
TITLE_FIELDS = ("title", "name_zh", "office", "product_name")


@dataclass
class Words:
    """What the text report calls things: tables, fields and codes, read from the two packages (the new wins)."""

    tables: dict[str, str] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    tiers: dict[str, str] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)
    industries: dict[str, str] = field(default_factory=dict)
    enterprises: dict[str, str] = field(default_factory=dict)

    def table_title(self, resource: str) -> str:
        title = self.tables.get(resource, "")
        return f"{title}（{resource}）" if title else resource

    def field_title(self, resource: str, name: str) -> str:
        return self.fields.get(resource, {}).get(name) or name

    def value(self, resource: str, name: str, code: str) -> str:
        if not code:
            return EMPTY
        group = LABEL_GROUPS.get(resource, {}).get(name)
        if group:
            return labels.label(group, code)
        for fields, names in ((TIER_FIELDS, self.tiers), (DISTRICT_FIELDS, self.districts),
                              (INDUSTRY_FIELDS, self.industries)):
            if name in fields and not (resource in ("tiers", "districts", "industries") and name == _key_of(resource)):
                return "、".join(names.get(part, part) for part in split_ids(code)) or code
        return code


def _key_of(resource: str) -> str:
    return {"tiers": "tier_id", "districts": "district_code", "industries": "industry_code"}[resource]


def words_of(*packages: Package | Path) -> Words:
    """The words of the given packages; a later package's word wins (a renamed district shows its new name)."""
    packages = _packages(packages)
    words = Words(enterprises=enterprise_names(*packages))
    for package in packages:
        for name, resource in package.resources.items():
            words.tables[name] = str(resource.descriptor.get("title") or "")
            words.fields[name] = {field.name: str(field.descriptor.get("title") or "") for field in resource.fields}
        for name, key, target in (("tiers", "tier_id", words.tiers), ("districts", "district_code", words.districts),
                                  ("industries", "industry_code", words.industries)):
            if name in package.resources:
                target.update((row.get(key) or "", row.get("name_zh") or "") for row in package.raw_rows(name))
    return words


def _plain(text: str, limit: int = TEXT_VALUE_SHOWN) -> str:
    """A value safe for a terminal: control characters (escape sequences, line breaks) shown as codes, long text cut."""
    shown = "".join(f"\\x{ord(char):02x}" if unicodedata.category(char) == "Cc" else char for char in text[:limit])
    return shown if len(text) <= limit else f"{shown}…（共 {len(text)} 字 / {len(text)} characters）"


def _title_field(table: TableChanges, row: dict[str, str]) -> str | None:
    """The field that names a row without a USCC (an announcement's title), if it has one."""
    if row.get("uscc"):
        return None
    return next((name for name in TITLE_FIELDS if row.get(name) and name not in table.key_fields), None)


def _headline(table: TableChanges, row: dict[str, str], words: Words) -> str:
    """A row as a reader names it: the enterprise and its USCC, then the other parts of the key, or a title."""
    parts = []
    uscc = row.get("uscc") or ""
    if uscc:
        name = row.get("name") or words.enterprises.get(uscc, "")
        parts.append(f"{_plain(name)}（{uscc}）" if name else uscc)
    for key in table.key_fields:
        if key != "uscc":
            value = _plain(words.value(table.resource, key, row.get(key) or ""))
            parts.append(f"公告 {value}" if key.endswith("announcement_id") else value)
    title = _title_field(table, row)
    if title:
        parts.append(_plain(row[title]))
    return " · ".join(parts)


def _details(table: TableChanges, row: dict[str, str], words: Words) -> str:
    """The other filled cells of an added or removed row, each by its field's title."""
    named = {*table.key_fields, _title_field(table, row), "name" if row.get("uscc") else None}
    return "；".join(f"{words.field_title(table.resource, name)}：{_plain(words.value(table.resource, name, value))}"
                    for name, value in row.items() if value and name not in named)


def _text_table(table: TableChanges, words: Words, limit: int, left_out: list[str]) -> list[str]:
    lines = [f"{words.table_title(table.resource)}：新增 {len(table.added)} 行，删除 {len(table.removed)} 行，"
             f"修改 {len(table.changed)} 行 / added, removed, changed"]
    for word, rows in (("新增", table.added), ("删除", table.removed)):
        for row in rows[:limit]:
            lines.append(f"  {word}  {_headline(table, row, words)}")
            details = _details(table, row, words)
            if details:
                lines.append(f"        {details}")
        if len(rows) > limit:
            left_out.append(f"{words.table_title(table.resource)}{word} {len(rows) - limit} 行")
    for _old, new, cells in table.changed[:limit]:
        lines.append(f"  修改  {_headline(table, new, words)}")
        for cell in cells:
            lines.append(f"        {words.field_title(table.resource, cell.field)}："
                         f"{_plain(words.value(table.resource, cell.field, cell.old))} → "
                         f"{_plain(words.value(table.resource, cell.field, cell.new))}")
    if len(table.changed) > limit:
        left_out.append(f"{words.table_title(table.resource)}修改 {len(table.changed) - limit} 行")
    return lines


def format_text(changes: PackageChanges, words: Words, limit: int = TEXT_ROWS_SHOWN) -> str:
    """The report for a terminal: plain Chinese (English beside the headings), no markup."""
    lines = [f"数据变化：{_plain(changes.summary_zh(), 10_000)}"]
    if changes.old_version != changes.new_version:
        lines.append(f"数据包版本 / package version：{_plain(changes.old_version) or EMPTY} → "
                     f"{_plain(changes.new_version) or EMPTY}")
    changed_tables = [table for table in changes.tables.values() if not table.empty]
    if not changed_tables:
        lines.append("数据无变化 / no change to the data")
        return "\n".join(lines) + "\n"
    left_out: list[str] = []
    for table in changed_tables:
        lines.append("")
        lines.extend(_text_table(table, words, limit, left_out))
    if left_out:
        lines.append("")
        lines.append(f"未显示 / not shown：{'，'.join(left_out)}。全部变化：加 --format json 或 --format markdown "
                     "/ every change: add --format json or --format markdown")
    return "\n".join(lines) + "\n"
