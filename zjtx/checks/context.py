"""Look-ups the rule checks need from other tables, read once per validation run.

The look-ups are read leniently from the raw CSV text: a malformed cell is left out here and reported by the
schema validation, so a rule check never fails on data that another check already rejects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .. import load
from ..package import Package, read_cell


def _typed(kind: str, text: str | None):
    """A cell typed as the package types it (zjtx.package.read_cell), or None where it cannot be: the schema's
    own check reports that cell."""
    try:
        return read_cell(kind, text or "")
    except ValueError:
        return None


def _date(text: str | None) -> date | None:
    return _typed("date", text)


def _int(text: str | None) -> int | None:
    return _typed("integer", text)


@dataclass(frozen=True)
class AnnouncementFacts:
    tier_id: str
    kind: str
    published_on: date | None


@dataclass(frozen=True)
class PolicyFacts:
    """What library.ban_after needs of a policy row."""

    policy_id: str
    status: str
    superseded_by: str
    ban_years: int | None
    in_effect_from: date


@dataclass(frozen=True)
class HeldFacts:
    """What library.held_on needs of a certification row."""

    tier_id: str
    certified_on: date
    valid_until: date | None
    status: str
    status_on: date | None


@dataclass(frozen=True)
class EventFacts:
    starts_on: date | None
    tier_ids: tuple[str, ...]


@dataclass
class RuleContext:
    package: Package
    as_of: date
    validity_years: dict[str, int | None] = field(default_factory=dict)
    district_kinds: dict[str, str] = field(default_factory=dict)
    district_codes_by_name: dict[str, str] = field(default_factory=dict)  # 滨海新区 -> 120116, for hints
    policies: list[PolicyFacts] = field(default_factory=list)
    announcements: dict[str, AnnouncementFacts] = field(default_factory=dict)
    designated: Counter = field(default_factory=Counter)  # announcement_id -> certification rows it designates
    status_changed: Counter = field(default_factory=Counter)  # announcement_id -> rows whose status it changed
    # The column: events, and the certifications of the enterprises that took part in one (only those).
    events: dict[str, EventFacts] = field(default_factory=dict)
    participant_history: dict[str, list[HeldFacts]] = field(default_factory=dict)


def build_context(package: Package, as_of: date, tables: dict | None = None) -> RuleContext:
    """The look-ups, from `tables` (zjtx.csvfile.Table by resource name) where validation has read them already,
    else from the package's files."""
    context = RuleContext(package=package, as_of=as_of)

    def rows(name: str):
        if tables and name in tables:
            table = tables[name]
            return [dict(zip(table.header, record.cells)) for record in table.records]
        return package.raw_rows(name) if name in package.resources else []

    for row in rows("tiers"):
        context.validity_years[row.get("tier_id") or ""] = _int(row.get("validity_years"))
    for row in rows("districts"):
        context.district_kinds[row.get("district_code") or ""] = row.get("kind") or ""
        if row.get("name_zh"):
            context.district_codes_by_name[row["name_zh"].strip()] = row.get("district_code") or ""
    for row in rows("policies"):
        start = _date(row.get("effective_on")) or _date(row.get("issued_on"))
        if start is not None:
            context.policies.append(PolicyFacts(
                row.get("policy_id") or "", row.get("status") or "", row.get("superseded_by") or "",
                _int(row.get("ban_years")), start,
            ))
    for row in rows("announcements"):
        context.announcements[row.get("announcement_id") or ""] = AnnouncementFacts(
            tier_id=row.get("tier_id") or "",
            kind=row.get("kind") or "",
            published_on=_date(row.get("published_on")),
        )
    for row in rows("certifications"):
        context.designated[row.get("announcement_id") or ""] += 1
        if row.get("status_announcement_id"):
            context.status_changed[row["status_announcement_id"]] += 1
    _column_context(context, rows)
    return context


def _column_context(context: RuleContext, rows) -> None:
    """Events and the histories of their participants, for the participant's-tier rule."""
    for row in rows("events"):
        context.events[row.get("event_id") or ""] = EventFacts(
            _date(row.get("starts_on")), load.split_ids(row.get("eligible_tiers") or "")
        )
    participants = {row.get("uscc") or "" for row in rows("event_participants")}
    if not participants:
        return
    histories: dict[str, list[HeldFacts]] = {uscc: [] for uscc in participants}
    for row in rows("certifications"):
        uscc = row.get("uscc") or ""
        certified_on = _date(row.get("certified_on"))
        if uscc in histories and certified_on is not None:
            histories[uscc].append(HeldFacts(
                row.get("tier_id") or "", certified_on, _date(row.get("valid_until")), row.get("status") or "",
                _date(row.get("status_on")),
            ))
    context.participant_history = histories
