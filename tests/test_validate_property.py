"""What validate passes, build builds: random mutations of a small package either fail `validate` or build.

A fixed seed keeps the run repeatable. Every mutation that validates is built with build_site; MkDocs (which only
turns the rendered Markdown into HTML, and reads no data) runs for the first of them, and is skipped for the rest
to keep the test quick.
"""

from __future__ import annotations

import json
import random
import traceback

import pytest

from packages import AS_OF, make_good_package, read_table, write_table
from zjtx import search
from zjtx.build import build_site
from zjtx.build import mkdocs as builder
from zjtx.problems import has_errors
from zjtx.validate import validate_package

SEED = 2021
MUTATIONS = 36
TABLES = ("enterprises", "certifications", "announcements", "products", "policies", "districts", "tiers", "targets")
MANGLED_DATES = ("2025-6-19", "2025/06/19", "19-06-2025", "2025-02-30", "20250619", "2025-06-19 ", "")
ODD_VALUES = ("", " ", "x", "-1", "0", "1.5", "+2", "None", "=1", "missing-row", "120116-teda", "9.11201E+17",
              "天津甲精密机械有限公司", "滨海新区", "\u202e反", "a\u3000", "2099-01-01", "active", "revoked")


def _table_mutation(rng: random.Random, package, name: str) -> str:
    rows = read_table(package, name)
    header, body = rows[0], rows[1:]
    kind = rng.choice(["blank", "date", "odd", "drop-row", "copy-row", "drop-column", "swap"])
    if not body:
        return "nothing"
    line = rng.randrange(len(body))
    column = rng.randrange(len(header))
    if kind == "blank":
        body[line][column] = ""
    elif kind == "date":
        dated = [i for i, field in enumerate(header) if field.endswith("_on") or field == "valid_until"]
        column = rng.choice(dated) if dated else column
        body[line][column] = rng.choice(MANGLED_DATES)
    elif kind == "odd":
        body[line][column] = rng.choice(ODD_VALUES)
    elif kind == "drop-row":
        del body[line]
    elif kind == "copy-row":
        body.append(list(body[line]))
    elif kind == "drop-column":
        header, body = [c for i, c in enumerate(header) if i != column], [[c for i, c in enumerate(r) if i != column]
                                                                          for r in body]
    elif kind == "swap":
        other = rng.randrange(len(header))
        body[line][column], body[line][other] = body[line][other], body[line][column]
    write_table(package, name, [header] + body)
    return f"{name}: {kind} line {line + 2} column {column + 1}"


def _descriptor_mutation(rng: random.Random, package) -> str:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resource = rng.choice([r for r in descriptor["resources"] if r["schema"].get("foreignKeys")])
    kind = rng.choice(["drop-foreign-key", "drop-constraints", "retype"])
    if kind == "drop-foreign-key":
        keys = resource["schema"]["foreignKeys"]
        keys.pop(rng.randrange(len(keys)))
    else:
        field = rng.choice(resource["schema"]["fields"])
        if kind == "drop-constraints":
            field.pop("constraints", None)
        else:
            field["type"] = "string"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return f"descriptor: {kind} in {resource['name']}"


def mutate(rng: random.Random, package) -> list[str]:
    done = []
    for _ in range(rng.choice([1, 1, 2])):
        if rng.random() < 0.2:
            done.append(_descriptor_mutation(rng, package))
        else:
            done.append(_table_mutation(rng, package, rng.choice(TABLES)))
    return done


@pytest.fixture
def skip_mkdocs_after_first(monkeypatch):
    real = builder.run_mkdocs
    calls = []

    def run_mkdocs(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            real(*args, **kwargs)

    monkeypatch.setattr(builder, "run_mkdocs", run_mkdocs)
    # The full-text index reads the HTML MkDocs writes; without it there is nothing to index.
    monkeypatch.setattr(search, "write_fulltext_index", lambda *args, **kwargs: None)
    return calls


@pytest.mark.slow
def test_random_mutations_fail_validate_or_build(tmp_path, skip_mkdocs_after_first):
    rng = random.Random(SEED)
    built, refused = [], []
    for number in range(MUTATIONS):
        package = make_good_package(tmp_path / f"p{number}")
        done = mutate(rng, package)
        try:
            problems = validate_package(package, AS_OF)
        except Exception:
            pytest.fail(f"validate crashed after {done}:\n{traceback.format_exc()}")
        if has_errors(problems):
            refused.append(done)
            continue
        try:
            build_site(package, tmp_path / f"site{number}", AS_OF)
        except Exception:
            pytest.fail(f"validate passed but build failed after {done}:\n{traceback.format_exc()}")
        built.append(done)
    # The mutations must exercise both outcomes, or the test proves nothing.
    assert refused and built, (refused, built)
