"""Rules over an enterprise's whole history: one active certification per tier, the ban after a revocation for
false declaration, and the ladder (little giants and champions normally come from the municipal sme tier).

These rules compare rows with each other, so the checks remember what they need while the rows pass and
report at the end of the table.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from .. import library
from ..problems import WARNING
from .base import RuleCheck, RuleError


class SecondActiveError(RuleError):
    type = "second-active"
    title = "Two active certifications in one tier"
    field = "status"
    message_zh = "企业 {uscc} 在层级 {tier_id} 已有一条有效认定（第 {first_row} 行），同一层级只能有一条 active"
    message_en = "enterprise {uscc} already holds an active {tier_id} certification (line {first_row}); one active certification per tier"
    hint_zh = "把较早的一条改为 expired（status_reason 填 renewed）或删除重复行"
    hint_en = "Set the older one to expired (status_reason renewed) or delete the duplicate row"


class WithinBanError(RuleError):
    type = "within-ban"
    title = "Certified during a ban"
    field = "certified_on"
    message_zh = "企业 {uscc} 于 {revoked_on} 因弄虚作假被撤销（第 {revoked_row} 行），依据 {policy_id} 自撤销之日起 {years} 年内（{ban_ends} 之前）不得受理推荐，但本行认定日期为 {certified_on}"
    message_en = "enterprise {uscc} was revoked for false declaration on {revoked_on} (line {revoked_row}); under {policy_id} no recommendation is accepted until {ban_ends} (a ban of {years} year(s)), but this row is certified on {certified_on}"
    hint_zh = "删除这条认定，或核对撤销记录的 status_on 与 status_reason"
    hint_en = "Remove this certification, or check the revocation's status_on and status_reason"


class NoEarlierSmeWarning(RuleError):
    type = "no-earlier-sme"
    title = "No earlier sme certification"
    severity = WARNING
    field = "tier_id"
    message_zh = "企业 {uscc} 获 {tier_id} 认定（{certified_on}）前没有天津市专精特新中小企业（sme）认定记录"
    message_en = "enterprise {uscc} is certified {tier_id} on {certified_on} without an earlier sme certification"
    hint_zh = "政策以市级专精特新中小企业库为重点选拔来源，并非硬性要求；若有更早的 sme 认定，请补录"
    hint_en = "The policy prefers, but does not require, an earlier municipal certification; add it if one exists"


class Seen(NamedTuple):
    row_number: int
    cells: list  # left empty: keeping every row's cells costs memory and time at 100,000 enterprises
    tier_id: str
    certified_on: object
    status: str
    status_reason: str
    status_on: object


class OneActivePerTierCheck(RuleCheck):
    type = "one-active-per-tier"
    resource_name = "certifications"
    Errors = [SecondActiveError]

    def validate_start(self):
        self._first_active: dict[tuple[str, str], int] = {}
        yield from []

    def validate_row(self, row):
        if row["status"] != "active":
            return
        key = (row["uscc"], row["tier_id"])
        first = self._first_active.setdefault(key, row.row_number)
        if first != row.row_number:
            yield SecondActiveError.at(row, uscc=key[0], tier_id=key[1], first_row=first)


class _HistoryCheck(RuleCheck):
    """Remembers every certification of every enterprise, then judges each history at the end."""

    def validate_start(self):
        self._histories: dict[str, list[Seen]] = defaultdict(list)
        yield from []

    def validate_row(self, row):
        if row["uscc"] and row["certified_on"]:
            self._histories[row["uscc"]].append(
                Seen(row.row_number, [], row["tier_id"], row["certified_on"],
                     row["status"], row["status_reason"] or "", row["status_on"])
            )
        yield from []

    def validate_end(self):
        for uscc in sorted(self._histories):
            yield from self.judge(uscc, self._histories[uscc])

    def judge(self, uscc: str, history: list[Seen]):
        raise NotImplementedError


class RevocationBanCheck(_HistoryCheck):
    type = "revocation-ban"
    resource_name = "certifications"
    Errors = [WithinBanError]

    def judge(self, uscc, history):
        for revocation in history:
            if not library.starts_ban(revocation):
                continue
            ban = library.ban_after(self.context.policies, revocation.status_on)
            if ban is None:
                continue
            for other in history:
                if other is not revocation and ban.covers(other.certified_on):
                    yield WithinBanError.at_row_number(
                        other.row_number, other.cells, uscc=uscc, revoked_on=revocation.status_on,
                        revoked_row=revocation.row_number, policy_id=ban.policy_id, years=ban.years,
                        ban_ends=ban.ends, certified_on=other.certified_on,
                    )


class EarlierSmeCheck(_HistoryCheck):
    type = "earlier-sme"
    resource_name = "certifications"
    Errors = [NoEarlierSmeWarning]
    LADDER_TOP = ("little_giant", "champion")

    def judge(self, uscc, history):
        sme_dates = [seen.certified_on for seen in history if seen.tier_id == "sme"]
        first_in_tier = {}
        for seen in sorted(history, key=lambda seen: seen.certified_on):
            first_in_tier.setdefault(seen.tier_id, seen)
        for tier_id in self.LADDER_TOP:
            seen = first_in_tier.get(tier_id)
            if seen and not any(day < seen.certified_on for day in sme_dates):
                yield NoEarlierSmeWarning.at_row_number(
                    seen.row_number, seen.cells, uscc=uscc, tier_id=seen.tier_id, certified_on=seen.certified_on
                )
