"""A period ends on or after the day it starts: an event's last day, a service's last day of validity.

A service past its `valid_until` is valid data: the site shows it as ended (zjtx/column.py), it is never an error.
"""

from __future__ import annotations

from typing import ClassVar

from .base import RuleCellError, RuleCheck


class PeriodEndsBeforeStartError(RuleCellError):
    type = "period-ends-before-start"
    title = "Ends before it starts"
    message_zh = "{end} {value} 早于 {start} {start_value}"
    message_en = "{end} {value} is before {start} {start_value}"
    hint_zh = "核对两个日期：{end} 不能早于 {start}（一天的活动两者相同）"
    hint_en = "Check both dates: {end} cannot be before {start} (a one-day event has the same date in both)"


class PeriodCheck(RuleCheck):
    Errors = [PeriodEndsBeforeStartError]
    start: ClassVar[str] = ""
    end: ClassVar[str] = ""

    def validate_row(self, row):
        starts, ends = row[self.start], row[self.end]
        if starts is not None and ends is not None and ends < starts:
            yield PeriodEndsBeforeStartError.at(row, self.end, start=self.start, end=self.end, start_value=starts)


class EventPeriodCheck(PeriodCheck):
    type = "event-period"
    resource_name = "events"
    start, end = "starts_on", "ends_on"


class ServicePeriodCheck(PeriodCheck):
    type = "service-period"
    resource_name = "services"
    start, end = "valid_from", "valid_until"
