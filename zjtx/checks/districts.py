"""District codes are Tianjin's real GB/T 2260 codes; zones belong to a district; an enterprise's district is a
statutory district, not a zone."""

from __future__ import annotations

from ..problems import WARNING
from .base import RuleCellError, RuleCheck

# GB/T 2260, Tianjin's current county-level divisions.
TIANJIN = {
    "120101": "和平区", "120102": "河东区", "120103": "河西区", "120104": "南开区", "120105": "河北区",
    "120106": "红桥区", "120110": "东丽区", "120111": "西青区", "120112": "津南区", "120113": "北辰区",
    "120114": "武清区", "120115": "宝坻区", "120116": "滨海新区", "120117": "宁河区", "120118": "静海区",
    "120119": "蓟州区",
}
# Abolished codes still found in older registrations, with the code that replaced them.
ABOLISHED = {
    "120107": ("塘沽区", "120116"), "120108": ("汉沽区", "120116"), "120109": ("大港区", "120116"),
    "120221": ("宁河县", "120117"), "120222": ("武清县", "120114"), "120223": ("静海县", "120118"),
    "120224": ("宝坻县", "120115"), "120225": ("蓟县", "120119"),
}


class DistrictCodeError(RuleCellError):
    type = "district-code"
    title = "Not a GB/T 2260 code of Tianjin"
    message_zh = "{value} 不是天津市现行的 GB/T 2260 区级代码{detail_zh}"
    message_en = "{value} is not a current GB/T 2260 code of a Tianjin district{detail_en}"
    hint_zh = "{fix_zh}"
    hint_en = "{fix_en}"


class DistrictNameError(RuleCellError):
    type = "district-name"
    title = "District name differs from GB/T 2260"
    severity = WARNING  # the code decides what the row means; a different spelling of the name misleads no key
    message_zh = "代码 {district_code} 在 GB/T 2260 中的名称是 {official}，这里写的是 {value}"
    message_en = "code {district_code} is {official} in GB/T 2260, not {value}"
    hint_zh = "把 name_zh 改为 {official}，或核对代码"
    hint_en = "Set name_zh to {official}, or check the code"


class ZoneCodeError(RuleCellError):
    type = "zone-code"
    title = "Zone code not under its district"
    message_zh = "功能区代码 {value} 应以所在行政区代码 {parent}- 开头"
    message_en = "the zone code {value} must start with its district's code, {parent}-"
    hint_zh = "功能区代码写成“行政区代码-英文简称”，如 120116-teda"
    hint_en = "Write a zone code as the district code, a hyphen and a short name, e.g. 120116-teda"


class DistrictCodeCheck(RuleCheck):
    """A district row carries a real code and its official name; a zone's code extends its district's code."""

    type = "district-code"
    resource_name = "districts"
    Errors = [DistrictCodeError, DistrictNameError, ZoneCodeError]

    def validate_row(self, row):
        code, kind = row["district_code"], row["kind"]
        if not code:
            return
        if kind == "district":
            if code in TIANJIN:
                if row["name_zh"] and row["name_zh"] != TIANJIN[code]:
                    yield DistrictNameError.at(row, "name_zh", district_code=code, official=TIANJIN[code])
                return
            if code in ABOLISHED:
                name, successor = ABOLISHED[code]
                yield DistrictCodeError.at(
                    row, "district_code", detail_zh=f"（原{name}的代码，已撤销）", detail_en=f" (it was {name}'s, abolished)",
                    fix_zh=f"改用现行代码 {successor}（{TIANJIN[successor]}）",
                    fix_en=f"Use the current code {successor} ({TIANJIN[successor]})")
                return
            yield DistrictCodeError.at(
                row, "district_code", detail_zh="", detail_en="",
                fix_zh="行政区填写 GB/T 2260 现行代码（120101 和平区 … 120119 蓟州区）；功能区把 kind 设为 zone",
                fix_en="A district takes its current GB/T 2260 code (120101 和平区 … 120119 蓟州区); for a zone set kind to zone")
        elif kind == "zone" and row["parent_code"] and not code.startswith(row["parent_code"] + "-"):
            yield ZoneCodeError.at(row, "district_code", parent=row["parent_code"])


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
