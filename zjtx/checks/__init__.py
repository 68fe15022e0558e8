"""The data contract's rules as frictionless custom checks, each scoped to the resource it is about."""

from __future__ import annotations

import dataclasses

from .announcement_links import CertificationAnnouncementCheck
from .column import ParticipantTierCheck, ServiceChannelCheck
from .context import RuleContext, build_context
from .districts import DistrictCodeCheck, DistrictParentCheck, EnterpriseDistrictCheck
from .expected_count import ExpectedCountCheck
from .names import DuplicateNameCheck
from .history import EarlierSmeCheck, OneActivePerTierCheck, RevocationBanCheck
from .lists import EventListCheck, ServiceListCheck
from .periods import EventPeriodCheck, ServicePeriodCheck
from .policy_text import PolicyTextCheck
from .safe_text import SafeTextCheck
from .status import CertificationStatusCheck
from .terms import CertificationTermCheck
from .uscc import UsccCheck
from .values import StrictValuesCheck

RULE_CHECKS = [
    StrictValuesCheck,
    SafeTextCheck,
    UsccCheck,
    DuplicateNameCheck,
    DistrictCodeCheck,
    EnterpriseDistrictCheck,
    DistrictParentCheck,
    PolicyTextCheck,
    ExpectedCountCheck,
    CertificationTermCheck,
    CertificationAnnouncementCheck,
    CertificationStatusCheck,
    OneActivePerTierCheck,
    RevocationBanCheck,
    EarlierSmeCheck,
    # The column's services and events
    ServiceListCheck,
    EventListCheck,
    ServicePeriodCheck,
    EventPeriodCheck,
    ServiceChannelCheck,
    ParticipantTierCheck,
]


def checks_for(resource_name: str, context: RuleContext) -> list:
    """The checks of one resource; a check with no resource_name applies to every resource."""
    return [
        check(context=context)
        for check in RULE_CHECKS
        if check.resource_name in ("", resource_name)
    ]


# Errors that time alone causes: the bureau must update the row (validate says how), but the site keeps building
# and shows the row as lapsed, so that it never goes dark as the calendar moves on.
LAPSES_WITH_TIME = {"active-but-expired"}


def for_publishing(problems: list) -> list:
    """The problems as a build judges them: an error that time alone caused is a warning there."""
    return [dataclasses.replace(p, severity="warning") if p.code in LAPSES_WITH_TIME and p.severity == "error" else p
            for p in problems]


def error_classes() -> dict[str, type]:
    return {error.type: error for check in RULE_CHECKS for error in check.Errors}


__all__ = ["RULE_CHECKS", "RuleContext", "build_context", "checks_for", "error_classes", "for_publishing"]
