"""Rules on a certification's term: valid_until follows the tier's validity, and a lapsed term is not active."""

from __future__ import annotations

from typing import NamedTuple

from .. import library
from ..dates import add_years
from .base import RuleCellError, RuleCheck


class ValidUntilError(RuleCellError):
    type = "valid-until"
    title = "Wrong valid_until"
    message_zh = "有效期至应为 {expected}（认定日期 {certified_on} 加上层级 {tier_id} 的有效期 {years} 年），实际为 {value}"
    message_en = "valid_until should be {expected} (certified_on {certified_on} plus the term of tier {tier_id}, {years} year(s)), found {value}"
    hint_zh = "把 valid_until 改为 {expected}；若认定日期有误，先改 certified_on"
    hint_en = "Set valid_until to {expected}; if certified_on is wrong, correct that first"


class ValidUntilWithoutTermError(RuleCellError):
    type = "valid-until-without-term"
    title = "valid_until for a tier without a term"
    message_zh = "层级 {tier_id} 没有固定有效期，有效期至应为空，实际为 {value}"
    message_en = "tier {tier_id} has no fixed term, so valid_until must be empty; found {value}"
    hint_zh = "清空 valid_until（种子企业等实行在库管理，没有有效期）"
    hint_en = "Leave valid_until empty (seed enterprises are managed in the library without a term)"


class ActiveButExpiredError(RuleCellError):
    type = "active-but-expired"
    title = "Active certification past its term"
    message_zh = "有效期至 {valid_until} 早于核对日期 {as_of}，状态却仍为 active"
    message_en = "valid_until {valid_until} is before the as-of date {as_of}, but the status is still active"
    hint_zh = "若已复核通过，新增一行复核认定记录；否则把 status 改为 expired，status_on 填 {valid_until}，status_reason 填 not_renewed"
    hint_en = "If it was renewed, add the review certification as a new row; otherwise set status to expired, status_on to {valid_until} and status_reason to not_renewed"


class Term(NamedTuple):
    """What library.lapsed reads of a row."""

    status: str
    valid_until: object


class CertificationTermCheck(RuleCheck):
    """valid_until = certified_on + the tier's validity_years, empty for tiers without a term; no lapsed active row."""

    type = "certification-term"
    resource_name = "certifications"
    Errors = [ValidUntilError, ValidUntilWithoutTermError, ActiveButExpiredError]

    def validate_row(self, row):
        tier_id = row["tier_id"]
        if tier_id not in self.context.validity_years:
            return  # an unknown tier is a foreign-key error already
        years = self.context.validity_years[tier_id]
        certified_on, valid_until = row["certified_on"], row["valid_until"]
        if years is None:
            if valid_until is not None:
                yield ValidUntilWithoutTermError.at(row, "valid_until", tier_id=tier_id)
            return
        if certified_on is None:
            return
        expected = add_years(certified_on, years)
        if valid_until != expected:
            yield ValidUntilError.at(
                row, "valid_until", expected=expected, certified_on=certified_on, tier_id=tier_id, years=years
            )
        elif library.lapsed(Term(row["status"], valid_until), self.context.as_of):
            yield ActiveButExpiredError.at(row, "status", valid_until=valid_until, as_of=self.context.as_of)
