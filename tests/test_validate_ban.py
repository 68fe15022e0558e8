"""The ban after a revocation for false declaration, as validate applies it (zjtx/library.ban_after): the policy
in force on the revocation day sets its length, a superseded policy sets none, and the revocation day is banned.

In the good fixture, enterprise E2 was revoked for false declaration on 2022-10-10 under the 2021 plan (2 years).
"""

from __future__ import annotations

import pytest

from packages import AS_OF, add_row, make_good_package, set_cell
from zjtx.validate import validate_package

E2 = "91120111300000010Q"
PLAN_LINE = 2  # the 2021 plan in data/policies.csv


@pytest.fixture
def package(tmp_path):
    package = make_good_package(tmp_path / "p")
    (package / "policies" / "later.md").write_text("# 后续办法\n", encoding="utf-8")
    return package


def recertify(package, day: str) -> int:
    """A seed designation of E2 on `day`; returns the certification's line."""
    add_row(package, "announcements", dict(announcement_id=f"seed-{day}", tier_id="seed", kind="designation",
                                           title=f"{day} 种子企业", issuer="天津市工业和信息化局", published_on=day))
    return add_row(package, "certifications", dict(uscc=E2, tier_id="seed", announcement_id=f"seed-{day}",
                                                   recommended_by="120111", certified_on=day, status="active"))


def successor(package, issued_on: str, ban_years: str) -> None:
    """A later policy that supersedes the 2021 plan from `issued_on`."""
    add_row(package, "policies", dict(policy_id="tj-rules-2022", doc_number="津工信规〔2022〕5号", title="实施细则",
                                      issuer="天津市工业和信息化局", issued_on=issued_on, status="in_force",
                                      text_path="policies/later.md", ban_years=ban_years))
    set_cell(package, "policies", PLAN_LINE, "status", "superseded")
    set_cell(package, "policies", PLAN_LINE, "superseded_by", "tj-rules-2022")


def bans(package):
    problems = validate_package(package, AS_OF)
    assert all(p.code in ("within-ban", "not-sorted") for p in problems), problems
    return [p for p in problems if p.code == "within-ban"]


def test_a_superseding_policy_sets_a_longer_ban(package):
    successor(package, "2022-06-01", "3")
    line = recertify(package, "2024-12-01")  # past 2 years, within 3
    (problem,) = bans(package)
    assert problem.row == line
    assert "tj-rules-2022" in problem.message_en and "2025-10-10" in problem.message_en


def test_the_superseding_policy_ban_ends_on_its_last_day(package):
    successor(package, "2022-06-01", "3")
    recertify(package, "2025-10-10")  # the first day a recommendation is accepted again
    assert bans(package) == []


def test_a_superseded_policy_ban_no_longer_applies(package):
    successor(package, "2022-06-01", "")  # the successor sets no ban
    recertify(package, "2023-01-05")  # within the 2021 plan's 2 years, but that plan was no longer in force
    assert bans(package) == []


def test_a_successor_that_takes_effect_after_the_revocation_does_not_lift_the_ban(package):
    successor(package, "2022-11-01", "")
    line = recertify(package, "2023-01-05")
    (problem,) = bans(package)
    assert problem.row == line and "tj-zjtx-plan-2021" in problem.message_en


def test_a_recertification_on_the_revocation_day_is_within_the_ban(package):
    line = recertify(package, "2022-10-10")
    (problem,) = bans(package)
    assert problem.row == line and "2024-10-10" in problem.message_en


def test_a_certification_the_day_before_the_revocation_is_not_banned(package):
    recertify(package, "2022-10-09")
    assert bans(package) == []
