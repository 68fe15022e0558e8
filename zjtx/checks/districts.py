"""Zones belong to a district; an enterprise's district is a statutory district, not a zone."""

from __future__ import annotations

from .base import RuleCellError, RuleCheck


class ZoneParentError(RuleCellError):
    type = "zone-parent"
    title = "Wrong parent district"
    message_zh = "{kind_zh}的 parent_code {problem_zh}"
    message_en = "parent_code of a {kind} {problem}"
    hint_zh = "功能区填所在行政区的六位代码，行政区留空"
    hint_en = "A zone names the six-digit code of its district; a district leaves it empty"


class EnterpriseInZoneError(RuleCellError):
    type = "enterprise-district-kind"
    title = "Enterprise placed in a zone"
    message_zh = "{value} 是功能区，district_code 应为注册地所在的行政区"
    message_en = "{value} is a zone; district_code must be the statutory district of the registered address"
    hint_zh = "district_code 填行政区代码（如滨海新区 120116）；推荐单位是功能区时填在认定记录的 recommended_by"
    hint_en = "Use the district's code (e.g. 120116 for Binhai); put a recommending zone in the certification's recommended_by"


class DistrictParentCheck(RuleCheck):
    type = "district-parent"
    resource_name = "districts"
    Errors = [ZoneParentError]

    def validate_row(self, row):
        kind, parent = row["kind"], row["parent_code"]
        if kind == "district" and parent:
            yield ZoneParentError.at(row, "parent_code", kind="district", kind_zh="行政区",
                                     problem="must be empty", problem_zh="应为空")
        elif kind == "zone":
            if not parent:
                yield ZoneParentError.at(row, "parent_code", kind="zone", kind_zh="功能区",
                                         problem="is required", problem_zh="必须填写")
            elif self.context.district_kinds.get(parent, "district") != "district":
                yield ZoneParentError.at(row, "parent_code", kind="zone", kind_zh="功能区",
                                         problem="must be a district, not another zone",
                                         problem_zh="必须是行政区，不能是另一个功能区")


class EnterpriseDistrictCheck(RuleCheck):
    type = "enterprise-district"
    resource_name = "enterprises"
    Errors = [EnterpriseInZoneError]

    def validate_row(self, row):
        if self.context.district_kinds.get(row["district_code"]) == "zone":
            yield EnterpriseInZoneError.at(row, "district_code")
