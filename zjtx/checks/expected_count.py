"""An announcement with expected_count has exactly that many rows in the register."""

from __future__ import annotations

from .announcement_links import DESIGNATING_KINDS
from .base import RuleCellError, RuleCheck


class ExpectedCountError(RuleCellError):
    type = "expected-count"
    title = "Row count differs from the official list"
    message_zh = "官方名单有 {value} 行，认定记录中{column_zh}为本公告的有 {found} 行"
    message_en = "rows in the official list: {value}; certification rows with this announcement as {column}: {found}"
    hint_zh = "对照公告原文补录缺少的企业或删除多余的行（data/certifications.csv 的 {column} 列）；若原文行数有误，改正 expected_count"
    hint_en = "Compare with the published list and add the missing rows or remove extra ones ({column} in data/certifications.csv); if the count is wrong, correct expected_count"


class ExpectedCountCheck(RuleCheck):
    type = "expected-count"
    resource_name = "announcements"
    Errors = [ExpectedCountError]

    def validate_row(self, row):
        expected = row["expected_count"]
        if expected is None:
            return
        if row["kind"] in DESIGNATING_KINDS:
            column, column_zh, found = "announcement_id", "认定公告", self.context.designated[row["announcement_id"]]
        else:
            column, column_zh, found = (
                "status_announcement_id", "状态公告", self.context.status_changed[row["announcement_id"]]
            )
        if found != expected:
            yield ExpectedCountError.at(row, "expected_count", found=found, column=column, column_zh=column_zh)
