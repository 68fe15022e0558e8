"""Validation speed: the committed package, and a 100,000-enterprise demo package against plain Frictionless.

Writes benchmarks/out/validate_speed.json and prints a table. Both sides of each ratio run in this process, one
after the other, on the same files, so the ratio holds on any machine.

    python benchmarks/validate_speed.py [--enterprises 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frictionless import Package  # noqa: E402

from zjtx import demo, load  # noqa: E402
from zjtx.validate import validate_package  # noqa: E402

AS_OF = date(2026, 11, 24)


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain_frictionless(package_dir: Path):
    report = Package(str(package_dir / "datapackage.json")).validate(limit_errors=10_000)
    return report


def rows_in(package_dir: Path) -> int:
    descriptor = load.read_descriptor(package_dir)
    total = 0
    for resource in load.resource_descriptors(descriptor).values():
        with open(load.resource_path(package_dir, resource), "rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    committed = load.DEFAULT_PACKAGE
    committed_problems = validate_package(committed, AS_OF)
    committed_seconds = timed(lambda: validate_package(committed, AS_OF), args.repeat)
    committed_plain = timed(lambda: plain_frictionless(committed), args.repeat)

    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "big"
        start = time.perf_counter()
        demo.generate(big, args.enterprises, seed=2021, as_of=AS_OF)
        generate_seconds = time.perf_counter() - start
        rows = rows_in(big)
        plain_report = plain_frictionless(big)
        plain_seconds = timed(lambda: plain_frictionless(big), 1)
        ours_problems = validate_package(big, AS_OF)
        ours_seconds = timed(lambda: validate_package(big, AS_OF), 1)

    figures = {
        "machine_cores": __import__("os").cpu_count(),
        "committed": {
            "rows": rows_in(committed),
            "validate_seconds": round(committed_seconds, 3),
            "plain_frictionless_seconds": round(committed_plain, 3),
            "errors": sum(p.severity == "error" for p in committed_problems),
            "warnings": sum(p.severity == "warning" for p in committed_problems),
            "target_seconds": 5,
        },
        "large": {
            "enterprises": args.enterprises,
            "rows": rows,
            "generate_seconds": round(generate_seconds, 2),
            "plain_frictionless_seconds": round(plain_seconds, 2),
            "plain_frictionless_valid": plain_report.valid,
            "validate_seconds": round(ours_seconds, 2),
            "validate_errors": sum(p.severity == "error" for p in ours_problems),
            "plain_rows_per_second": round(rows / plain_seconds),
            "validate_rows_per_second": round(rows / ours_seconds),
            "throughput_ratio": round(plain_seconds / ours_seconds, 3),
            "target_ratio": 0.5,
        },
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "validate_speed.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    c, big_figures = figures["committed"], figures["large"]
    print(f"committed package: {c['rows']} rows, validate {c['validate_seconds']} s "
          f"(plain frictionless {c['plain_frictionless_seconds']} s; target < 5 s)")
    print(f"{big_figures['enterprises']} enterprises: {big_figures['rows']} rows; plain frictionless "
          f"{big_figures['plain_frictionless_seconds']} s ({big_figures['plain_rows_per_second']} rows/s), "
          f"validate {big_figures['validate_seconds']} s ({big_figures['validate_rows_per_second']} rows/s); "
          f"throughput ratio {big_figures['throughput_ratio']} (target >= 0.5)")


if __name__ == "__main__":
    main()
