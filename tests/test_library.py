"""In the library on day D: the one function, its boundaries, and every view of the site agreeing with it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import pytest

from zjtx import library
from packages import make_good_package, view_of
from zjtx.load import Certification, load_register


def cert(certified_on, valid_until=None, status="active", status_on=None, tier_id="sme", uscc="U1"):
    return Certification(uscc, tier_id, "a", "120101", date.fromisoformat(certified_on),
                         date.fromisoformat(valid_until) if valid_until else None, status,
                         date.fromisoformat(status_on) if status_on else None, "", "")


@pytest.mark.parametrize("row, day, held, standing", [
    (cert("2024-06-19", "2027-06-19"), "2024-06-18", False, "pending"),
    (cert("2024-06-19", "2027-06-19"), "2024-06-19", True, "active"),
    (cert("2024-06-19", "2027-06-19"), "2027-06-19", True, "active"),  # the last day of the term is included
    (cert("2024-06-19", "2027-06-19"), "2027-06-20", False, "lapsed"),  # active past its term: not held
    (cert("2024-06-19", "2027-06-19", "expired", "2027-06-19"), "2027-06-19", True, "active"),  # same as active
    (cert("2024-06-19", "2027-06-19", "expired", "2027-06-19"), "2027-06-20", False, "expired"),
    (cert("2024-06-19", "2027-06-19", "removed", "2025-04-01"), "2025-03-31", True, "active"),  # before the notice
    (cert("2024-06-19", "2027-06-19", "removed", "2025-04-01"), "2025-04-01", False, "removed"),  # from the notice on
    (cert("2024-06-19", "2027-06-19", "revoked", "2025-04-01"), "2026-01-01", False, "revoked"),
    (cert("2021-06-19", None, "active"), "2040-01-01", True, "active"),  # a tier without a term never runs out
    (cert("2021-06-19", None, "removed", "2023-01-01"), "2022-12-31", True, "active"),
])
def test_held_on_and_standing(row, day, held, standing):
    day = date.fromisoformat(day)
    assert library.held_on(row, day) is held
    assert library.standing(row, day) == standing


def test_an_expired_row_and_an_active_row_agree_on_every_day():
    """The answer never depends on whether the bureau has written `expired` yet."""
    active = cert("2023-06-19", "2026-06-19")
    expired = cert("2023-06-19", "2026-06-19", "expired", "2026-06-19")
    for offset in range(-2, 3):
        day = date(2026, 6, 19 + offset)
        assert library.held_on(active, day) == library.held_on(expired, day)


@dataclass(frozen=True)
class P:
    policy_id: str
    in_effect_from: date
    ban_years: int | None
    superseded_by: str = ""
    status: str = "in_force"


def test_the_ban_comes_from_the_policy_in_force_on_the_revocation_day():
    plan_2021 = P("plan-2021", date(2021, 1, 20), 2, superseded_by="rules-2026", status="superseded")
    rules_2026 = P("rules-2026", date(2026, 4, 1), 3)
    policies = [plan_2021, rules_2026]
    ban = library.ban_after(policies, date(2025, 5, 10))
    assert (ban.policy_id, ban.years, ban.ends) == ("plan-2021", 2, date(2027, 5, 10))
    ban = library.ban_after(policies, date(2026, 5, 10))
    assert (ban.policy_id, ban.years, ban.ends) == ("rules-2026", 3, date(2029, 5, 10))
    assert ban.covers(date(2026, 5, 10))  # the revocation day itself
    assert not ban.covers(date(2029, 5, 10))


def test_a_successor_without_a_ban_ends_the_old_policys_ban():
    policies = [P("old", date(2021, 1, 1), 2, superseded_by="new", status="superseded"), P("new", date(2024, 1, 1), None)]
    assert library.ban_after(policies, date(2023, 12, 31)).policy_id == "old"
    assert library.ban_after(policies, date(2024, 1, 1)) is None


def test_an_unrelated_policy_in_force_does_not_hide_the_ban():
    policies = [P("plan", date(2021, 1, 1), 2), P("services", date(2024, 1, 1), None)]
    assert library.ban_after(policies, date(2025, 1, 1)).policy_id == "plan"


# Every view describes the as-of day -----------------------------------------------------------------------------


@pytest.fixture
def small_package(tmp_path):
    return make_good_package(tmp_path / "package")


@pytest.fixture(scope="module")
def early_site(demo_package, tmp_path_factory):
    """The demo register built for a day in its past: later certifications must not show as held."""
    from packages import build

    register = load_register(demo_package)
    days = sorted({c.certified_on for c in register.certifications})
    as_of = days[len(days) // 2]
    out = tmp_path_factory.mktemp("early") / "site"
    build(demo_package, out, as_of)
    return out, view_of(demo_package, as_of)


def test_enterprise_badges_describe_the_as_of_day(early_site):
    out, register = early_site
    for uscc in register.enterprises:
        html = (out / "enterprises" / uscc / "index.html").read_text(encoding="utf-8")
        badges = re.search(r'<p class="zjtx-tiers">(.*?)</p>', html, re.S).group(1)
        shown = set(re.findall(r'tiers/([a-z_]+)/', badges))
        assert shown == {t.tier_id for t in register.tiers_held(uscc)}, uscc
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert len(ld.get("award", [])) == sum(
            1 for c in register.certifications_by_uscc.get(uscc, []) if register.held_on(c)
        )


def test_home_tier_and_stats_counts_agree(early_site):
    out, register = early_site
    members = register.members_on()
    home = (out / "index.html").read_text(encoding="utf-8")
    tiers_index = (out / "tiers" / "index.html").read_text(encoding="utf-8")
    for tier in register.tiers_by_rank:
        count = len(members[tier.tier_id])
        tier_page = (out / "tiers" / tier.tier_id / "index.html").read_text(encoding="utf-8")
        since = register.changed_on(register.certifications_of_tier(tier.tier_id))
        assert re.search(rf"<dd>{count} 家（(<time[^>]*>)?{since}(</time>)? 起）", tier_page), tier.tier_id
        assert re.search(rf'tiers/{tier.tier_id}/"[^>]*>[^<]*</a></p>\s*<p>.*?在库</a> <strong>{count}</strong> 家', home), tier.tier_id
        assert re.search(rf'tiers/{tier.tier_id}/"[^>]*>[^<]*</a></td>.*?<td>{count}</td>', tiers_index), tier.tier_id


def test_tier_tables_hold_no_row_certified_after_the_as_of_day(early_site):
    """The tier table as shown (its CSV download) lists only enterprises whose notice was out by the as-of day."""
    import csv

    out, register = early_site
    for tier in register.tiers_by_rank:
        with open(out / "tiers" / tier.tier_id / f"tier-{tier.tier_id}.csv", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        listed = {c.uscc for c in register.certifications if c.tier_id == tier.tier_id and register.known(c)}
        assert {row["统一社会信用代码"] for row in rows} == listed, tier.tier_id


@pytest.mark.slow
def test_a_lapsed_active_row_builds_and_shows_as_lapsed(small_package, tmp_path):
    """Time passing never breaks the build: an active row past its term is a warning for build."""
    from packages import build
    from zjtx.validate import validate_package

    later = date(2031, 1, 1)
    assert any(p.code == "active-but-expired" and p.severity == "error" for p in validate_package(small_package, later))
    result = build(small_package, tmp_path / "site", later)
    assert any(p.code == "active-but-expired" for p in result.warnings)
    register = view_of(small_package, later)
    lapsed = [c for c in register.certifications if register.standing(c) == "lapsed"]
    assert lapsed
    html = (tmp_path / "site" / "enterprises" / lapsed[0].uscc / "index.html").read_text(encoding="utf-8")
    assert "已到期，待更新" in html


@pytest.mark.slow
def test_home_page_judges_targets_on_their_due_day(small_package, tmp_path):
    from packages import build
    from zjtx import stats

    as_of = date(2026, 3, 1)
    build(small_package, tmp_path / "site", as_of)
    register = view_of(small_package, as_of)
    outcomes = stats.target_outcomes(register)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for tier_id, outcome in outcomes.items():
        due = outcome.due_on
        assert outcome.count == len(register.members_on(due)[tier_id])
        assert f"{due} 在库 {outcome.count} 家" in home
