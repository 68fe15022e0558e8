#!/usr/bin/env python3
"""Scale benchmark: demo registers of 5,000, 20,000 and 100,000 enterprises, measured in one run on this machine.

For each size the script generates a package with `build.py demo-data` and measures, each command in a child
process of its own (time, and peak memory from the child's own resource usage):

- validation: `build.py validate` against plain `frictionless validate` of the same package (throughput ratio);
- the full `build.py build`, run twice at every size, the faster run the figure (all runs are listed), so that
  growth compares like with like; at 5,000 and 20,000 against a bare mkdocs-material build of as many plain
  pages, run twice too, alternately with the builds;
- the site: bytes in total, per enterprise, and as a GitHub Pages artifact (a tar file) would hold them;
- the heaviest page view in Debian's Chromium: every byte a first view of a page fetches (tier pages, the
  biggest district and announcement, the home page, the heaviest enterprise page, indexes, stats, search);
- search: bytes fetched by the search page for a fixed set of queries, with an empty cache for each;
- export: size of site/downloads/ and, per format, the seconds the build's export took (from its own cache,
  which this script keeps apart so that every build exports from scratch) and the bytes of one version's files;
- rebuilds at 5,000 and 100,000 (issue 17): the next day with no data change, then after correcting one
  enterprise's name, each with the build's cache; files and bytes changed outside downloads/ by SHA-256;
- before the sizes: `build.py validate` of the committed package (issue 7: under 2 s), the median of five runs.

It prints a table with ratios against the targets of issue 11 and writes benchmarks/RESULTS.md, with the machine
it ran on. Other work on the machine slows every figure alike; ratios taken in the same run stay comparable.

    python benchmarks/run.py            # 5,000, 20,000 and 100,000 enterprises (about 19 minutes on a 2-core machine)
    python benchmarks/run.py --quick    # 5,000 only
    python benchmarks/run.py --sizes 20000 --keep /tmp/bench
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, UTC
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rebuild  # noqa: E402  (benchmarks/ is not a package: the script runs from anywhere)
import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PYTHON = sys.executable
BUILD = [PYTHON, str(ROOT / "build.py")]
FRICTIONLESS = Path(PYTHON).with_name("frictionless")
CHROMIUM = os.environ.get("ZJTX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

SIZES = (5_000, 20_000, 100_000)
BARE_SIZES = {5_000, 20_000}
# Builds per size (and bare builds, alternately with them, where there is a baseline: a bare build of 100,000
# pages would take most of the run and prove nothing more). The faster run of each counts.
COMPARED_RUNS = 2
SEED = 2021
AS_OF = "2026-11-24"
EXPORT_FORMATS = ("datapackage", "csv-bom", "xlsx", "sqlite", "parquet", "json", "zip", "sums")
SEARCH_QUERIES = ("精密", "有限公司", "天津", "科技", "滨海新区", "梯度培育", "不存在的企业名称")

REBUILD_SIZES = {5_000, 100_000}  # issue 17: next-day and one-edit rebuilds
VALIDATE_RUNS = 5

BARE_CONFIG = """\
site_name: 天津市专精特新企业名录
theme:
  name: material
  language: zh
  font: false
plugins: []
nav:
  - 首页: index.md
not_in_nav: |
  /pages/
"""


# Child processes -------------------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user and system time of the command and the processes it waited for
    peak_bytes: int
    returncode: int
    output: str


def run(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> Run:
    """Run a command as a child process: its wall time, and the peak resident memory of it or of the biggest
    process it waited for (Linux reports ru_maxrss in KiB)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                 env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, child.returncode, text)


def must(result: Run, what: str) -> Run:
    if result.returncode != 0:
        sys.exit(f"{what} failed (exit {result.returncode}):\n{result.output[-3000:]}")
    return result


# Sizes of folders ------------------------------------------------------------------------------------------------


def tar_bytes(size: int) -> int:
    """Bytes a file takes in a tar archive: a 512-byte header and its content padded to 512 bytes."""
    return 512 + -(-size // 512) * 512


@dataclass
class FolderSize:
    files: int = 0
    folders: int = 0
    bytes: int = 0
    tar: int = 1024  # the archive's end marker
    by_top: Counter = field(default_factory=Counter)
    largest: list = field(default_factory=list)


def folder_size(root: Path) -> FolderSize:
    size = FolderSize()
    for folder, subfolders, files in os.walk(root):
        size.folders += len(subfolders)
        size.tar += 512 * len(subfolders)
        for name in files:
            path = Path(folder, name)
            length = path.stat().st_size
            size.files += 1
            size.bytes += length
            size.tar += tar_bytes(length)
            relative = path.relative_to(root)
            size.by_top[relative.parts[0] if len(relative.parts) > 1 else "(top)"] += length
            size.largest.append((length, str(relative)))
    size.largest = sorted(size.largest, reverse=True)[:5]
    return size


# A static server that counts what it sends --------------------------------------------------------------------


class _CountingHandler(SimpleHTTPRequestHandler):
    def copyfile(self, source, outputfile):
        data = source.read()
        self.server.sent.append((urlsplit(self.path).path, len(data)))
        outputfile.write(data)

    def send_error(self, code, message=None, explain=None):
        self.server.missing.append((urlsplit(self.path).path, code))
        super().send_error(code, message, explain)

    def log_message(self, format, *args):
        pass


class CountingServer:
    """Serves a folder on 127.0.0.1 and records the body bytes of every response."""

    def __init__(self, folder: Path):
        handler = functools.partial(_CountingHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.sent, self.server.missing = [], []
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        self.server.sent.clear()
        self.server.missing.clear()

    @property
    def sent(self) -> list[tuple[str, int]]:
        return list(self.server.sent)


# What to look at in the browser --------------------------------------------------------------------------------


def csv_rows(package: Path, resource: str) -> list[dict[str, str]]:
    with open(package / "data" / f"{resource}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pages_to_view(package: Path, site: Path) -> dict[str, str]:
    """The pages whose first view is measured, by label: the heaviest of each kind that the register has."""
    certifications = csv_rows(package, "certifications")
    enterprises = csv_rows(package, "enterprises")
    views = {"home": ""}
    for tier in csv_rows(package, "tiers"):
        views[f"tier {tier['tier_id']}"] = f"tiers/{tier['tier_id']}/"
    districts = Counter(row["district_code"] for row in enterprises)
    views["biggest district"] = f"districts/{districts.most_common(1)[0][0]}/"
    listed = Counter(row["announcement_id"] for row in certifications)
    listed.update(row["status_announcement_id"] for row in certifications if row["status_announcement_id"])
    views["biggest announcement"] = f"announcements/{listed.most_common(1)[0][0]}/"
    heaviest = max(site.glob("enterprises/*/index.html"), key=lambda path: path.stat().st_size)
    views["heaviest enterprise"] = f"enterprises/{heaviest.parent.name}/"
    for label, url in (("tier index", "tiers/"), ("district index", "districts/"),
                       ("announcement index", "announcements/"), ("stats", "stats/"), ("data", "data/"),
                       ("search page", "search/")):
        views[label] = url
    return views


def measure_in_browser(site: Path, package: Path) -> dict:
    """Bytes of each page view and of each search, every one with an empty cache."""
    from playwright.sync_api import sync_playwright

    views, searches = {}, {}
    with CountingServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, url in pages_to_view(package, site).items():
                server.reset()
                context = browser.new_context()
                page = context.new_page()
                page.goto(server.url + url, wait_until="networkidle", timeout=120_000)
                context.close()
                sent = server.sent
                views[label] = {"url": "/" + url, "bytes": sum(n for _, n in sent), "requests": len(sent),
                                "missing": server.server.missing[:]}
            for query in SEARCH_QUERIES:
                server.reset()
                context = browser.new_context()
                page = context.new_page()
                page.goto(server.url + "search/?q=" + quote(query), wait_until="networkidle", timeout=120_000)
                state = {}
                for name in ("search", "fulltext"):
                    selector = f'[data-{name}-state="done"]'
                    try:
                        page.wait_for_selector(selector, timeout=60_000)
                        state[name] = "done"
                    except Exception:  # a page that never says it is done is reported, not fatal
                        state[name] = "not done"
                total = page.get_attribute("[data-search-total]", "data-search-total")
                context.close()
                sent = server.sent
                searches[query] = {
                    "bytes": sum(n for _, n in sent),
                    "fulltext_bytes": sum(n for path, n in sent if path.startswith("/pagefind/")),
                    "index_bytes": sum(n for path, n in sent if path.startswith("/search-index/")),
                    "requests": len(sent),
                    "enterprises_found": int(total) if total and total.isdigit() else None,
                    "state": state,
                }
        finally:
            browser.close()
    return {"views": views, "searches": searches}


# One size --------------------------------------------------------------------------------------------------------


def write_bare_docs(folder: Path, pages: int) -> Path:
    """A bare mkdocs-material project of as many pages as the register has enterprises, each one paragraph."""
    docs = folder / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n一个普通的页面。\n", encoding="utf-8")
    for number in range(1, pages):
        text = f"# 页面 {number}\n\n这是第 {number} 个普通页面，只有一段文字。\n"
        (docs / "pages" / f"{number}.md").write_text(text, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(BARE_CONFIG, encoding="utf-8")
    return config


def export_figures(site: Path, cache: Path) -> dict | None:
    """The size of site/downloads/, and per format the seconds of the export (the cache's version.json) and the
    bytes of the latest version's files."""
    sys.path.insert(0, str(ROOT))
    from zjtx.pages.downloads import file_format

    downloads = site / "downloads"
    if not downloads.is_dir():
        return None
    size = folder_size(downloads)
    formats: dict[str, dict] = {}
    latest = downloads / "latest"
    for path in latest.rglob("*"):
        relative = path.relative_to(latest).as_posix()
        if path.is_file() and relative != "index.html":
            entry = formats.setdefault(file_format(relative), {"bytes": 0, "seconds": None})
            entry["bytes"] += path.stat().st_size
    for info in (cache / "downloads" / "tree").glob("*/version.json"):
        for key, seconds in json.loads(info.read_text(encoding="utf-8")).get("seconds", {}).items():
            formats.setdefault(key, {"bytes": 0, "seconds": None})["seconds"] = seconds
    return {"bytes": size.bytes, "files": size.files, "formats": formats,
            "seconds": round(sum(f["seconds"] or 0 for f in formats.values()), 1)}


def committed_validation(log) -> dict:
    """`build.py validate` of the committed package as a bureau runs it: the median of VALIDATE_RUNS runs."""
    log(f"committed package: build.py validate, {VALIDATE_RUNS} runs")
    runs = [run([*BUILD, "validate"]) for _ in range(VALIDATE_RUNS)]
    runs.sort(key=lambda r: r.seconds)
    middle = runs[len(runs) // 2]
    return {"seconds": middle.seconds, "cpu_seconds": middle.cpu_seconds,
            "all_seconds": [round(r.seconds, 2) for r in runs]}


def measure_size(enterprises: int, scratch: Path, log) -> dict:
    package, site = scratch / f"package-{enterprises}", scratch / f"site-{enterprises}"
    figures: dict = {"enterprises": enterprises}
    log(f"{enterprises:,}: generating the package")
    generated = must(run([*BUILD, "demo-data", "--enterprises", str(enterprises), "--out", str(package),
                          "--seed", str(SEED), "--as-of", AS_OF]), "demo-data")
    figures["generate_seconds"] = generated.seconds
    figures["rows"] = sum(len(csv_rows(package, path.stem)) for path in (package / "data").glob("*.csv"))
    figures["csv_bytes"] = folder_size(package / "data").bytes

    log(f"{enterprises:,}: validating (build.py validate, then plain frictionless)")
    ours = must(run([*BUILD, "validate", "--datapackage", str(package), "--as-of", AS_OF]), "build.py validate")
    plain = run([str(FRICTIONLESS), "validate", str(package / "datapackage.json")])
    figures["validate"] = {"seconds": ours.seconds, "peak_bytes": ours.peak_bytes}
    figures["frictionless"] = {"seconds": plain.seconds, "peak_bytes": plain.peak_bytes, "valid": plain.returncode == 0}

    # Each build is run twice (the bare build too, alternately, where it is the baseline) and the faster run counts:
    # on a shared machine one run can be slowed by a third. Every size gets the same treatment, so the growth from
    # one size to the next compares the same statistic.
    rounds = COMPARED_RUNS
    builds, bares = [], []
    for number in range(rounds):
        log(f"{enterprises:,}: building the site" + (f" (run {number + 1} of {rounds})" if rounds > 1 else ""))
        # A cache and an output of its own: every build exports from scratch and writes a new folder, as a
        # first build does. The last build's site is the one measured below.
        cache = scratch / f"cache-{enterprises}-{number}"
        if site.exists():
            shutil.rmtree(site)
        built = must(run([*BUILD, "build", "--datapackage", str(package), "--out", str(site), "--as-of", AS_OF],
                         env={"ZJTX_CACHE_DIR": str(cache)}), "build.py build")
        builds.append(built)
        if enterprises in BARE_SIZES:
            log(f"{enterprises:,}: bare mkdocs-material build of {enterprises:,} plain pages")
            bare_dir = scratch / f"bare-{enterprises}"
            config = write_bare_docs(bare_dir, enterprises)
            bare = must(run([PYTHON, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d",
                             str(bare_dir / "site")]), "bare mkdocs build")
            bares.append((bare, folder_size(bare_dir / "site").bytes))
            shutil.rmtree(bare_dir, ignore_errors=True)
    built = min(builds, key=lambda r: r.seconds)
    figures["build"] = {"seconds": built.seconds, "cpu_seconds": built.cpu_seconds,
                        "peak_bytes": max(r.peak_bytes for r in builds), "runs": [round(r.seconds, 1) for r in builds]}
    if bares:
        bare, size = min(bares, key=lambda pair: pair[0].seconds)
        figures["bare"] = {"seconds": bare.seconds, "cpu_seconds": bare.cpu_seconds, "peak_bytes": bare.peak_bytes,
                           "bytes": size, "runs": [round(r.seconds, 1) for r, _ in bares]}

    size = folder_size(site)
    pages = [path.stat().st_size for path in site.glob("enterprises/*/index.html")]
    figures["site"] = {
        "bytes": size.bytes, "files": size.files, "folders": size.folders, "tar_bytes": size.tar,
        "by_folder": dict(size.by_top.most_common()), "largest_files": size.largest,
        "enterprise_page_mean": sum(pages) / len(pages) if pages else 0,
        "enterprise_page_max": max(pages, default=0),
    }
    figures["export"] = export_figures(site, cache)

    log(f"{enterprises:,}: page views and searches in Chromium")
    figures["browser"] = measure_in_browser(site, package)
    if enterprises in REBUILD_SIZES:
        figures["rebuilds"] = measure_rebuilds(enterprises, package, site, cache, scratch, log)
    return figures


def measure_rebuilds(enterprises: int, package: Path, site: Path, cache: Path, scratch: Path, log) -> dict:
    """Rebuild with the last build's cache, as CI does with its restored cache: the next day with no data change,
    then on the first day after correcting one enterprise's name; count what changed outside downloads/."""
    next_day = (date.fromisoformat(AS_OF) + timedelta(days=1)).isoformat()
    figures = {}
    for name, as_of in (("next_day", next_day), ("one_edit", AS_OF)):
        if name == "one_edit":
            figures["edited"] = rebuild.rename_one_enterprise(package)
        log(f"{enterprises:,}: rebuild, {name.replace('_', ' ')}")
        again = scratch / f"site-{enterprises}-{name}"
        built = must(run([*BUILD, "build", "--datapackage", str(package), "--out", str(again), "--as-of", as_of],
                         env={"ZJTX_CACHE_DIR": str(cache)}), f"build.py build ({name})")
        figures[name] = {**rebuild.compare(site, again), "seconds": built.seconds}
        shutil.rmtree(again, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 5,000 enterprises")
    parser.add_argument("--sizes", help="comma-separated register sizes instead of 5000,20000,100000")
    parser.add_argument("--keep", type=Path, help="keep the packages and sites in this folder")
    args = parser.parse_args()
    sizes = [5_000] if args.quick else [int(n) for n in args.sizes.split(",")] if args.sizes else list(SIZES)

    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    host = report.machine()
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    results = {}
    committed = committed_validation(log)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="zjtx-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        for enterprises in sizes:
            results[enterprises] = measure_size(enterprises, scratch, log)
            (scratch / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    report.write_results(RESULTS, results, host, started_at, time.perf_counter() - started, committed,
                         f"build.py demo-data --seed {SEED} --as-of {AS_OF}")
    print(report.render_table(report.table(results), markdown=False))
    print()
    print(report.render_table(report.page_views(results), markdown=False))
    print()
    for name, value, limit, met in report.targets(results, committed):
        print(f"{'met ' if met else 'MISS'}  {name}: {value} (target {limit})")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
