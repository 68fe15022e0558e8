#!/usr/bin/env python3
"""Build speed and page weight of the site, against a bare mkdocs-material build of as many plain pages.

Both builds run in this one process's run, as subprocesses, into fresh folders under one temporary folder, so the
ratio compares like with like on this machine. The bare build uses the same theme settings (material, zh, no web
fonts, no plugins) and keeps its pages out of the navigation, as the site does.

Writes benchmarks/out/build_speed.json and prints a table.

    python benchmarks/build_speed.py [--datapackage PATH] [--as-of YYYY-MM-DD] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "build_speed.json"
TARGET_RATIO = 1.5
ENTERPRISE_PAGE_LIMIT = 20 * 1024
PAGE_WEIGHT_LIMIT = 500 * 1024

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

# What a page view downloads: the page, its stylesheets, scripts and icon, and the table data its script loads.
RESOURCE = re.compile(
    r'<link[^>]+rel="(?:stylesheet|icon)"[^>]*href="([^"]+)"|<script[^>]+src="([^"]+)"|data-src="([^"]+)"'
)


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html"))


def write_bare_docs(folder: Path, pages: int) -> Path:
    docs = folder / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n一个普通的页面。\n", encoding="utf-8")
    for number in range(1, pages):
        text = f"# 页面 {number}\n\n这是第 {number} 个普通页面，只有一段文字。\n"
        (docs / "pages" / f"{number}.md").write_text(text, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(BARE_CONFIG, encoding="utf-8")
    return config


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def page_weight(site: Path, page: Path) -> dict:
    """Bytes a first view of the page downloads (and their gzip size, as most servers send them)."""
    html = page.read_text(encoding="utf-8")
    files = [page]
    for match in RESOURCE.finditer(html):
        url = next(group for group in match.groups() if group)
        if re.match(r"[a-z]+:|//", url):
            continue
        files.append((page.parent / url.split("?")[0].split("#")[0]).resolve())
    raw = sum(p.stat().st_size for p in files)
    compressed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)
    return {"page": str(page.relative_to(site).parent) + "/", "files": len(files), "bytes": raw, "gzip_bytes": compressed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datapackage", type=Path, default=ROOT / "datapackage")
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD, passed to build.py build")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each build; the fastest counts")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="zjtx-bench-") as scratch:
        scratch = Path(scratch)
        site = scratch / "site"
        build = [sys.executable, "build.py", "build", "--datapackage", str(args.datapackage), "--out", str(site)]
        if args.as_of:
            build += ["--as-of", args.as_of]
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        build_times, bare_times = [], []
        bare_site = scratch / "bare-site"
        for run in range(args.repeat):
            shutil.rmtree(site, ignore_errors=True)
            build_times.append(timed(build, env))
            if run == 0:
                pages = len(site_pages(site))
                bare_config = write_bare_docs(scratch / "bare", pages)
            shutil.rmtree(bare_site, ignore_errors=True)
            mkdocs = [str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f", str(bare_config),
                      "-d", str(bare_site)]
            bare_times.append(timed(mkdocs, env))

        enterprise_sizes = [p.stat().st_size for p in (site / "enterprises").glob("*/index.html")]
        output_files, output_bytes = folder_size(site)
        bare_files, bare_bytes = folder_size(bare_site)
        tiers = sorted((site / "tiers").glob("*/index.html"), key=lambda p: (p.parent / "rows.json").stat().st_size)
        largest_enterprise = max((site / "enterprises").glob("*/index.html"), key=lambda p: p.stat().st_size)
        weights = [page_weight(site, page) for page in [
            site / "index.html", tiers[-1], largest_enterprise,
            next((site / "policies").glob("*/index.html")), site / "stats" / "index.html",
            max((site / "announcements").glob("*/index.html"), key=lambda p: p.stat().st_size),
        ]]

    build_seconds, bare_seconds = min(build_times), min(bare_times)
    figures = {
        "datapackage": str(args.datapackage),
        "pages": pages,
        "build_seconds": round(build_seconds, 2),
        "bare_mkdocs_seconds": round(bare_seconds, 2),
        "ratio": round(build_seconds / bare_seconds, 3),
        "target_ratio": TARGET_RATIO,
        "all_build_seconds": [round(t, 2) for t in build_times],
        "all_bare_mkdocs_seconds": [round(t, 2) for t in bare_times],
        "output_files": output_files,
        "output_bytes": output_bytes,
        "bare_output_files": bare_files,
        "bare_output_bytes": bare_bytes,
        "enterprise_pages": len(enterprise_sizes),
        "enterprise_html_max_bytes": max(enterprise_sizes, default=0),
        "enterprise_html_mean_bytes": round(statistics.mean(enterprise_sizes)) if enterprise_sizes else 0,
        "enterprise_html_limit_bytes": ENTERPRISE_PAGE_LIMIT,
        "page_weight_limit_bytes": PAGE_WEIGHT_LIMIT,
        "page_weights": weights,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    rows = [
        ("pages", f"{pages:,}", ""),
        ("build.py build", f"{build_seconds:.1f} s", ""),
        ("bare mkdocs-material", f"{bare_seconds:.1f} s", ""),
        ("ratio", f"{figures['ratio']:.2f}", f"target ≤ {TARGET_RATIO}"),
        ("output", f"{output_bytes / 1e6:.1f} MB in {output_files:,} files", f"bare: {bare_bytes / 1e6:.1f} MB"),
        ("enterprise page HTML, max", f"{figures['enterprise_html_max_bytes'] / 1024:.1f} KB", "target ≤ 20 KB"),
        ("enterprise page HTML, mean", f"{figures['enterprise_html_mean_bytes'] / 1024:.1f} KB", ""),
    ]
    rows += [(f"page weight {w['page']}", f"{w['bytes'] / 1024:.0f} KB ({w['files']} files)",
              f"gzip {w['gzip_bytes'] / 1024:.0f} KB") for w in weights]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:<28} {note}")
    print(f"\nwritten to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
