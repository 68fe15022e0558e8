"""The 专精特新 column's services and events on a day: one answer for the pages, the feed and the rule checks.

A service is offered from `valid_from` to `valid_until` (both days included; no end date = open-ended). A service
past its end stays in the package and is shown as ended: the register records what was offered, it never deletes.
An event is upcoming before its first day, ongoing up to its last day, past afterwards.

Who may use a service or take part in an event is decided with library.held_on, like every "in the library" answer:
an enterprise qualifies on day D when it holds, on D, a certification of one of the eligible tiers.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol
from collections.abc import Iterable, Mapping

from . import library

# Resources of the column: a package without them (older releases) loads them as empty tables.
COLUMN_RESOURCES = ("services", "events", "event_participants", "district_liaisons")

UPCOMING, OPEN, ENDED = "upcoming", "open", "ended"
ONGOING, PAST = "ongoing", "past"
# What pages and the calendar feed call each kind of event.
EVENT_KIND_NAMES = {"exhibition": "展会", "training": "培训", "exchange": "学习交流", "matchmaking": "对接会"}


class Offered(Protocol):
    valid_from: date
    valid_until: date | None


class Dated(Protocol):
    starts_on: date
    ends_on: date


class Place(Protocol):
    parent_code: str


class Certified(library.Held, Protocol):
    tier_id: str


def service_state(service: Offered, day: date) -> str:
    """UPCOMING before valid_from, OPEN through valid_until (inclusive), ENDED after it."""
    if day < service.valid_from:
        return UPCOMING
    if service.valid_until is not None and day > service.valid_until:
        return ENDED
    return OPEN


def event_state(event: Dated, day: date) -> str:
    """UPCOMING before the first day, ONGOING through the last day, PAST after it."""
    if day < event.starts_on:
        return UPCOMING
    if day <= event.ends_on:
        return ONGOING
    return PAST


def served_places(codes: Iterable[str], districts: Mapping[str, Place]) -> set[str]:
    """The districts and zones a service's `districts` cell reaches: a district reaches its zones too."""
    codes = set(codes)
    return codes | {code for code, place in districts.items() if place.parent_code in codes}


def held_eligible(certifications: Iterable[Certified], tier_ids: Iterable[str], day: date) -> bool:
    """Whether any of the certifications keeps its enterprise, on `day`, in one of the eligible tiers."""
    tier_ids = set(tier_ids)
    return any(c.tier_id in tier_ids and library.held_on(c, day) for c in certifications)
