"""Rewrite the package's CSV files in canonical form, so pull-request diffs show only real changes."""

from __future__ import annotations

from pathlib import Path

from . import load
from .encoding import inspect_bytes
from .errors import PackageError


def canonical_text(package_dir: Path, resource: dict) -> str:
    path = load.resource_path(package_dir, resource)
    inspection = inspect_bytes(resource["path"], path.read_bytes())
    unreadable = [p for p in inspection.problems if p.code == "not-utf8"]
    if unreadable:
        # Guessing an encoding and rewriting could corrupt names; the person who saved the file must re-save it.
        raise PackageError(f"{resource['path']}: {unreadable[0].message_en}. {unreadable[0].hint_en}",
                           f"{resource['path']}：{unreadable[0].message_zh}。{unreadable[0].hint_zh}")
    text = inspection.text if inspection.text is not None else path.read_bytes().decode("utf-8")
    return load.canonical_csv(resource, load.rows_from_text(text, resource["path"]))


def format_package(package_dir: Path, check_only: bool = False) -> list[str]:
    """Rewrite every CSV that is not canonical; return the paths that changed (or would change)."""
    package_dir = Path(package_dir)
    changed = []
    for resource in load.resource_descriptors(load.read_descriptor(package_dir)).values():
        path = load.resource_path(package_dir, resource)
        if not path.is_file():
            continue
        text = canonical_text(package_dir, resource)
        if path.read_bytes() != text.encode("utf-8"):
            changed.append(resource["path"])
            if not check_only:
                path.write_bytes(text.encode("utf-8"))
    return changed
