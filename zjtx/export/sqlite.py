"""One SQLite database of the package, built with sqlite-utils: ready for `datasette register.sqlite`.

A table per resource with its primary and foreign keys and an index on every foreign key; FTS5 `trigram`
full-text indexes on enterprise names and main products, and on the products table (trigram needs three
characters: for one or two, use LIKE);
and `enterprises_in_library`, the enterprises in a library on the export's day with their tiers, computed by
the register's one in-library rule (zjtx.library, through zjtx.view), not from the status column.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import sqlite_utils

from ..view import RegisterView
from .tables import Table

COLUMN_TYPES = {"integer": int, "number": float, "boolean": int, "string": str, "date": str}
# Full-text columns, where the table has them (a package without products still exports).
FULL_TEXT = {"enterprises": ["name", "main_products"], "products": ["product_name", "description"]}
LABEL_COLUMNS = ("name", "title", "name_zh")
MEMBERS_TABLE = "library_members"
MEMBERS_VIEW = "enterprises_in_library"


def _cell(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def foreign_keys(table: Table) -> list[tuple[str, str, str]]:
    """The schema's single-field foreign keys as sqlite-utils takes them; a self-reference names the table."""
    return [(key.fields[0], key.resource, key.reference[0]) for key in table.resource.foreign_keys
            if len(key.fields) == 1]


def creation_order(tables: list[Table]) -> list[Table]:
    """Referenced tables first, so that each foreign key points at a table that exists."""
    by_name = {t.name: t for t in tables}
    ordered: list[Table] = []
    seen: set[str] = set()

    def visit(table: Table, path: tuple = ()) -> None:
        if table.name in seen or table.name in path:
            return
        for _, other, _ in foreign_keys(table):
            if other != table.name and other in by_name:
                visit(by_name[other], (*path, table.name))
        seen.add(table.name)
        ordered.append(table)

    for table in tables:
        visit(table)
    return ordered


def write_sqlite(tables: list[Table], view: RegisterView, target: Path) -> None:
    db = sqlite_utils.Database(target, recreate=True)
    # A file written once, in one go: a crash leaves a half-written export that is thrown away, not repaired.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    try:
        for table in creation_order(tables):
            columns = {name: COLUMN_TYPES.get(kind, str) for name, kind in zip(table.names, table.types())}
            db[table.name].create(
                columns, pk=table.primary_key[0] if len(table.primary_key) == 1 else tuple(table.primary_key),
                foreign_keys=[key for key in foreign_keys(table) if key[1] in {t.name for t in tables}],
            )
            db[table.name].insert_all(
                (dict(zip(table.names, map(_cell, row))) for row in table.rows), batch_size=5000
            )
        db.index_foreign_keys()
        names = {t.name: t for t in tables}
        for name, columns in FULL_TEXT.items():
            if name in names and all(c in names[name].names for c in columns):
                db[name].enable_fts(columns, tokenize="trigram", create_triggers=False)
        _members(db, view)
        db.execute("VACUUM")
    finally:
        db.close()


def _members(db: sqlite_utils.Database, view: RegisterView) -> None:
    """One row per enterprise in a library on the view's day, its tiers lowest rung first (RegisterView.tiers_held)."""
    rows, day = [], view.day
    for uscc in sorted(view.enterprises):
        held = view.tiers_held(uscc)
        if held:
            rows.append({"uscc": uscc, "tier_ids": ";".join(t.tier_id for t in held),
                         "tiers": "、".join(t.name_zh for t in held), "highest_tier": held[-1].tier_id,
                         "as_of": day.isoformat()})
    db[MEMBERS_TABLE].create(
        {"uscc": str, "tier_ids": str, "tiers": str, "highest_tier": str, "as_of": str}, pk="uscc",
        foreign_keys=[("uscc", "enterprises", "uscc"), ("highest_tier", "tiers", "tier_id")],
    )
    db[MEMBERS_TABLE].insert_all(rows)
    db.create_view(
        MEMBERS_VIEW,
        f"""select e.uscc, e.name, d.name_zh as district, i.name_zh as industry, m.tiers, m.tier_ids,
       m.highest_tier, m.as_of
from {MEMBERS_TABLE} m
join enterprises e on e.uscc = m.uscc
left join districts d on d.district_code = e.district_code
left join industries i on i.industry_code = e.industry_code
order by e.uscc""",
    )


def datasette_metadata(descriptor: dict, tables: list[Table]) -> str:
    """metadata.json for `datasette register.sqlite --metadata metadata.json`: titles, licence, source, and the
    label column of each table, so that foreign keys show names rather than codes."""
    licence = (descriptor.get("licenses") or [{}])[0]
    source = (descriptor.get("sources") or [{}])[0]
    table_metadata = {}
    for table in tables:
        entry = {"title": table.title, "description": table.resource.descriptor.get("description", "")}
        label = next((c for c in LABEL_COLUMNS if c in table.names), None)
        if label:
            entry["label_column"] = label
        entry["columns"] = {f["name"]: f.get("title", "") for f in table.fields}
        table_metadata[table.name] = entry
    table_metadata[MEMBERS_VIEW] = {"title": "在库企业", "description": "导出当日在各层级企业库中的企业及其层级。"}
    metadata = {
        "title": descriptor.get("title", ""),
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": source.get("title", ""),
        "source_url": source.get("path", ""),
        "databases": {"register": {"tables": table_metadata}},
    }
    return json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
