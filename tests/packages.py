"""Small packages for tests: the committed reference tables plus a hand-written register, and edits to break it."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "datapackage"
GOOD_REGISTER = Path(__file__).resolve().parent / "fixtures" / "good"
REGISTER_FILES = ("enterprises.csv", "announcements.csv", "certifications.csv", "products.csv",
                  "services.csv", "events.csv", "event_participants.csv")
# The good fixture is valid on this date; tests pass it so they do not age.
AS_OF = date(2025, 6, 30)


def make_good_package(target: Path) -> Path:
    """The committed descriptor, reference tables and policy texts with the small hand-written register."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(COMMITTED / "datapackage.json", target / "datapackage.json")
    shutil.copytree(COMMITTED / "policies", target / "policies", dirs_exist_ok=True)
    (target / "data").mkdir(exist_ok=True)
    for path in (COMMITTED / "data").glob("*.csv"):
        if path.name not in REGISTER_FILES:
            shutil.copy(path, target / "data" / path.name)
    for name in REGISTER_FILES:
        shutil.copy(GOOD_REGISTER / name, target / "data" / name)
    return target


def read_table(package: Path, resource: str) -> list[list[str]]:
    with open(package / "data" / f"{resource}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_table(package: Path, resource: str, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (package / "data" / f"{resource}.csv").write_bytes(buffer.getvalue().encode("utf-8"))


def set_cell(package: Path, resource: str, line: int, field: str, value: str) -> None:
    """Change one cell; `line` counts the header as line 1, as the validator reports it."""
    rows = read_table(package, resource)
    rows[line - 1][rows[0].index(field)] = value
    write_table(package, resource, rows)


def add_row(package: Path, resource: str, values: dict[str, str]) -> int:
    """Append a row; return its line."""
    rows = read_table(package, resource)
    rows.append([values.get(name, "") for name in rows[0]])
    write_table(package, resource, rows)
    return len(rows)


def edit_bytes(package: Path, resource: str, change) -> None:
    path = package / "data" / f"{resource}.csv"
    path.write_bytes(change(path.read_bytes()))


def edit_descriptor(package: Path, change) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def view_of(package: Path, as_of: date):
    """The register of a package on a day, as every output of a build reads it."""
    from zjtx.load import load_register
    from zjtx.view import RegisterView

    return RegisterView(load_register(package), as_of)


def build(package: Path, out: Path, as_of: date, **options):
    """build_site as the tests use it: pages not minified, so that they can be read as text (tests/test_minify.py
    builds minified and proves that minifying changes nothing a reader sees)."""
    from zjtx.build import build_site

    options.setdefault("minify", False)
    return build_site(package, out, as_of, **options)


def export(package: Path, out: Path, as_of: date) -> Path:
    """Every download of a package on a day, as a build exports it."""
    from zjtx.export import export_package
    from zjtx.package import Package

    return export_package(Package.read(package), out, view_of(package, as_of))


def replaced(view, **changes):
    """The view of a register with some of its tables replaced (dataclasses.replace), on the same day."""
    import dataclasses

    from zjtx.view import RegisterView

    return RegisterView(dataclasses.replace(view.register, **changes), view.day)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by its path relative to it, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
