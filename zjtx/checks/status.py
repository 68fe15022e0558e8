"""Rules on a certification's status fields: what each status needs, and which notice may change it."""

from __future__ import annotations

from .announcement_links import STATUS_KIND
from .base import RuleCellError, RuleCheck


class StatusFieldSetWhileActiveError(RuleCellError):
    type = "status-field-while-active"
    title = "Status detail on an active certification"
    message_zh = "状态为 active 时 {field} 应为空，实际为 {value}"
    message_en = "{field} must be empty while the status is active; found {value}"
    hint_zh = "清空 {field}；若状态确已改变，把 status 改为 expired、removed 或 revoked"
    hint_en = "Empty {field}; if the status did change, set status to expired, removed or revoked"


class StatusFieldMissingError(RuleCellError):
    type = "status-field-missing"
    title = "Missing status detail"
    message_zh = "状态为 {status} 时必须填写 {field}"
    message_en = "{field} is required when the status is {status}"
    hint_zh = "填写 {field}（status_on 为状态变化日期，status_reason 为原因，如 not_renewed、no_longer_qualified、false_declaration）"
    hint_en = "Fill in {field} (status_on: the date of the change; status_reason: why, e.g. not_renewed, no_longer_qualified, false_declaration)"


class StatusAnnouncementKindError(RuleCellError):
    type = "status-announcement-kind"
    title = "Wrong kind of status notice"
    message_zh = "状态 {status} 须由{expected_kind_zh}公告改变，公告 {value} 的类别是 {kind}、层级是 {announcement_tier}"
    message_en = "status {status} must be set by a {expected_kind} notice of tier {tier_id}; announcement {value} is a {kind} notice of tier {announcement_tier}"
    hint_zh = "status_announcement_id 填写本层级的{expected_kind_zh}公告编号"
    hint_en = "Put the {expected_kind} notice of this tier in status_announcement_id"


class StatusAnnouncementUnexpectedError(RuleCellError):
    type = "status-announcement-unexpected"
    title = "Status notice on an expiry"
    message_zh = "状态为 {status} 时 status_announcement_id 应为空（只有调整出库和撤销有状态公告），实际为 {value}"
    message_en = "status_announcement_id must be empty when the status is {status} (only removals and revocations have a notice); found {value}"
    hint_zh = "清空 status_announcement_id，或把 status 改为 removed / revoked"
    hint_en = "Empty status_announcement_id, or set status to removed / revoked"


class StatusBeforeCertifiedError(RuleCellError):
    type = "status-before-certified"
    title = "Status changed before certification"
    message_zh = "状态日期 {value} 早于认定日期 {certified_on}"
    message_en = "status_on {value} is before certified_on {certified_on}"
    hint_zh = "核对 status_on 与 certified_on"
    hint_en = "Check status_on and certified_on"


KIND_ZH = {"removal": "调整出库", "revocation": "撤销"}
DETAIL_FIELDS = ("status_on", "status_reason", "status_announcement_id")


class CertificationStatusCheck(RuleCheck):
    type = "certification-status"
    resource_name = "certifications"
    Errors = [
        StatusFieldSetWhileActiveError,
        StatusFieldMissingError,
        StatusAnnouncementKindError,
        StatusAnnouncementUnexpectedError,
        StatusBeforeCertifiedError,
    ]

    def validate_row(self, row):
        status = row["status"]
        if status == "active":
            for name in DETAIL_FIELDS:
                if row[name] not in (None, ""):
                    yield StatusFieldSetWhileActiveError.at(row, name, field=name)
            return
        if status not in ("expired", "removed", "revoked"):
            return  # an enum error already
        for name in ("status_on", "status_reason"):
            if row[name] in (None, ""):
                yield StatusFieldMissingError.at(row, name, field=name, status=status)
        if row["status_on"] and row["certified_on"] and row["status_on"] < row["certified_on"]:
            yield StatusBeforeCertifiedError.at(row, "status_on", certified_on=row["certified_on"])
        notice_id = row["status_announcement_id"]
        expected_kind = STATUS_KIND.get(status)
        if expected_kind is None:
            if notice_id:
                yield StatusAnnouncementUnexpectedError.at(row, "status_announcement_id", status=status)
            return
        if not notice_id:
            yield StatusFieldMissingError.at(row, "status_announcement_id", field="status_announcement_id", status=status)
            return
        facts = self.context.announcements.get(notice_id)
        if facts is None:
            return  # foreign-key error already
        if facts.kind != expected_kind or facts.tier_id != row["tier_id"]:
            yield StatusAnnouncementKindError.at(
                row,
                "status_announcement_id",
                status=status,
                expected_kind=expected_kind,
                expected_kind_zh=KIND_ZH[expected_kind],
                kind=facts.kind,
                tier_id=row["tier_id"],
                announcement_tier=facts.tier_id,
            )
