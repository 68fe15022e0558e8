"""Search payload: bytes the search page downloads for its first query, at the committed scale and at 100,000 enterprises.

Runs the real search.js in Debian's Chromium against a static server that counts every byte it sends, with an
empty cache for each query, and checks each total the page shows against the reference matcher and against a
plain substring scan of the package's CSV files. Writes benchmarks/out/search_payload.json and prints a table.

    python benchmarks/search_payload.py [--enterprises 100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_search_browser import build_harness, served_under_sub_path  # noqa: E402
from zjtx import demo, load  # noqa: E402
from zjtx.search import matches, normalise  # noqa: E402

AS_OF = date(2026, 11, 24)
BUDGETS = {"committed": 150 * 1024, "large": 300 * 1024}
OUT = ROOT / "benchmarks" / "out" / "search_payload.json"
FIXED_QUERIES = ["有限公司", "天津", "津", "科技", "精密", "(天津)", "【天津】", " 天津 市 ", "滨海新区", "和平区",
                 "不存在的企业名称"]


def csv_rows(package: Path, resource: str) -> list[dict[str, str]]:
    with open(package / "data" / f"{resource}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class CsvScan:
    """The matching rule applied by brute force to the CSV files, without the loader or the index."""

    def __init__(self, package: Path):
        districts = {row["district_code"]: row for row in csv_rows(package, "districts")}
        products = defaultdict(list)
        for row in csv_rows(package, "products"):
            products[row["uscc"]].append(normalise(row["product_name"]))
        self.rows = []
        for row in csv_rows(package, "enterprises"):
            district = districts[row["district_code"]]
            places = {normalise(district["name_zh"])}
            if district["parent_code"]:
                places.add(normalise(districts[district["parent_code"]]["name_zh"]))
            self.rows.append((row["uscc"], [normalise(row["name"]), *products[row["uscc"]]], places))

    def count(self, query: str) -> int:
        needle = normalise(query)
        if not needle:
            return 0
        return sum(
            1 for uscc, texts, places in self.rows
            if any(needle in text for text in texts) or needle == normalise(uscc) or needle in places
        )


def queries(register: load.Register) -> list[str]:
    """The fixed queries, and some picked from the data: a name fragment, a USCC in lower case, products."""
    usccs = sorted(register.enterprises)
    middle = register.enterprises[usccs[len(usccs) // 2]].name
    products = sorted({product.product_name for product in register.products})
    latin = [name for name in products if name[:1].isascii() and name[:1].isalpha()]
    latin = latin[len(latin) // 2]
    return FIXED_QUERIES + [
        middle[len(middle) // 2 - 1:len(middle) // 2 + 2],
        usccs[len(usccs) // 3].lower(),
        products[len(products) // 2],
        latin[:5].lower(),
    ]


def measure(package: Path, label: str, browser) -> dict:
    register = load.load_register(package)
    scan = CsvScan(package)
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        started = time.perf_counter()
        build_harness(register, site)
        build_seconds = time.perf_counter() - started
        index_sizes = [path.stat().st_size for path in (site / "search-index").rglob("*") if path.is_file()]
        (Path(scratch) / "served").mkdir()
        rows = []
        with served_under_sub_path(site, Path(scratch) / "served") as (base, log):
            for query in queries(register):
                log.clear()
                context = browser.new_context()
                page = context.new_page()
                page.goto(base + "search/?q=" + quote(query))
                page.wait_for_selector('[data-zjtx-search-page][data-search-state="done"]')
                page.wait_for_selector('[data-zjtx-search-page][data-fulltext-state="done"]')
                shown = int(page.get_attribute("[data-search-total]", "data-search-total"))
                context.close()
                index = [size for path, _, size in log if path.startswith("/sub/search-index/")]
                assets = [size for path, _, size in log if path.startswith("/sub/assets/search/")]
                fulltext = [size for path, _, size in log if path.startswith("/sub/pagefind/")]
                rows.append({
                    "query": query,
                    "csv_scan": scan.count(query),
                    "matcher": len(matches(register, query)),
                    "page_total": shown,
                    "index_fetches": len(index),
                    "index_bytes": sum(index),
                    "with_search_js_css_bytes": sum(index) + sum(assets),
                    "fulltext_bytes": sum(fulltext),
                })
    worst = max(row["with_search_js_css_bytes"] for row in rows)
    budget = BUDGETS["committed" if label == "committed" else "large"]
    return {
        "enterprises": len(register.enterprises),
        "products": len(register.products),
        "index_files": len(index_sizes),
        "index_bytes": sum(index_sizes),
        "build_seconds": round(build_seconds, 1),
        "queries": rows,
        "all_counts_agree": all(r["csv_scan"] == r["matcher"] == r["page_total"] for r in rows),
        "worst_first_query_bytes": worst,
        "budget_bytes": budget,
        "within_budget": worst <= budget,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    figures = {}
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        committed = load.DEFAULT_PACKAGE
        if not (committed / "data" / "enterprises.csv").exists():
            committed = Path(scratch) / "committed"
            demo.generate(committed, demo.BASE_ENTERPRISES, seed=2021, as_of=AS_OF)
        figures["committed"] = measure(committed, "committed", browser)
        large = Path(scratch) / "large"
        demo.generate(large, args.enterprises, seed=2021, as_of=AS_OF)
        figures["large"] = measure(large, "large", browser)
        browser.close()

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for label, scale in figures.items():
        print(f"\n{label}: {scale['enterprises']:,} enterprises, index {scale['index_files']:,} files, "
              f"{scale['index_bytes'] / 1e6:.1f} MB, built in {scale['build_seconds']} s")
        print(f"{'query':<22}{'csv':>8}{'matcher':>9}{'page':>8}{'fetches':>9}{'index KB':>10}{'+js/css KB':>12}"
              f"{'full text KB':>14}")
        for row in scale["queries"]:
            print(f"{row['query']!r:<22}{row['csv_scan']:>8}{row['matcher']:>9}{row['page_total']:>8}"
                  f"{row['index_fetches']:>9}{row['index_bytes'] / 1024:>10.1f}"
                  f"{row['with_search_js_css_bytes'] / 1024:>12.1f}{row['fulltext_bytes'] / 1024:>14.1f}")
        print(f"worst first query {scale['worst_first_query_bytes'] / 1024:.1f} KB of {scale['budget_bytes'] / 1024:.0f} KB"
              f" budget: {'within' if scale['within_budget'] else 'OVER'}; counts agree: {scale['all_counts_agree']}")
    if not all(scale["within_budget"] and scale["all_counts_agree"] for scale in figures.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
