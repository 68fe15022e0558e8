"""Figures of the register on a day: targets against the counts on their due days, year-end counts, counts by
district and industry. Every count is of enterprises in a library by zjtx.library's one rule (through the
register's view of the day); the statistics page draws them (zjtx.pages.charts), the API and downloads read them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .load import Register, Target

if TYPE_CHECKING:
    from .view import RegisterView


def latest_targets(register: Register) -> dict[str, Target]:
    """Each tier's target for the latest year a policy sets one, by tier (tiers without a target are absent)."""
    targets = {}
    for target in sorted(register.targets, key=lambda t: t.year):
        targets[target.tier_id] = target
    return targets


@dataclass(frozen=True)
class TargetOutcome:
    """A target against the count on the day it fell due (the end of its year), not against today's count."""

    target: Target
    due_on: date
    count: int | None  # None while the day has not come (as_of is before due_on)

    @property
    def reached(self) -> bool | None:
        return None if self.count is None else self.count >= self.target.target

    @property
    def percent(self) -> int | None:
        return None if self.count is None or not self.target.target else round(self.count * 100 / self.target.target)


def target_outcomes(view: RegisterView) -> dict[str, TargetOutcome]:
    """Each tier's latest target with the tier's count on its due day, by tier."""
    register, as_of = view.register, view.day
    outcomes = {}
    members_by_day: dict[date, dict[str, set[str]]] = {}
    for tier_id, target in latest_targets(register).items():
        due_on = date(target.year, 12, 31)
        count = None
        if due_on <= as_of:
            if due_on not in members_by_day:
                members_by_day[due_on] = view.members_on(due_on)
            count = len(members_by_day[due_on].get(tier_id, ()))
        outcomes[tier_id] = TargetOutcome(target, due_on, count)
    return outcomes


@dataclass(frozen=True)
class YearCount:
    year: int
    day: date
    count: int
    target: int | None


def counts_by_year(view: RegisterView) -> dict[str, list[YearCount]]:
    """Enterprises in each tier's library at the end of every year (on the view's day for the current one)."""
    register, as_of = view.register, view.day
    first = [c.certified_on.year for c in register.certifications]
    target_years = [t.year for t in register.targets]
    if not first:
        return {tier_id: [] for tier_id in register.tiers}
    years = range(min(first), max([as_of.year, *target_years]) + 1)
    targets = {(t.tier_id, t.year): t.target for t in register.targets}
    held_by_year = {}
    for year in years:
        day = min(date(year, 12, 31), as_of)
        held_by_year[year] = (day, view.members_on(day) if year <= as_of.year else None)
    series = {}
    for tier in register.tiers_by_rank:
        points = []
        for year, (day, members) in held_by_year.items():
            target = targets.get((tier.tier_id, year))
            if members is None and target is None:
                continue
            count = len(members[tier.tier_id]) if members is not None else None
            points.append(YearCount(year, day, count, target))
        series[tier.tier_id] = points
    return series


def counts_by_place(view: RegisterView, key) -> dict[str, dict[str, int]]:
    """Enterprises in each tier's library on the day, grouped by key(enterprise): {group: {tier_id: count}}."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for tier_id, usccs in view.members.items():
        for uscc in usccs:
            counts[key(view.enterprises[uscc])][tier_id] += 1
    return counts


def distinct_by_place(view: RegisterView, key) -> dict[str, int]:
    """Enterprises in any library on the day, each counted once, grouped by key(enterprise); "" is the whole city.

    An enterprise held in two tiers is one enterprise: a total is never the sum of the tiers' counts.
    """
    members: dict[str, set[str]] = defaultdict(set)
    for usccs in view.members.values():
        for uscc in usccs:
            members[key(view.enterprises[uscc])].add(uscc)
            members[""].add(uscc)
    return {group: len(usccs) for group, usccs in members.items()}
