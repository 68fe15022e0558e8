"""Small rebuilds (issue 17): what a rebuild the next day with no data change, and one after correcting one
enterprise's name, change in the site outside downloads/. A host that is sent only the files that changed (a
`publish --to s3://…` run, an rsync) pays for these, so they are counted as files and bytes."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

# Released and latest downloads are exports of the data, which change when the data do; the aim is for the pages.
OUTSIDE = "downloads"


def digests(site: Path) -> dict[str, tuple[str, int]]:
    """Every file of a site outside downloads/ that a host serves (not the build's own dot files, such as its
    marker `.zjtx-site`, which publish keeps home and nginx refuses): its SHA-256 and size."""
    found = {}
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and relative.split("/", 1)[0] != OUTSIDE and not relative.startswith("."):
            data = path.read_bytes()
            found[relative] = (hashlib.sha256(data).hexdigest(), len(data))
    return found


def compare(before: Path, after: Path) -> dict:
    """Files of `after` that a host would be sent (new or changed) or told to delete, outside downloads/."""
    old, new = digests(before), digests(after)
    sent = [path for path, (digest, _) in new.items() if old.get(path, ("",))[0] != digest]
    removed = [path for path in old if path not in new]
    return {"files": len(new), "sent": len(sent), "removed": len(removed),
            "sent_bytes": sum(new[path][1] for path in sent), "bytes": sum(size for _, size in new.values()),
            "examples": sorted(sent)[:12]}


def rename_one_enterprise(package: Path) -> str:
    """Correct the name of the first enterprise in enterprises.csv, as a bureau's pull request would: one field of
    one line changes, every other byte stays. Returns the enterprise's USCC."""
    path = package / "data" / "enterprises.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(csv.DictReader(lines[:2]))
    old = f"{first['uscc']},{first['name']},"
    assert lines[1].startswith(old), lines[1]  # the demo's names need no quoting
    lines[1] = f"{first['uscc']},{first['name']}（更正）," + lines[1][len(old):]
    path.write_text("\n".join(lines), encoding="utf-8")
    return first["uscc"]
