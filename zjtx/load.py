"""The register: the package's rows as typed records, with the look-ups every output needs.

The records declare the fields the code reads (the contract requires the descriptor to declare them too, with the
same types: zjtx.contract); their values come typed from zjtx.package, which alone reads the package's files.
What holds on a given day is not decided here but in zjtx.library, and gathered for a build in zjtx.view.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from datetime import date
from pathlib import Path
from typing import get_type_hints

from . import library
from .column import COLUMN_RESOURCES, served_places
from .package import DEFAULT_PACKAGE, Package


# Records -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    policy_id: str
    doc_number: str
    title: str
    issuer: str
    issued_on: date
    effective_on: date | None
    status: str
    superseded_by: str
    text_path: str
    source_url: str
    ban_years: int | None
    summary: str

    @property
    def in_effect_from(self) -> date:
        return self.effective_on or self.issued_on


@dataclass(frozen=True)
class Tier:
    tier_id: str
    name_zh: str
    name_en: str
    level: str
    rank: int
    validity_years: int | None
    policy_id: str
    definition: str


@dataclass(frozen=True)
class Target:
    tier_id: str
    year: int
    target: int
    policy_id: str


@dataclass(frozen=True)
class District:
    district_code: str
    name_zh: str
    name_en: str
    kind: str
    parent_code: str


@dataclass(frozen=True)
class IndustrySection:
    section: str
    name_zh: str


@dataclass(frozen=True)
class Industry:
    industry_code: str
    section: str
    name_zh: str


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str
    district_code: str
    industry_code: str
    main_products: str
    website: str
    summary: str


@dataclass(frozen=True)
class Announcement:
    announcement_id: str
    tier_id: str
    kind: str
    title: str
    doc_number: str
    issuer: str
    published_on: date
    source_url: str
    expected_count: int | None


@dataclass(frozen=True)
class Certification:
    uscc: str
    tier_id: str
    announcement_id: str
    recommended_by: str
    certified_on: date
    valid_until: date | None
    status: str
    status_on: date | None
    status_reason: str
    status_announcement_id: str


@dataclass(frozen=True)
class Product:
    uscc: str
    product_name: str
    category: str
    description: str


# The column (专精特新专栏): services, events and the districts' liaison offices -------------------------------


def split_ids(text: str) -> tuple[str, ...]:
    """A `;`-separated list cell (eligible_tiers, districts) as its items; empty items are dropped."""
    return tuple(item for item in (part.strip() for part in text.split(";")) if item)


@dataclass(frozen=True)
class Service:
    service_id: str
    title: str
    kind: str
    provider: str
    provider_kind: str
    channel: str
    description: str
    eligible_tiers: str
    districts: str
    contact: str
    valid_from: date
    valid_until: date | None
    source_url: str
    policy_id: str

    @cached_property
    def tier_ids(self) -> tuple[str, ...]:
        return split_ids(self.eligible_tiers)

    @cached_property
    def district_codes(self) -> tuple[str, ...]:
        """The districts and zones served; empty for the whole city."""
        return split_ids(self.districts)


@dataclass(frozen=True)
class Event:
    event_id: str
    title: str
    kind: str
    starts_on: date
    ends_on: date
    city: str
    venue: str
    organiser: str
    eligible_tiers: str
    description: str
    source_url: str

    @cached_property
    def tier_ids(self) -> tuple[str, ...]:
        return split_ids(self.eligible_tiers)


@dataclass(frozen=True)
class EventParticipant:
    event_id: str
    uscc: str


@dataclass(frozen=True)
class DistrictLiaison:
    district_code: str
    office: str
    contact: str
    source_url: str


RECORD_TYPES = {
    "tiers": Tier,
    "targets": Target,
    "districts": District,
    "industry_sections": IndustrySection,
    "industries": Industry,
    "enterprises": Enterprise,
    "announcements": Announcement,
    "certifications": Certification,
    "products": Product,
    "policies": Policy,
    "services": Service,
    "events": Event,
    "event_participants": EventParticipant,
    "district_liaisons": DistrictLiaison,
}


@dataclass
class Register:
    """The whole package as records, with the look-ups that do not depend on the day (zjtx.view adds the day)."""

    package: Package
    tiers: dict[str, Tier]
    targets: list[Target]
    districts: dict[str, District]
    industry_sections: dict[str, IndustrySection]
    industries: dict[str, Industry]
    enterprises: dict[str, Enterprise]
    announcements: dict[str, Announcement]
    certifications: list[Certification]
    products: list[Product]
    policies: dict[str, Policy]
    certifications_by_uscc: dict[str, list[Certification]] = field(default_factory=dict)
    products_by_uscc: dict[str, list[Product]] = field(default_factory=dict)
    # The column; a package from before these resources existed has none of them.
    services: dict[str, Service] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    event_participants: list[EventParticipant] = field(default_factory=list)
    district_liaisons: dict[str, DistrictLiaison] = field(default_factory=dict)
    participants_by_event: dict[str, list[str]] = field(default_factory=dict)
    events_by_uscc: dict[str, list[Event]] = field(default_factory=dict)
    _served_places: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_uscc: dict[str, list[Certification]] = defaultdict(list)
        for certification in self.certifications:
            by_uscc[certification.uscc].append(certification)
        ranks = {tier_id: tier.rank for tier_id, tier in self.tiers.items()}
        for history in by_uscc.values():
            history.sort(key=lambda c: (c.certified_on, ranks.get(c.tier_id, 0)))
        self.certifications_by_uscc = dict(by_uscc)
        products: dict[str, list[Product]] = defaultdict(list)
        for product in self.products:
            products[product.uscc].append(product)
        self.products_by_uscc = dict(products)
        self._index_column()

    def _index_column(self) -> None:
        by_event: dict[str, list[str]] = defaultdict(list)
        by_uscc: dict[str, list[Event]] = defaultdict(list)
        for participant in self.event_participants:
            by_event[participant.event_id].append(participant.uscc)
            by_uscc[participant.uscc].append(self.events[participant.event_id])
        for history in by_uscc.values():
            history.sort(key=lambda e: (e.starts_on, e.event_id), reverse=True)
        self.participants_by_event = dict(by_event)
        self.events_by_uscc = dict(by_uscc)

    @property
    def root(self) -> Path:
        return self.package.root

    @property
    def descriptor(self) -> dict:
        return self.package.descriptor

    @property
    def is_demo(self) -> bool:
        return self.package.is_demo

    @cached_property
    def tiers_by_rank(self) -> list[Tier]:
        return sorted(self.tiers.values(), key=lambda t: t.rank)

    def ban(self, certification: Certification) -> library.Ban | None:
        """The ban on recommendation that the row's revocation for false declaration starts, if it starts one."""
        if not library.starts_ban(certification):
            return None
        return library.ban_after(self.policies.values(), certification.status_on)

    @cached_property
    def services_in_order(self) -> list[Service]:
        """Services by kind, then id: the order of every list of services."""
        return sorted(self.services.values(), key=lambda s: (s.kind, s.service_id))

    def served_places(self, service: Service) -> frozenset[str]:
        """The districts and zones the service reaches (a district reaches its zones); empty for the whole city."""
        places = self._served_places.get(service.service_id)
        if places is None:
            places = self._served_places[service.service_id] = frozenset(
                served_places(service.district_codes, self.districts))
        return places

    def policy_text(self, policy: Policy) -> str:
        return self.package.policy_text(policy.text_path)


# Reading -------------------------------------------------------------------------------------------------------


@cache
def _text_fields(record_type) -> frozenset[str]:
    """The fields of a record that hold text: an empty cell, or a column an older package lacks, is "" there."""
    return frozenset(name for name, hint in get_type_hints(record_type).items() if hint is str)


def record(name: str, row: dict):
    """A typed row (zjtx.package.Package.typed) as its resource's record: a missing value of a text field is ""."""
    record_type = RECORD_TYPES[name]
    text = _text_fields(record_type)
    return record_type(**{n: row.get(n) if row.get(n) is not None else ("" if n in text else None)
                          for n in _init_fields(record_type)})


@cache
def _init_fields(record_type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type) if f.init)


def records(package: Package, name: str) -> list:
    """The rows of a resource as its record type, typed by the package's schema (zjtx.package.read_cell)."""
    return [record(name, row) for row in package.typed_rows(name)]


def load_register(package: Package | Path = DEFAULT_PACKAGE) -> Register:
    """The records of a package that has passed validation."""
    if not isinstance(package, Package):
        package = Package.read(package)
    tables = {}
    for name in RECORD_TYPES:
        if name in COLUMN_RESOURCES and name not in package.resources:
            tables[name] = []  # a package (or a release read by revisions.py) from before the column
            continue
        tables[name] = records(package, name)

    def keyed(name: str, key: str) -> dict:
        return {getattr(record, key): record for record in tables[name]}

    return Register(
        package=package,
        tiers=keyed("tiers", "tier_id"),
        targets=tables["targets"],
        districts=keyed("districts", "district_code"),
        industry_sections=keyed("industry_sections", "section"),
        industries=keyed("industries", "industry_code"),
        enterprises=keyed("enterprises", "uscc"),
        announcements=keyed("announcements", "announcement_id"),
        certifications=tables["certifications"],
        products=tables["products"],
        policies=keyed("policies", "policy_id"),
        services=keyed("services", "service_id"),
        events=keyed("events", "event_id"),
        event_participants=tables["event_participants"],
        district_liaisons=keyed("district_liaisons", "district_code"),
    )
