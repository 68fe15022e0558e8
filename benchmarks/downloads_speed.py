#!/usr/bin/env python3
"""Cost of the downloads: the site build with an empty and a warm export cache, and each format's export time
and size.

1. The whole build of a package (in-process `build_site`, best of N), with an empty export cache (a new version
   of the data) and with a warm one (a rebuild of the same data). The build exports in a second process while it
   renders the pages (zjtx.build.workers), so the difference is what the exports add to the wall time.
2. Every format of one export of a package, timed one by one, with its size.

Writes benchmarks/out/downloads_speed.json and prints a table.

    python benchmarks/downloads_speed.py [--datapackage PATH] [--as-of YYYY-MM-DD] [--repeat N] [--formats-only]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out" / "downloads_speed.json"

from zjtx.build import build_site  # noqa: E402
from zjtx.export.formats import FORMATS, Export  # noqa: E402
from zjtx.export.releases import CACHE_ENV  # noqa: E402
from zjtx.export.tables import read_tables  # noqa: E402
from zjtx.load import load_register  # noqa: E402
from zjtx.package import DEFAULT_PACKAGE, Package  # noqa: E402
from zjtx.view import RegisterView  # noqa: E402


def build_runs(package: Path, as_of: date, repeat: int, warm: bool, work: Path) -> dict:
    runs = []
    cache = work / "cache"
    for number in range(repeat + (1 if warm else 0)):
        if not warm:
            shutil.rmtree(cache, ignore_errors=True)
        os.environ[CACHE_ENV] = str(cache)
        started = time.perf_counter()
        build_site(package, work / "site", as_of)
        total = time.perf_counter() - started
        if warm and number == 0:
            continue  # the first run fills the cache
        runs.append(total)
    return {"build_s": round(min(runs), 2), "runs_s": [round(total, 2) for total in runs]}


def format_runs(package_dir: Path, as_of: date, work: Path) -> dict:
    """Each format (zjtx.export.formats) written into `work` in the build's order, with its time and the size of
    the files it added."""
    figures = {}
    started = time.perf_counter()
    package = Package.read(package_dir)
    tables = read_tables(package)
    view = RegisterView(load_register(package), as_of)
    figures["read"] = {"seconds": round(time.perf_counter() - started, 2), "bytes": 0}
    work.mkdir(parents=True)
    export = Export(package, tables, view, work)
    for fmt in FORMATS:
        before = {p: p.stat().st_size for p in work.rglob("*") if p.is_file()}
        started = time.perf_counter()
        fmt.write(export)
        seconds = time.perf_counter() - started
        added = sum(p.stat().st_size for p in work.rglob("*") if p.is_file() and p not in before)
        figures[fmt.key] = {"seconds": round(seconds, 2), "bytes": added}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datapackage", type=Path, default=DEFAULT_PACKAGE)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--formats-only", action="store_true", help="Skip the site builds.")
    args = parser.parse_args()
    package = Package.read(args.datapackage).root
    enterprises = len(Package.read(package).raw_rows("enterprises"))
    result = {"package": str(package), "enterprises": enterprises}
    with tempfile.TemporaryDirectory(prefix="zjtx-bench-downloads-") as scratch:
        work = Path(scratch)
        if not args.formats_only:
            result["build_cold_cache"] = build_runs(package, args.as_of, args.repeat, False, work / "cold")
            result["build_warm_cache"] = build_runs(package, args.as_of, args.repeat, True, work / "warm")
        result["formats"] = format_runs(package, args.as_of, work / "formats")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
