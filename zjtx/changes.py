"""What changed between two versions of the package: rows added, removed and changed, keyed by primary key, and
the one-line summary in Chinese that a reviewer or a reader of the changelog reads first.

Both the pull-request report (`build.py diff`) and the changelog of releases use this module, so the same edit
is described the same way in both places. It compares the CSV cells as written (strings), table by table, for
every resource either version declares.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .labels import COUNT_PHRASES, STATUS_WORDS
from .package import Package

@dataclass(frozen=True)
class CellChange:
    field: str
    old: str
    new: str


@dataclass
class TableChanges:
    resource: str
    key_fields: list[str]
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    changed: list[tuple[dict[str, str], dict[str, str], list[CellChange]]] = field(default_factory=list)  # old, new, cells

    def key(self, row: dict[str, str]) -> tuple[str, ...]:
        return tuple(row.get(name) or "" for name in self.key_fields)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class PackageChanges:
    old_version: str
    new_version: str
    tables: dict[str, TableChanges]
    tier_names: dict[str, str]

    @property
    def empty(self) -> bool:
        return all(table.empty for table in self.tables.values())

    def table(self, resource: str) -> TableChanges:
        return self.tables.get(resource) or TableChanges(resource, [])

    def counts(self) -> dict[str, int]:
        """The figures of the summary, by stable name, for JSON readers and tests."""
        figures: Counter = Counter()
        certifications = self.table("certifications")
        for row in certifications.added:
            figures[f"granted:{row.get('tier_id', '')}"] += 1
        for _old, new, cells in certifications.changed:
            if any(cell.field == "status" for cell in cells) and new.get("status") in STATUS_WORDS:
                figures[f"{new['status']}:{new.get('tier_id', '')}"] += 1
        for row in certifications.added:
            if row.get("status") in STATUS_WORDS and row.get("status") != "expired":
                figures[f"{row['status']}:{row.get('tier_id', '')}"] += 1
        figures["enterprises_added"] = len(self.table("enterprises").added)
        figures["enterprises_removed"] = len(self.table("enterprises").removed)
        figures["announcements_added"] = len(self.table("announcements").added)
        figures["policies_added"] = len(self.table("policies").added)
        figures["policies_changed"] = len(self.table("policies").changed)
        # A new name is a fact readers look for (the same USCC under another name), not a typo fixed.
        figures["enterprises_renamed"] = sum(
            1 for _, _, cells in self.table("enterprises").changed if any(cell.field == "name" for cell in cells)
        )
        figures["corrections"] = sum(
            sum(1 for cell in cells if not (table.resource == "enterprises" and cell.field == "name"))
            for table in self.tables.values()
            for _, _, cells in table.changed
            if table.resource != "certifications"
        ) + sum(
            sum(1 for cell in cells if cell.field not in ("status", "status_on", "status_reason", "status_announcement_id"))
            for _, _, cells in certifications.changed
        )
        return {name: count for name, count in sorted(figures.items()) if count}

    def summary_zh(self) -> str:
        """新增种子企业 12 家，出库 3 家，撤销 1 家，信息更正 5 处 — or 无数据变化."""
        figures = self.counts()
        parts = []
        for tier_id, name in self.tier_names.items():
            granted = figures.get(f"granted:{tier_id}", 0)
            if granted:
                parts.append(f"新增{name} {granted} 家")
            for status, word in STATUS_WORDS.items():
                count = figures.get(f"{status}:{tier_id}", 0)
                if count:
                    parts.append(f"{name}{word} {count} 家")
        for name, (before, unit) in COUNT_PHRASES.items():
            if figures.get(name):
                parts.append(f"{before} {figures[name]} {unit}")
        other = [t.resource for t in self.tables.values() if not t.empty and t.resource not in
                 ("certifications", "enterprises", "announcements", "policies")]
        if not parts and other:
            parts.append("其他表有变化：" + "、".join(other))
        return "，".join(parts) if parts else "无数据变化"


def _rows_by_key(package: Package, name: str) -> tuple[list[str], dict[tuple[str, ...], dict[str, str]]]:
    key_fields = list(package.resources[name].primary_key)
    rows = {}
    for number, row in enumerate(package.raw_rows(name), start=2):
        key = tuple(row.get(field) or "" for field in key_fields) if key_fields else (str(number),)
        rows[key] = row
    return key_fields, rows


def compare_tables(resource_name: str, old: tuple | None, new: tuple | None) -> TableChanges:
    old_fields, old_rows = old or ([], {})
    new_fields, new_rows = new or ([], {})
    table = TableChanges(resource_name, new_fields or old_fields)
    for key in sorted(new_rows.keys() - old_rows.keys()):
        table.added.append(new_rows[key])
    for key in sorted(old_rows.keys() - new_rows.keys()):
        table.removed.append(old_rows[key])
    for key in sorted(old_rows.keys() & new_rows.keys()):
        before, after = old_rows[key], new_rows[key]
        names = list(dict.fromkeys([*before, *after]))
        cells = [CellChange(name, before.get(name) or "", after.get(name) or "") for name in names
                 if (before.get(name) or "") != (after.get(name) or "")]
        if cells:
            table.changed.append((before, after, cells))
    return table


def compare_packages(old: Package | Path, new: Package | Path, resources: list[str] | None = None) -> PackageChanges:
    """Every table's changes from the old package to the new one (packages, or their folders); only `resources`
    when given (a command that knows which tables it wrote need not read the others)."""
    old = old if isinstance(old, Package) else Package.read(old)
    new = new if isinstance(new, Package) else Package.read(new)
    tables = {}
    for name in dict.fromkeys([*new.resources, *old.resources]):
        if resources is not None and name not in resources:
            continue
        before = _rows_by_key(old, name) if name in old.resources else None
        after = _rows_by_key(new, name) if name in new.resources else None
        tables[name] = compare_tables(name, before, after)
    tier_names = {}
    for package in (old, new):
        if "tiers" in package.resources:
            for row in package.raw_rows("tiers"):
                tier_names.setdefault(row.get("tier_id") or "", row.get("name_zh") or row.get("tier_id") or "")
    ranks = {}
    if "tiers" in new.resources:
        for row in new.raw_rows("tiers"):
            ranks[row.get("tier_id") or ""] = int(row["rank"]) if (row.get("rank") or "").isdigit() else 99
    ordered = dict(sorted(tier_names.items(), key=lambda item: (ranks.get(item[0], 99), item[0])))
    return PackageChanges(old.version, new.version, tables, ordered)
