"""One truth, many views: for every enterprise, every output of a build says the same thing about every
certification as the register's view of the day (zjtx.view), which decides it once.

Compared, for every enterprise of the committed package and of a demo package built on two days (the second one
with lapsed terms, expiries and a revocation's ban in force): its page (standing of each certification, the ban's
end), its API file, the tier and district tables (their CSV downloads: the standing of the latest listing), the
search index (the tiers whose library it is in), the SQLite view `enterprises_in_library` and the home page's counts.
A certification announced after the day is not part of the register that day; one announced but certified later is
pending everywhere (README: "在库 · In the library on a day").
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from packages import COMMITTED, build, view_of
from zjtx.labels import label
from zjtx.view import RegisterView

ITEM = re.compile(r'<li>\s*<p><time datetime="(?P<day>[\d-]+)">[^<]*</time>[^<]*<a href="[^"]*/tiers/(?P<tier>[\w-]+)/">'
                  r'[^<]*</a>\s*<span class="zjtx-status zjtx-status--(?P<standing>\w+)">(?P<body>.*?)</li>', re.S)
BAN = re.compile(r'<p class="zjtx-ban">.*?<strong>([\d-]+)</strong>', re.S)


def from_page(site: Path, uscc: str) -> set[tuple]:
    html = (site / "enterprises" / uscc / "index.html").read_text(encoding="utf-8")
    timeline = html.split('<ol class="zjtx-timeline">', 1)[1].split("</ol>", 1)[0]
    found = set()
    for item in ITEM.finditer(timeline):
        ban = BAN.search(item.group("body"))
        found.add((item.group("tier"), item.group("day"), item.group("standing"), ban.group(1) if ban else None))
    return found


def from_api(site: Path, uscc: str) -> set[tuple]:
    data = json.loads((site / "api" / "enterprises" / f"{uscc}.json").read_text(encoding="utf-8"))
    return {(c["tier_id"], c["certified_on"], c["standing"], c["ban"]["ends"] if c["ban"] else None)
            for c in data["certifications"]}


def from_view(view: RegisterView, uscc: str) -> set[tuple]:
    found = set()
    for c in view.history(uscc):
        ban = view.ban_of(c)
        found.add((c.tier_id, c.certified_on.isoformat(), view.standing(c), ban.ends.isoformat() if ban else None))
    return found


def latest_listings(view: RegisterView) -> dict[tuple[str, str], str]:
    """(tier, USCC) -> the standing of the enterprise's latest known listing in the tier, as a word."""
    latest = {}
    for uscc in view.enterprises:
        for c in view.history(uscc):  # oldest first
            latest[c.tier_id, uscc] = label("status", view.standing(c))
    return latest


def table_rows(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["统一社会信用代码"]: row["状态"] for row in csv.DictReader(handle)}


def index_tiers(site: Path) -> dict[str, set[str]]:
    """USCC -> the tiers the search index files it under (the manifest's groups and the record files)."""
    folder = site / "search-index"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tiers = [tier for tier, _ in manifest["tiers"]]
    groups = manifest["groups"] + [[manifest["count"], 0, 0]]
    usccs = []
    for number in range(-(-manifest["count"] // manifest["chunk"])):
        usccs += [record[0] for record in json.loads((folder / "r" / f"{number}.json").read_text(encoding="utf-8"))]
    held = {}
    for (first, mask, _), (end, _, _) in zip(groups, groups[1:]):
        for identifier in range(first, end):
            held[usccs[identifier]] = {tier for bit, tier in enumerate(tiers) if mask >> bit & 1}
    return held


def check(site: Path, view: RegisterView) -> None:
    held = {uscc: {t.tier_id for t in view.tiers_held(uscc)} for uscc in view.enterprises}
    for uscc in sorted(view.enterprises):
        expected = from_view(view, uscc)
        assert from_page(site, uscc) == expected, uscc
        assert from_api(site, uscc) == expected, uscc
        assert {tier for tier, _, standing, _ in expected if standing == "active"} == held[uscc], uscc
    assert index_tiers(site) == held
    with sqlite3.connect(site / "downloads" / "latest" / "register.sqlite") as db:
        rows = dict(db.execute("select uscc, tier_ids from enterprises_in_library"))
    assert {uscc: set(tier_ids.split(";")) for uscc, tier_ids in rows.items()} == \
        {uscc: tiers for uscc, tiers in held.items() if tiers}
    latest = latest_listings(view)
    for tier_id in view.tiers:
        listed = table_rows(site / "tiers" / tier_id / f"tier-{tier_id}.csv")
        assert listed == {uscc: word for (tier, uscc), word in latest.items() if tier == tier_id}, tier_id
    for code in view.districts:
        for uscc, word in table_rows(site / "districts" / code / f"district-{code}.csv").items():
            row = view._headline_row(uscc)
            assert word == (label("status", row.status) if row.status else ""), (code, uscc)
            assert (row.tier_id, uscc) in latest or not row.tier_id
    home = (site / "index.html").read_text(encoding="utf-8")
    for tier in view.tiers_by_rank:
        count = sum(tier.tier_id in tiers for tiers in held.values())
        assert re.search(rf'tiers/{tier.tier_id}/"[^>]*>[^<]*</a></p>\s*<p>.*?在库</a> <strong>{count}</strong> 家',
                         home), tier.tier_id


@pytest.mark.slow
def test_the_committed_register_says_one_thing_everywhere(tmp_path):
    day = date(2026, 11, 24)
    check(build(COMMITTED, tmp_path / "site", day).out_dir, view_of(COMMITTED, day))


@pytest.mark.slow
@pytest.mark.parametrize("day", [date(2026, 6, 30), date(2028, 9, 1)], ids=["the demo's day", "two years on"])
def test_a_demo_register_says_one_thing_everywhere_on_any_day(tmp_path_factory, day):
    from zjtx.demo import generate

    package = tmp_path_factory.mktemp("one-truth") / "package"
    generate(package, 400, seed=5, as_of=date(2026, 6, 30))
    view = view_of(package, day)
    standings = {view.standing(c) for c in view.register.certifications if view.known(c)}
    assert {"active", "expired"} <= standings  # the day exercises more than one standing
    check(build(package, tmp_path_factory.mktemp("site") / "site", day).out_dir, view)
