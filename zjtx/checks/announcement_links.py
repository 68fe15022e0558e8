"""Rules tying a certification to the announcements that made it and changed it."""

from __future__ import annotations

from .base import RuleCellError, RuleCheck

DESIGNATING_KINDS = {"designation", "publicity", "review"}
STATUS_KIND = {"removed": "removal", "revoked": "revocation"}


class TierMismatchError(RuleCellError):
    type = "tier-mismatch"
    title = "Tier differs from the announcement's"
    message_zh = "层级 {value} 与公告 {announcement_id} 的层级 {announcement_tier} 不一致"
    message_en = "tier {value} differs from the tier {announcement_tier} of announcement {announcement_id}"
    hint_zh = "把 tier_id 改为 {announcement_tier}，或改正 announcement_id"
    hint_en = "Set tier_id to {announcement_tier}, or correct announcement_id"


class CertifiedBeforeAnnouncementError(RuleCellError):
    type = "certified-before-announcement"
    title = "Certified before the announcement"
    message_zh = "认定日期 {value} 早于公告 {announcement_id} 的发布日期 {published_on}"
    message_en = "certified_on {value} is before announcement {announcement_id} was published on {published_on}"
    hint_zh = "认定日期不能早于公告日期：核对 certified_on 和公告的 published_on"
    hint_en = "A certification cannot predate its announcement: check certified_on and the announcement's published_on"


class NotDesignatingAnnouncementError(RuleCellError):
    type = "not-designating-announcement"
    title = "Certified by a removal or revocation notice"
    message_zh = "公告 {value} 是 {kind} 类公告，不能作为认定依据"
    message_en = "announcement {value} is a {kind} notice and cannot designate an enterprise"
    hint_zh = "announcement_id 填认定、公示或复核公告；调整出库或撤销公告填在 status_announcement_id"
    hint_en = "Put the designation, publicity or review notice in announcement_id; a removal or revocation notice goes in status_announcement_id"


class CertificationAnnouncementCheck(RuleCheck):
    """A certification's tier equals its announcement's; certified_on is not before the announcement."""

    type = "certification-announcement"
    resource_name = "certifications"
    Errors = [TierMismatchError, CertifiedBeforeAnnouncementError, NotDesignatingAnnouncementError]

    def validate_row(self, row):
        announcement_id = row["announcement_id"]
        facts = self.context.announcements.get(announcement_id)
        if facts is None:
            return  # foreign-key error already
        if facts.kind not in DESIGNATING_KINDS:
            yield NotDesignatingAnnouncementError.at(row, "announcement_id", kind=facts.kind)
        if row["tier_id"] and row["tier_id"] != facts.tier_id:
            yield TierMismatchError.at(
                row, "tier_id", announcement_id=announcement_id, announcement_tier=facts.tier_id
            )
        certified_on = row["certified_on"]
        if certified_on and facts.published_on and certified_on < facts.published_on:
            yield CertifiedBeforeAnnouncementError.at(
                row, "certified_on", announcement_id=announcement_id, published_on=facts.published_on
            )
