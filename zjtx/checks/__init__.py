"""The data contract's rules as frictionless custom checks, each scoped to the resource it is about."""

from __future__ import annotations

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


def error_classes() -> dict[str, type]:
    return {error.type: error for check in RULE_CHECKS for error in check.Errors}


__all__ = ["RULE_CHECKS", "RuleContext", "build_context", "checks_for", "error_classes"]
