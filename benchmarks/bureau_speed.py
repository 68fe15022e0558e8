"""The waits of a bureau's pull request, from the command line as CI runs them, on the committed package:

- `validate` plus `diff` for a one-row change (target: under 10 s),
- `import-list` of a 400-row names-only list, names spelled with the other kind of bracket and stray spaces
  (target: under 5 s).

Works on a temporary git repository holding a copy of the package, so the working tree is never touched.
Writes benchmarks/out/bureau_speed.json and prints the medians.

    python benchmarks/bureau_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-24"
LIST_ROWS = 400


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                    *args], check=True, capture_output=True)


def cli(*args: str, check: bool = True) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command; on a shared machine the CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and result.returncode != 0:
        raise SystemExit(f"build.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plus(first: tuple[float, float], second: tuple[float, float]) -> tuple[float, float]:
    return first[0] + second[0], first[1] + second[1]


def median(runs: list[tuple[float, float]], index: int) -> float:
    return round(statistics.median(run[index] for run in runs), 2)


def one_row_change(package: Path) -> None:
    """Mark the first active seed certification as removed by the first seed removal notice."""
    path = package / "data" / "certifications.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    notices = [row[0] for row in csv.reader((package / "data" / "announcements.csv").open(encoding="utf-8"))
               if row[1:3] == ["seed", "removal"]]
    for row in rows[1:]:
        if row[1] == "seed" and row[6] == "active":
            row[6:10] = ["removed", AS_OF, "no_longer_qualified", notices[0]]
            break
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def names_only_list(package: Path, target: Path) -> str:
    """A national-style list of enterprises that hold no little_giant yet, and its announcement's id."""
    certifications = list(csv.DictReader((package / "data" / "certifications.csv").open(encoding="utf-8")))
    excluded = {c["uscc"] for c in certifications if c["tier_id"] == "little_giant" or c["status"] == "revoked"}
    enterprises = [e for e in csv.DictReader((package / "data" / "enterprises.csv").open(encoding="utf-8"))
                   if e["uscc"] not in excluded]
    chosen = random.Random(2025).sample(enterprises, LIST_ROWS)
    rows = [["第八批专精特新“小巨人”企业名单"], ["序号", "企业名称"]]
    for number, enterprise in enumerate(chosen, start=1):
        name = enterprise["name"]
        name = name.replace("(", "（").replace(")", "）") if number % 2 else name.replace("（", "(").replace("）", ")")
        rows.append([str(number), name[:2] + " " + name[2:] if number % 3 == 0 else name])
    rows.append(["注：排名不分先后"])
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    announcement = "lg-bench-designation"
    with (package / "data" / "announcements.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{announcement},little_giant,designation,第八批专精特新小巨人企业名单,,工业和信息化部,"
                     f"{AS_OF},,{LIST_ROWS}\n")
    return announcement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zjtx-bureau-") as scratch:
        repo = Path(scratch) / "repo"
        shutil.copytree(ROOT / "datapackage", repo / "datapackage")
        git(repo, "init", "--quiet")
        git(repo, "add", "--all")
        git(repo, "commit", "--quiet", "-m", "base")
        package = repo / "datapackage"
        one_row_change(package)
        review = []
        for _ in range(options.repeat):
            review.append(plus(cli("validate", "--datapackage", str(package), "--as-of", AS_OF, check=False),
                               cli("diff", "HEAD", "--datapackage", str(package))))
        git(repo, "checkout", "--quiet", "--", ".")
        list_file = Path(scratch) / "names.csv"
        announcement = names_only_list(package, list_file)
        cli("fmt", "--datapackage", str(package))
        pristine = Path(scratch) / "pristine"
        shutil.copytree(package, pristine)
        imports = []
        for _ in range(options.repeat):
            shutil.rmtree(package)
            shutil.copytree(pristine, package)
            imports.append(cli("import-list", str(list_file), "--announcement", announcement,
                               "--datapackage", str(package), "--as-of", AS_OF))
    figures = {
        "validate_plus_diff_one_row_seconds": median(review, 0),
        "validate_plus_diff_one_row_cpu_seconds": median(review, 1),
        "import_400_names_only_seconds": median(imports, 0),
        "import_400_names_only_cpu_seconds": median(imports, 1),
        "repeat": options.repeat,
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bureau_speed.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"validate + diff, one-row change: {figures['validate_plus_diff_one_row_seconds']} s wall, "
          f"{figures['validate_plus_diff_one_row_cpu_seconds']} s CPU (target < 10 s)")
    print(f"import-list, {LIST_ROWS} names only:   {figures['import_400_names_only_seconds']} s wall, "
          f"{figures['import_400_names_only_cpu_seconds']} s CPU (target < 5 s)")


if __name__ == "__main__":
    main()
