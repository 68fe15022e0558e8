"""In the library on day D: the one answer every page, count, badge, feed, API file and download uses.

A certification keeps its enterprise in the tier's library (在库) on day D when
- it was certified on or before D (a row dated after D is not yet held),
- its term has not run out: D is on or before `valid_until` (the last day of the term is still in the library;
  a tier without a fixed term never runs out), and
- no removal or revocation had taken effect: D is before `status_on` for a `removed` or `revoked` row (the
  status applies from `status_on` on). An `expired` row ends with its term, as an `active` one would.

So the answer never depends on whether a bureau has already written `expired` into a row: an `active` row past its
term is not held, and the site shows it as lapsed (已到期，待更新) rather than failing to build.

The ban after a revocation for false declaration lives here too, since the rule checks and the enterprise pages
must agree on it: its length comes from the policy in force on the revocation day, and it covers that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol
from collections.abc import Iterable

from .dates import add_years

# A row's standing on a day, as pages and downloads show it. HELD is the only one that counts as in the library.
HELD = "active"
LAPSED = "lapsed"  # status still `active` but the term is over: the bureau has yet to mark it expired
PENDING = "pending"  # certified after the day in question
STANDINGS = (HELD, LAPSED, "expired", "removed", "revoked", PENDING)
ENDED_BY_NOTICE = ("removed", "revoked")

DEFINITION = (
    "认定日期不晚于当天，有效期截止日（含当天）未过，且未被调整出库或撤销（调整出库、撤销自公告写明的状态日期当天起生效）。"
)


class Held(Protocol):
    certified_on: date
    valid_until: date | None
    status: str
    status_on: date | None


def pending(certification: Held, day: date) -> bool:
    """Certified after `day`: the row is known (its notice is out) but not yet in effect."""
    return certification.certified_on > day


def lapsed(certification: Held, day: date) -> bool:
    """Still written `active` although its term ended before `day`: the bureau has yet to mark it expired (an
    error of `validate`; the site shows it as LAPSED and keeps building)."""
    return certification.status == "active" and certification.valid_until is not None and \
        certification.valid_until < day


def term_over_by(certification: Held, day: date) -> bool:
    """Its term has run out by `day`, that day included: a review on that day renews it (the old row ends)."""
    return certification.valid_until is not None and certification.valid_until <= day


def held_on(certification: Held, day: date) -> bool:
    """Whether the certification keeps its enterprise in the tier's library on `day`."""
    if pending(certification, day):
        return False
    if certification.valid_until is not None and day > certification.valid_until:
        return False
    if certification.status in ENDED_BY_NOTICE and certification.status_on is not None:
        return day < certification.status_on
    return True


def standing(certification: Held, day: date) -> str:
    """How the row stands on `day`: one of STANDINGS."""
    if pending(certification, day):
        return PENDING
    if held_on(certification, day):
        return HELD
    if certification.status in ENDED_BY_NOTICE and certification.status_on is not None and day >= certification.status_on:
        return certification.status
    # The term is over, and no notice ended the row before it did.
    return "expired" if certification.status != "active" else LAPSED


def members_on(certifications: Iterable[Held], tier_ids: Iterable[str], day: date) -> dict[str, set[str]]:
    """The enterprises (USCC) in each tier's library on `day`, by tier."""
    members: dict[str, set[str]] = {tier_id: set() for tier_id in tier_ids}
    for certification in certifications:
        if held_on(certification, day):
            members.setdefault(certification.tier_id, set()).add(certification.uscc)
    return members


# The ban after a revocation for false declaration ------------------------------------------------------------


class Revocable(Protocol):
    status: str
    status_reason: str
    status_on: date | None


def starts_ban(certification: Revocable) -> bool:
    """A revocation for false declaration (撤销，弄虚作假): the one kind of ending that bars a new recommendation."""
    return certification.status == "revoked" and certification.status_reason == "false_declaration" \
        and certification.status_on is not None


class PolicyFacts(Protocol):
    policy_id: str
    status: str
    superseded_by: str
    ban_years: int | None

    @property
    def in_effect_from(self) -> date: ...


@dataclass(frozen=True)
class Ban:
    policy_id: str
    years: int
    starts: date  # the revocation day, the first day of the ban
    ends: date  # the first day a recommendation is accepted again

    def covers(self, day: date) -> bool:
        return self.starts <= day < self.ends


def in_force_on(policies: Iterable[PolicyFacts], day: date) -> list[PolicyFacts]:
    """Policies in effect on `day` that no successor in effect by then has replaced, latest first."""
    policies = list(policies)
    start = {p.policy_id: p.in_effect_from for p in policies}
    in_force = []
    for policy in policies:
        if policy.in_effect_from > day:
            continue
        successor = start.get(policy.superseded_by) if policy.superseded_by else None
        if successor is not None and successor <= day:
            continue
        in_force.append(policy)
    return sorted(in_force, key=lambda p: (p.in_effect_from, p.policy_id), reverse=True)


def ban_after(policies: Iterable[PolicyFacts], revoked_on: date) -> Ban | None:
    """The ban that a revocation for false declaration on `revoked_on` starts, or None where no policy in
    force that day sets one (a policy in force without `ban_years` sets none)."""
    for policy in in_force_on(policies, revoked_on):
        if policy.ban_years:
            return Ban(policy.policy_id, policy.ban_years, revoked_on, add_years(revoked_on, policy.ban_years))
    return None
