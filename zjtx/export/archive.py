"""The zip of a download folder and its SHA256SUMS, both the same bytes for the same files.

Entries are sorted, dated 1980-01-01 (the zip format's earliest date) and carry fixed permissions, so a release
rebuilt from the same files gives the same zip and the same checksum.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

SUMS = "SHA256SUMS"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
STORED = {".xlsx", ".parquet", ".zip"}


def files_of(folder: Path) -> list[Path]:
    return sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_zip(folder: Path, target: Path, top: str) -> None:
    """Every file of `folder` under the folder name `top` inside the zip."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in files_of(folder):
            if path == target:
                continue
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}", FIXED_TIME)
            info.external_attr = 0o644 << 16
            # Workbooks and Parquet files are compressed already: deflating them again costs time and saves nothing.
            info.compress_type = zipfile.ZIP_STORED if path.suffix in STORED else zipfile.ZIP_DEFLATED
            with open(path, "rb") as source, archive.open(info, "w") as entry:
                for block in iter(lambda: source.read(1 << 20), b""):
                    entry.write(block)


def write_sums(folder: Path) -> Path:
    """SHA256SUMS in the format `sha256sum -c` checks: every file of the folder but itself."""
    target = folder / SUMS
    lines = [f"{sha256(p)}  {p.relative_to(folder).as_posix()}" for p in files_of(folder) if p != target]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def read_sums(folder: Path) -> dict[str, str]:
    """The checksums a folder lists, by relative path."""
    sums = {}
    for line in (folder / SUMS).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    return sums
