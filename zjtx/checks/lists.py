"""List cells (`eligible_tiers`, `districts`): every `;`-separated item names a row of the table it refers to.

Frictionless checks foreign keys of whole cells only; a list cell holds several keys, so this rule checks each.
"""

from __future__ import annotations

from typing import ClassVar

from .. import load
from .base import RuleCellError, RuleCheck


class UnknownListItemError(RuleCellError):
    type = "unknown-list-item"
    title = "Unknown item in a list"
    message_zh = "{field} 中的 {item!r} 在 data/{target}.csv 中不存在"
    message_en = "{item!r} in {field} is not in data/{target}.csv"
    hint_zh = "每一项填写 data/{target}.csv 中已有的编号，多项之间用英文分号 ; 分隔；或先在 data/{target}.csv 中添加它"
    hint_en = "Give ids that data/{target}.csv has, separated by semicolons, or add the missing one there first"


class ListReferenceCheck(RuleCheck):
    """Each item of the resource's list cells exists in the table it refers to."""

    type = "list-reference"
    Errors = [UnknownListItemError]
    # field -> the table its items refer to
    list_fields: ClassVar[dict[str, str]] = {}

    def validate_row(self, row):
        known = {"tiers": self.context.validity_years, "districts": self.context.district_kinds}
        # A cell that breaks the field's pattern (a;;b, a,b) is reported by the schema validation, not again here.
        broken = {getattr(error, "field_name", None) for error in row.errors}
        for name, target in self.list_fields.items():
            if name in broken:
                continue
            for item in load.split_ids(row[name] or ""):
                if item not in known[target]:
                    yield UnknownListItemError.at(row, name, field=name, item=item, target=target)


class ServiceListCheck(ListReferenceCheck):
    type = "service-lists"
    resource_name = "services"
    list_fields = {"eligible_tiers": "tiers", "districts": "districts"}


class EventListCheck(ListReferenceCheck):
    type = "event-lists"
    resource_name = "events"
    list_fields = {"eligible_tiers": "tiers"}
