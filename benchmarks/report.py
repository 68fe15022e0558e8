"""The report of benchmarks/run.py: the figures table, the page views and the targets of issues 7, 8, 11 and 17,
printed and written to RESULTS.md. It reads only the figures the run measured."""

from __future__ import annotations

import os
import platform
from pathlib import Path

# Targets of issue 11 ("National scale"), item 4, issue 7 and issue 17.
BUILD_VS_BARE_5K = 1.0
GROWTH_5K_TO_20K = 4.2
GROWTH_20K_TO_100K = 5.2
PEAK_MEMORY_100K = 2 * 1024**3
PAGE_VIEW_LIMIT = 500 * 1024
SITE_LIMIT = 1024**3
PAGES_API_SEARCH_LIMIT = 800e6  # issue 17: at 100k, the site without downloads/
NEXT_DAY_SHARE = 0.01  # of the files outside downloads/
ONE_EDIT_FILES = 100
VALIDATION_THROUGHPUT = 0.6
COMMITTED_VALIDATE_SECONDS = 2.0  # issue 7


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_bytes": memory,
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def heaviest_view(figures: dict) -> tuple[str, dict]:
    views = figures["browser"]["views"]
    label = max(views, key=lambda name: views[name]["bytes"])
    return label, views[label]


def targets(results: dict[int, dict], committed: dict | None = None) -> list[tuple[str, str, str, bool]]:
    """(target, measured, limit, met) for every target whose sizes were measured."""
    rows = []
    if committed:
        rows.append(("build.py validate of the committed package (median of 5)", f"{committed['seconds']:.2f} s",
                     f"< {COMMITTED_VALIDATE_SECONDS} s", committed["seconds"] < COMMITTED_VALIDATE_SECONDS))
    small, middle, large = results.get(5_000), results.get(20_000), results.get(100_000)
    if small and "bare" in small:
        ratio = small["build"]["seconds"] / small["bare"]["seconds"]
        rows.append(("build 5k / bare mkdocs-material 5k", f"{ratio:.2f}", f"≤ {BUILD_VS_BARE_5K}",
                     ratio <= BUILD_VS_BARE_5K))
    if small and middle:
        ratio = middle["build"]["seconds"] / small["build"]["seconds"]
        rows.append(("build time 20k / 5k", f"{ratio:.2f}", f"≤ {GROWTH_5K_TO_20K}", ratio <= GROWTH_5K_TO_20K))
    if middle and large:
        ratio = large["build"]["seconds"] / middle["build"]["seconds"]
        rows.append(("build time 100k / 20k", f"{ratio:.2f}", f"≤ {GROWTH_20K_TO_100K}", ratio <= GROWTH_20K_TO_100K))
    if large:
        peak = large["build"]["peak_bytes"]
        rows.append(("peak memory of the 100k build", mb(peak), "< 2,147 MB", peak < PEAK_MEMORY_100K))
        label, view = heaviest_view(large)
        rows.append((f"heaviest page view at 100k ({label})", kb(view["bytes"]), "< 500 KB",
                     view["bytes"] < PAGE_VIEW_LIMIT))
        rows.append(("site at 100k (bytes of its files)", mb(large["site"]["bytes"]), "< 1,073.7 MB",
                     large["site"]["bytes"] < SITE_LIMIT))
        lean = without_downloads(large)
        rows.append(("site at 100k without downloads/ (pages, API, search)", mb(lean), "≤ 800.0 MB",
                     lean <= PAGES_API_SEARCH_LIMIT))
        ratio = large["frictionless"]["seconds"] / large["validate"]["seconds"]
        rows.append(("validation throughput at 100k / plain frictionless", f"{ratio:.2f}",
                     f"≥ {VALIDATION_THROUGHPUT}", ratio >= VALIDATION_THROUGHPUT))
    for size in sorted(results):
        rebuilt = results[size].get("rebuilds")
        if not rebuilt:
            continue
        day, edit = rebuilt["next_day"], rebuilt["one_edit"]
        rows.append((f"next-day rebuild at {size // 1000}k: files changed outside downloads/",
                     f"{day['sent'] + day['removed']:,} of {day['files']:,} ({share(day):.2%})", "< 1 %",
                     share(day) < NEXT_DAY_SHARE))
        rows.append((f"one edited enterprise at {size // 1000}k: files changed outside downloads/",
                     f"{edit['sent'] + edit['removed']:,}", f"< {ONE_EDIT_FILES}",
                     edit["sent"] + edit["removed"] < ONE_EDIT_FILES))
    return rows


def without_downloads(figures: dict) -> int:
    return figures["site"]["bytes"] - figures["site"]["by_folder"].get("downloads", 0)


def share(rebuilt: dict) -> float:
    return (rebuilt["sent"] + rebuilt["removed"]) / rebuilt["files"]


def rebuilt_row(name: str):
    def value(figures):
        rebuilt = figures.get("rebuilds", {}).get(name)
        if not rebuilt:
            return "—"
        return (f"{rebuilt['sent']:,} sent, {rebuilt['removed']:,} removed of {rebuilt['files']:,} files; "
                f"{mb(rebuilt['sent_bytes'])} of {mb(rebuilt['bytes'])}; {rebuilt['seconds']:.1f} s")
    return value


def export_formats(results: dict[int, dict]) -> list[str]:
    return list(dict.fromkeys(key for figures in results.values() for key in ((figures["export"] or {}).get("formats") or {})))


def table(results: dict[int, dict]) -> list[list[str]]:
    sizes = sorted(results)
    header = ["", *(f"{n:,}" for n in sizes)]

    def row(name, value):
        return [name, *(value(results[n]) for n in sizes)]

    def ratio_to_previous(key):
        def value(figures):
            previous = [n for n in sizes if n < figures["enterprises"]]
            if not previous:
                return ""
            before = results[previous[-1]]
            return f"× {figures[key]['seconds'] / before[key]['seconds']:.2f} for × {figures['enterprises'] / before['enterprises']:.0f}"
        return value

    def bare(name):
        return lambda f: name(f) if "bare" in f else "—"

    def export(f):
        e = f["export"]
        return "n/a" if e is None else f"{mb(e['bytes'])} in {e['files']} files; export {e['seconds']} s"

    def export_format(key):
        def value(f):
            entry = (f["export"] or {}).get("formats", {}).get(key)
            if not entry:
                return "n/a"
            seconds = "" if entry["seconds"] is None else f", {entry['seconds']:.1f} s"
            return f"{mb(entry['bytes'])}{seconds}"
        return value

    rows = [
        header,
        row("rows in the package", lambda f: f"{f['rows']:,} ({mb(f['csv_bytes'])} of CSV)"),
        row("validate: build.py validate", lambda f: f"{f['validate']['seconds']:.1f} s"),
        row("validate: plain frictionless", lambda f: f"{f['frictionless']['seconds']:.1f} s"
            + ("" if f["frictionless"]["valid"] else " (reports errors)")),
        row("validation throughput vs frictionless", lambda f: f"{f['frictionless']['seconds'] / f['validate']['seconds']:.2f}"),
        row("build.py build (faster run)", lambda f: f"{f['build']['seconds']:.1f} s ({f['build']['cpu_seconds']:.1f} s CPU)"
            + (f"; runs {', '.join(str(x) for x in f['build']['runs'])} s" if len(f["build"].get("runs", [])) > 1 else "")),
        row("build growth", ratio_to_previous("build")),
        row("build peak memory", lambda f: mb(f["build"]["peak_bytes"])),
        row("bare mkdocs-material, same page count (faster run)", bare(lambda f: f"{f['bare']['seconds']:.1f} s "
            f"({f['bare']['cpu_seconds']:.1f} s CPU); runs {', '.join(str(x) for x in f['bare'].get('runs', []))} s")),
        row("build / bare (CPU time)", bare(lambda f: f"{f['build']['seconds'] / f['bare']['seconds']:.2f} "
                                           f"({f['build']['cpu_seconds'] / f['bare']['cpu_seconds']:.2f})")),
        row("bare peak memory", bare(lambda f: mb(f["bare"]["peak_bytes"]))),
        row("site: bytes of files", lambda f: f"{mb(f['site']['bytes'])} in {f['site']['files']:,} files"),
        row("site without downloads/ (pages, API, search)", lambda f: mb(without_downloads(f))),
        row("site: as a Pages artifact (tar)", lambda f: mb(f["site"]["tar_bytes"])),
        row("rebuild the next day, outside downloads/", rebuilt_row("next_day")),
        row("rebuild after one edited name, outside downloads/", rebuilt_row("one_edit")),
        row("site per enterprise", lambda f: kb(f["site"]["bytes"] / f["enterprises"])),
        row("enterprise page, mean / max", lambda f: f"{kb(f['site']['enterprise_page_mean'])} / "
            f"{kb(f['site']['enterprise_page_max'])}"),
        row("enterprises/ folder", lambda f: mb(f["site"]["by_folder"].get("enterprises", 0))),
        row("search-index/ + pagefind/", lambda f: mb(f["site"]["by_folder"].get("search-index", 0)
                                                     + f["site"]["by_folder"].get("pagefind", 0))),
        row("heaviest page view", lambda f: f"{kb(heaviest_view(f)[1]['bytes'])} ({heaviest_view(f)[0]})"),
        row("export (site/downloads/, every version)", export),
        *(row(f"export, one version: {key}", export_format(key)) for key in export_formats(results)),
    ]
    rows += [row(f"search “{query}”: bytes (full text)", lambda f, q=query: (
        f"{kb(f['browser']['searches'][q]['bytes'])} ({kb(f['browser']['searches'][q]['fulltext_bytes'])})"))
        for query in results[sizes[-1]]["browser"]["searches"]]
    return rows


def rebuild_examples(results: dict[int, dict]) -> list[str]:
    lines = []
    for size in sorted(results):
        for name, rebuilt in results[size].get("rebuilds", {}).items():
            if isinstance(rebuilt, dict) and rebuilt["examples"]:
                lines += ["", f"Files sent by the {name.replace('_', '-')} rebuild at {size:,} (first "
                          f"{len(rebuilt['examples'])}): " + ", ".join(f"`{path}`" for path in rebuilt["examples"])]
    return lines


def render_table(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows)


def page_views(results: dict[int, dict]) -> list[list[str]]:
    sizes = sorted(results)
    labels = list(results[sizes[-1]]["browser"]["views"])
    rows = [["page view (bytes fetched, empty cache)", *(f"{n:,}" for n in sizes)]]
    for label in labels:
        rows.append([f"{label} {results[sizes[-1]]['browser']['views'][label]['url']}",
                     *(kb(results[n]["browser"]["views"].get(label, {}).get("bytes", 0)) for n in sizes)])
    return rows


def write_results(into: Path, results: dict[int, dict], host: dict, started: str, seconds: float, committed: dict,
                  demo: str) -> str:
    goal_rows = targets(results, committed)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if sorted(results) == [5_000] else ''}` on {started}, "
        f"in {seconds / 60:.0f} minutes. Demo registers from `{demo}`.",
        "",
        f"Machine: {host['cpu']}, {host['cores']} cores, {host['ram_bytes'] / 1024**3:.1f} GiB RAM, "
        f"Python {host['python']}, {host['system']}; load average at the start {host['load_average']} "
        "(the machine is shared, so absolute times vary; ratios come from the same run).",
        "",
        "## Figures",
        "",
        render_table(table(results), markdown=True),
        "",
        "## Page views",
        "",
        render_table(page_views(results), markdown=True),
        "",
        f"`build.py validate` of the committed package: median {committed['seconds']:.2f} s "
        f"({committed['cpu_seconds']:.2f} s CPU; runs {', '.join(str(x) for x in committed['all_seconds'])} s).",
        "",
        "## Targets (issues 7, 8, 11 and 17)",
        "",
        "| target | measured | limit | met |",
        "|---|---|---|---|",
        *(f"| {name} | {value} | {limit} | {'yes' if met else 'NO'} |" for name, value, limit, met in goal_rows),
        "",
        "Peak memory is the largest resident set of the command's processes (`ru_maxrss`). Page views count every "
        "byte served to Chromium for a first view with an empty cache, uncompressed; most hosts send them gzipped. "
        "The tar figure counts 512-byte headers and padding, as the archive a Pages deployment uploads. "
        "Rebuilds reuse the measured build's export cache and compare every file outside downloads/ by SHA-256 "
        "(sent: new or changed; removed: gone), as `publish --to s3://` decides what to upload.",
        *rebuild_examples(results),
        "",
    ]
    into.write_text("\n".join(lines), encoding="utf-8")
    return "\n".join(lines)
