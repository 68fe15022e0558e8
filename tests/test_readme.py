"""The README's template rows are rows a bureau can paste: appended to a valid package, they validate."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from packages import ROOT, make_good_package, read_table, write_table
from zjtx.validate import validate_package


def csv_blocks(text: str) -> list[list[list[str]]]:
    return [list(csv.reader(io.StringIO(block))) for block in re.findall(r"```csv\n(.*?)```", text, re.S)]


def test_readme_template_rows_validate(tmp_path):
    package = make_good_package(tmp_path / "package")
    headers = {tuple(read_table(package, name)[0]): name for name in
               ("announcements", "enterprises", "certifications", "products")}
    blocks = csv_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    added_from: dict[str, int] = {}
    for header, *rows in blocks:
        resource = headers[tuple(header)]  # a block's header is exactly a resource's header
        table = read_table(package, resource)
        added_from[f"data/{resource}.csv"] = len(table) + 1  # the first appended line
        write_table(package, resource, table + rows)
    problems = validate_package(package, date(2026, 11, 1))
    about_template = [
        p for p in problems if p.severity == "error" and p.code != "unsorted"
        and (p.row is None or p.row >= added_from.get(p.file, 10**9))
    ]
    assert about_template == []
