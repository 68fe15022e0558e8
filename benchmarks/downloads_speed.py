#!/usr/bin/env python3
"""Cost of the downloads: the site build with an empty and a warm export cache, and each format's export time
and size.

1. The whole build of a package (in-process `build_site`, best of N), with an empty export cache (a new version
   of the data) and with a warm one (a rebuild of the same data). The build exports in a second process while it
   renders the pages (zjtx.site.BackgroundExports), so the difference is what the exports add to the wall time.
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

from zjtx import load, site  # noqa: E402
from zjtx.export import archive, parquet, records, spreadsheet, sqlite  # noqa: E402
from zjtx.export.releases import CACHE_ENV  # noqa: E402
from zjtx.export.tables import read_tables  # noqa: E402


def build_runs(package: Path, as_of: date, repeat: int, warm: bool, work: Path) -> dict:
    runs = []
    cache = work / "cache"
    for number in range(repeat + (1 if warm else 0)):
        if not warm:
            shutil.rmtree(cache, ignore_errors=True)
        os.environ[CACHE_ENV] = str(cache)
        started = time.perf_counter()
        site.build_site(package, work / "site", as_of)
        total = time.perf_counter() - started
        if warm and number == 0:
            continue  # the first run fills the cache
        runs.append(total)
    return {"build_s": round(min(runs), 2), "runs_s": [round(total, 2) for total in runs]}


def format_runs(package: Path, as_of: date, work: Path) -> dict:
    """Each format written on its own into `work`, with its time and size."""
    descriptor = load.read_descriptor(package)
    figures = {}

    def timed(name, function, paths):
        started = time.perf_counter()
        function()
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in paths() if p.is_file())
        figures[name] = {"seconds": round(seconds, 2), "bytes": size}

    started = time.perf_counter()
    tables = read_tables(package)
    register = load.load_register(package, as_of)
    figures["read"] = {"seconds": round(time.perf_counter() - started, 2), "bytes": 0}
    for folder in ("csv-bom", "parquet", "json"):
        (work / folder).mkdir(parents=True)
    timed("datapackage (csv)", lambda: None, lambda: [package / "datapackage.json",
                                                      *(package / r["path"] for r in descriptor["resources"])])
    timed("csv-bom", lambda: [spreadsheet.excel_csv(t.names, t.rows, work / "csv-bom" / f"{t.name}.csv")
                              for t in tables], lambda: (work / "csv-bom").iterdir())

    def xlsx():
        book = spreadsheet.Workbook(work / "register.xlsx", as_of)
        for t in tables:
            book.sheet(t.name, [f.get("title") or f["name"] for f in t.fields], t.rows, t.types())
        book.close()

    timed("xlsx", xlsx, lambda: [work / "register.xlsx"])
    timed("sqlite", lambda: sqlite.write_sqlite(tables, register, as_of, work / "register.sqlite"),
          lambda: [work / "register.sqlite"])
    timed("parquet", lambda: [parquet.write_parquet(t, work / "parquet" / f"{t.name}.parquet") for t in tables],
          lambda: (work / "parquet").iterdir())
    timed("json", lambda: [records.write_records(t, work / "json" / f"{t.name}.json") for t in tables],
          lambda: (work / "json").iterdir())
    for t in tables:
        (work / "data").mkdir(exist_ok=True)
        shutil.copyfile(package / t.resource["path"], work / "data" / f"{t.name}.csv")
    timed("zip", lambda: archive.write_zip(work, work / "all.zip", "all"), lambda: [work / "all.zip"])
    timed("SHA256SUMS", lambda: archive.write_sums(work), lambda: [work / archive.SUMS])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datapackage", type=Path, default=load.DEFAULT_PACKAGE)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--formats-only", action="store_true", help="Skip the site builds.")
    args = parser.parse_args()
    package = load.package_dir_of(args.datapackage)
    enterprises = sum(1 for _ in load.read_raw_rows(package / "data" / "enterprises.csv"))
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
